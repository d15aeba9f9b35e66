#!/usr/bin/env bash
# Regenerates the generators shipped with the application (resources/generators/NAME; File > Shipped generators):
#   scenes-64   a Scenes GAN at 64 px, the one the Latent workspace opens at first launch
#   sprites-64  a Sprites GAN at 64 px
# Each is our own GAN with StyleGAN2's mapping lr (0.01) and lazy R1 penalty (gamma 1, every 16 iterations:
# without it the critic wins and the generator drops hues; README, "Scenes GAN attempts"), seed 0, at the default
# widths (64 channels at 4 x 4 halved down to 8), on ProGAN's network with StyleGAN2's logistic loss and an R1-only
# critic. sprites-64 keeps 16 channels at its 32 and 64 px stages (--min-channels 16: cleaner shapes, hearts nearer
# real ones, about 1.7x the render time per frame) and is trained to 50000 iterations, where its coverage score on
# 2,048 samples peaked (0.914) after levelling off from 42,000 (README, "The shipped Sprites generator, since
# 2026-12-07"). scenes-64 adds view negatives (weight 1: rooms
# rendered from 2 to 15 of their orientations and averaged, shown to the critic as fake), without which every sample
# is the room averaged over its views, a dome (README, "View negatives"; weight 3 dropped three wall hues), and is
# trained to 6000 iterations.
# With each come its SeFa and GANSpace directions (K = 10) and their SRE refinements at the authors' budget (6000
# steps, lr 1e-4, batch 32, c = 1.5, seed 0), each set named after the factor each direction moves most against
# random directions ("floor hue 11x") by `label`, which also stores its 512-latent matrix in the set: the app shows
# that attribution at launch instead of measuring one.
# One thread: the bytes do not depend on the machine's core count. About 50 min (Scenes: 25 min of GAN) and
# 4 h 30 min (Sprites: 0.28-0.30 s per GAN iteration with the allocator fix of session 26, about 4 h for 50,000;
# SRE about 15 min per set) per generator on one core.
# Usage: packaging/train-shipped-generators.sh [path/to/untangle-cli] [work folder] [scenes-64|sprites-64 ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$root/build/app/untangle-cli}"
work="${2:-$(mktemp -d)}"
shift $(($# < 2 ? $# : 2))
names=("$@")
((${#names[@]})) || names=(scenes-64 sprites-64)

# The iteration shipped per generator: that snapshot (snapshots/iter-N.pt), not the run's own pick by coverage score.
declare -A dataset=([scenes-64]=scenes [sprites-64]=sprites)
declare -A iterations=([scenes-64]=6000 [sprites-64]=50000)
progan="--synthesis progan --loss logistic --no-spectral-norm"
declare -A network=([scenes-64]="$progan --view-negatives 1" [sprites-64]="$progan --min-channels 16")

for name in "${names[@]}"; do
  [[ -n "${dataset[$name]:-}" ]] || { echo "unknown generator $name (scenes-64 or sprites-64)" >&2; exit 2; }
  run="$work/$name"
  n="${iterations[$name]}"
  "$cli" gan --dataset "${dataset[$name]}" --resolution 64 --iterations "$n" --checkpoint-every 500 \
    --sample-every 500 --mapping-lr 0.01 --r1 1 --seed 0 --threads 1 ${network[$name]} --out "$run/gan"
  generator="$run/gan/snapshots/iter-$(printf %06d "$n").pt"
  for method in sefa ganspace; do
    "$cli" directions --generator "$generator" --method "$method" --count 10 --threads 1 --out "$run/$method"
    "$cli" sre --generator "$generator" --directions "$run/$method" --steps 6000 --lr 0.0001 --range 1.5 \
      --snapshot-every 500 --seed 0 --threads 1 --out "$run/$method-sre"
  done
  out="$root/resources/generators/$name"
  mkdir -p "$out"
  cp "$generator" "$out/generator.pt"
  for method in sefa ganspace; do
    "$cli" label --generator "$out/generator.pt" --directions "$run/$method" --out "$out/$method.json" --threads 1
    "$cli" label --generator "$out/generator.pt" --directions "$run/$method-sre" --out "$out/$method-sre.json" \
      --threads 1
  done
  # SRE's score network for the SeFa set, so Retrieval works on the generator the app opens (1.5 MB; GANSpace's is
  # left out to keep the repository small).
  cp "$run/sefa-sre/estimator.pt" "$out/sefa-sre-estimator.pt"
  # The files name where they were made; shipped, they name the resources instead (no builder's folders in the app).
  sed -i -e "s#$generator#generators/$name/generator.pt#g" -e "s#$out/generator.pt#generators/$name/generator.pt#g" \
    -e "s#$run/\(sefa\|ganspace\)/directions.json#generators/$name/\1.json#g" "$out"/*.json
  "$cli" coverage --generator "$out/generator.pt" --samples 2048 --threads 1
  ls -l "$out"
done
