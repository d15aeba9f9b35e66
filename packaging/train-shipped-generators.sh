#!/usr/bin/env bash
# Regenerates the generator the Latent workspace opens at first launch (resources/generators/scenes-64): a Scenes
# GAN at 64 px, its SeFa and GANSpace directions (K = 10) and their SRE refinements at the authors' budget (6000
# steps, lr 1e-4, batch 32, truncation 0.8, seed 0). These are the same commands and seeds as the latent study's
# generator g0 and its seed-0 SRE runs (README, "Does SRE help?"), so the shipped files are study outputs.
# One thread: the bytes do not depend on the machine's core count. About 2 h 30 min on one core.
# Usage: packaging/train-shipped-generators.sh [path/to/untangle-cli] [work folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$root/build/app/untangle-cli}"
work="${2:-$(mktemp -d)}"
iterations=3000 # the checkpoint shipped: snapshots/iter-003000.pt (the run's own pick may be another checkpoint)
out="$root/resources/generators/scenes-64"
"$cli" gan --dataset scenes --resolution 64 --iterations "$iterations" --checkpoint-every 500 --sample-every 500 \
  --mapping-lr 0.01 --seed 0 --threads 1 --out "$work/gan"
generator="$work/gan/snapshots/iter-$(printf %06d "$iterations").pt"
for method in sefa ganspace; do
  "$cli" directions --generator "$generator" --method "$method" --count 10 --threads 1 --out "$work/$method"
  "$cli" sre --generator "$generator" --directions "$work/$method" --steps 6000 --lr 0.0001 --range 1.5 \
    --snapshot-every 500 --seed 0 --threads 1 --out "$work/$method-sre"
done
mkdir -p "$out"
cp "$generator" "$out/generator.pt"
for method in sefa ganspace; do
  # Named after the factor each moves most ("floor hue 0.31"), as the Latent workspace shows them.
  "$cli" label --generator "$out/generator.pt" --directions "$work/$method" --out "$out/$method.json" --threads 1
  "$cli" label --generator "$out/generator.pt" --directions "$work/$method-sre" --out "$out/$method-sre.json" \
    --threads 1
done
ls -l "$out"
