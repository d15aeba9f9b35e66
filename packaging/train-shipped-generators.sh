#!/usr/bin/env bash
# Regenerates the generator the Latent workspace opens at first launch (resources/generators/scenes-64): a Scenes
# GAN at 64 px (the wide recipe: at least 16 generator channels per stage, a 32-channel critic, StyleGAN2's mapping
# learning-rate multiplier 0.01, seed 0), its SeFa and GANSpace directions (K = 10) and their SRE refinements at the
# authors' budget (6000 steps, lr 1e-4, batch 32, truncation 0.8, c = 1.5, seed 0).
# The checkpoint shipped is iteration 1000, the one the run itself selects: its coverage score is the run's best, and
# later checkpoints collapse the hues again (coverage 0.91 at 1000, 0.86 at 1500, 0.68 at 2000; README).
# One thread: the bytes do not depend on the machine's core count. About 1 h on one core.
# Usage: packaging/train-shipped-generators.sh [path/to/untangle-cli] [work folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="${1:-$root/build/app/untangle-cli}"
work="${2:-$(mktemp -d)}"
iterations=1000 # the checkpoint shipped: snapshots/iter-001000.pt
out="$root/resources/generators/scenes-64"
"$cli" gan --dataset scenes --resolution 64 --iterations "$iterations" --checkpoint-every 500 --sample-every 500 \
  --mapping-lr 0.01 --min-channels 16 --critic-channels 32 --seed 0 --threads 1 --out "$work/gan"
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
