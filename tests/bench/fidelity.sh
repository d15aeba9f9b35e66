#!/usr/bin/env bash
# Reproduces the README's results tables: ERM, LfF and DeNetDM (100 + 100 epochs) on a dataset at every conflicting
# ratio and seed, one run folder each, then one Markdown table (mean ± std over seeds) from their result.json files.
# Usage: tests/bench/fidelity.sh OUT_DIR [dataset=cmnist10k] [seeds="0 1 2"] [ratios="0.005 0.01 0.02 0.05"] [epochs=100]
# Runs one thread per training so a second core stays free; finished runs are skipped, so it can be re-run to resume.
# Extra CLI options for every run go in $FIDELITY_ARGS (e.g. FIDELITY_ARGS="--arch mlp").
set -euo pipefail
out="${1:?usage: fidelity.sh OUT_DIR [dataset] [seeds] [ratios] [epochs]}"
dataset="${2:-cmnist10k}"
seeds="${3:-0 1 2}"
ratios="${4:-0.005 0.01 0.02 0.05}"
epochs="${5:-100}"
cli="${UNTANGLE_CLI:-$(dirname "$0")/../../build/app/untangle-cli}"
mkdir -p "$out"
for seed in $seeds; do
  for ratio in $ratios; do
    for method in erm lff debias; do
      dir="$out/$dataset-$method-r$ratio-s$seed"
      [ -f "$dir/result.json" ] && continue
      resume=()
      [ -f "$dir/checkpoint.pt" ] && resume=(--resume)
      echo "== $dir"
      "$cli" "$method" --dataset "$dataset" --ratio "$ratio" --seed "$seed" --epochs "$epochs" \
        --stage2-epochs "$epochs" --threads 1 --out "$dir" ${FIDELITY_ARGS:-} "${resume[@]}" > /dev/null
    done
  done
done
"$cli" table "$out"/"$dataset"-*/ | tee "$out/$dataset-table.md"
