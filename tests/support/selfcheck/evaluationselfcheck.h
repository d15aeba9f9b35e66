#pragma once
// Std-only helpers for the direction-evaluation tests, which cannot include torch.
#include "common/latentmatrix.h"
#include "evaluation/directionevaluation.h"

#include <cstdint>
#include <string>

namespace untangle::selfcheck {

/** The z that train the evaluation encoder and the z held out from it, exactly as evaluateDirections draws them. */
struct DistillationSplitView {
    Matrix trainLatents;
    Matrix heldOutLatents;
};
DistillationSplitView distillationSplit(int latentSize, const EvaluationOptions &options);

/** n styles w = mapping(z) of the generator at path for seeded z (e.g. to compute GANSpace directions in a test). */
Matrix sampleStyles(const std::string &generatorPath, int n, std::uint64_t seed);

/** What a saved score file says about itself (loadScoreFile), to check a saved encoder without torch. */
struct ScoreFileSummary {
    std::string kind;
    std::string directionsPath;
    int outputs = 0;
    int resolution = 0;
};
ScoreFileSummary readScoreFileSummary(const std::string &path);

} // namespace untangle::selfcheck
