#!/usr/bin/env bash
# Regenerates the factor models shipped in resources/models (read by coverage and rescoring, so that a fresh
# machine never trains them before its first number). Run after changing the factor network or its recipe
# (and bump SpriteFactorModelVersion in model/latent/sprites/spritefactormodel.h, which is in the file names).
# Usage: packaging/train-factor-models.sh [path/to/untangle-cli]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$root/build/app/untangle-cli}"
version=$(sed -n 's/^constexpr int SpriteFactorModelVersion = \([0-9]*\);.*/\1/p' "$root/model/latent/sprites/spritefactormodel.h")
for resolution in 32 64; do
  "$cli" factor-model --resolution "$resolution" --seed 1 --threads 1 \
    --out "$root/resources/models/sprite-factors-r$resolution-v$version.pt"
done
ls -l "$root/resources/models"
