#!/usr/bin/env bash
# Builds and runs every benchmark in tests/bench and prints their tables (not part of ctest).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${UNTANGLE_BUILD_DIR:-$root/build}"
cmake --build "$build" --parallel "$(nproc)"
for bench in "$build"/tests/bench/bench_*; do
  [ -x "$bench" ] || continue
  echo "== $(basename "$bench")"
  "$bench"
  echo
done
