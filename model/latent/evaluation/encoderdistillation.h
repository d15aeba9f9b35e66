#pragma once
// model-internal: distilling the evaluation encoder from generated images
// (docs/methods/sre.md §4.1 steps 1-2, pitfall 9).
#include "evaluation/directionevaluation.h"
#include "gan/generator.h"
#include "sre/scorenetwork.h"

#include <vector>

namespace untangle {

/** Which of the N generated samples train the encoder and which are held out: disjoint index sets over distinct z. */
struct DistillationSplit {
    std::vector<int> train;
    std::vector<int> heldOut;
};

/** A seeded shuffle of 0..n-1; the first round(heldOutFraction * n) (at least 1) are held out, the rest train. */
DistillationSplit planDistillationSplit(int n, double heldOutFraction, std::uint64_t seed);

/** The z the distillation draws for a seed (n x latentSize): one stream, so every row is a distinct sample. */
torch::Tensor distillationLatents(int n, int latentSize, std::uint64_t seed);

/** Generated images and their styles, before the split. They do not depend on the directions, so several direction
 *  sets can share them; a set's labels are styles D^T. */
struct DistillationData {
    torch::Tensor images; // (N, C, R, R) in [-1, 1]
    torch::Tensor styles; // (N, styleSize): the unshifted, truncated w
};

/** Images in batches under no_grad; w = truncatedStyles with the generator's fixed mean
 *  (docs/methods/sre.md, pitfall 8). */
DistillationData generateDistillationData(Generator &generator, const EvaluationOptions &options,
    const ProgressFn &progress, double progressFrom, double progressTo);

struct DistilledEncoder {
    ScoreNetwork network {nullptr}; // eval mode, best held-out epoch's weights
    DistillationReport report;
};

/**
 * Trains a LightCnn ScoreNetwork with K outputs on the train split's standardised labels (rawLabels (N, K)) (MSE, Adam,
 * StepLR, batch shuffles seeded), early-stopping on the held-out MSE and restoring the best epoch. Seeds torch's global
 * RNG for the network's initialisation, as the paper resets its seed before each encoder run.
 */
DistilledEncoder distillEncoder(const torch::Tensor &images, const torch::Tensor &rawLabels,
    const DistillationSplit &split, const EvaluationOptions &options, const ProgressFn &progress, double progressFrom,
    double progressTo);

} // namespace untangle
