#!/usr/bin/env bash
# Untangle's one set-up script, behind the README's two commands:
#   packaging/setup.sh --run    install what is missing, fetch the data, build (Release), launch the GUI
#   packaging/setup.sh --test   the same set-up, then build and run the whole test suite (ctest)
# Idempotent: a second run installs nothing, fetches nothing and rebuilds only what changed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${UNTANGLE_BUILD_DIR:-$root/build}"
mode="${1:---run}"

case "$mode" in
  --run|--test) ;;
  *) echo "usage: packaging/setup.sh --run | --test" >&2; exit 2 ;;
esac

bash "$root/packaging/install-deps.sh"

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --parallel "$(nproc)"

bash "$root/packaging/fetch-data.sh" "$build/app/untangle-cli"

if [ "$mode" = "--test" ]; then
  cd "$build"
  ctest --output-on-failure --parallel "$(nproc)"
else
  exec "$build/ui/untangle"
fi
