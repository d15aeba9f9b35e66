#pragma once
// Std-only windows onto the SRE and Voynov-Babenko trainers' torch internals, for tests that cannot include torch.
// Each function drives the real classes (SreTrainer, OrthoDirections, ScoreNetwork); none re-implements what it
// reports, so a test can hold the numbers against its own hand computation.
#include <cstdint>
#include <string>
#include <vector>

namespace untangle::selfcheck {

/** Writes a DirectionSet ("random", count x styleSize, seeded random orthonormal rows) to path. */
void writeRandomDirections(const std::string &path, int styleSize, int count, std::uint64_t seed);

/** One batch of SreTrainer::samplePairs and what the trainer computes on it; row-major, rows p and p + pairs pair up.
 */
struct SrePairBatch {
    int pairs = 0, latentSize = 0, directions = 0;
    std::vector<double> z; // 2 pairs x latentSize
    std::vector<double> eps; // 2 pairs x K
    std::vector<double> labels; // pairs x K
    std::vector<double> scores; // 2 pairs x K: the estimator (eval mode) on the pair images
    double loss = 0.0; // SreTrainer::rankingLoss(scores, labels)
    std::vector<double> accuracy; // SreTrainer::rankingAccuracy(scores, eps), K
};
SrePairBatch srePairBatch(
    const std::string &generatorPath, const std::string &directionsPath, int batch, std::uint64_t seed);

/** Largest absolute change of each parameter group across SRE's step (a) and step (b). */
struct SreRouting {
    double estimatorChangeByA = 0.0, directionChangeByA = 0.0;
    double estimatorChangeByB = 0.0, directionChangeByB = 0.0;
    double generatorChangeByA = 0.0, generatorChangeByB = 0.0; // the in-memory generator's parameters
    bool generatorRequiresGrad = true; // any generator parameter requiring grad after both steps
    bool generatorHasGradient = true; // any generator parameter with a gradient after both steps
};
SreRouting sreStepRouting(const std::string &generatorPath, const std::string &directionsPath, std::uint64_t seed);

/** Per step: max|D^T D - I| of the directions the forward used, the raw M's error after Adam (before the next QR),
 *  and the smallest cosine between a column and itself one step earlier (sign stability). */
struct SreOrthoTrace {
    std::vector<double> usedError, rawError, minColumnCosine;
};
SreOrthoTrace sreOrthonormality(const std::string &generatorPath, const std::string &directionsPath, int steps,
    double learningRate, std::uint64_t seed);

/** Seconds per full SRE step (a + b), medians of `steps` after one warm-up step. cpu is process CPU time (all
 *  threads): on a shared machine wall time depends on the load, cpu / threads is the uncontended bound. */
struct SreStepTiming {
    double wallSeconds = 0.0, cpuSeconds = 0.0;
};
/** backbone "light-cnn" or "resnet18". */
SreStepTiming sreStepTiming(const std::string &generatorPath, const std::string &directionsPath,
    const std::string &backbone, int batch, int steps);

/** Writes a randomly initialised built-in generator with StyleGeneratorConfig's defaults (64 x 64) to path. */
void writeDefaultStyleGenerator(const std::string &path, std::uint64_t seed);

/** max|D D^T - I| of K x size row-major rows (orthonormal rows give 0). */
double rowOrthonormalityError(const std::vector<double> &rows, int count, int size);

} // namespace untangle::selfcheck
