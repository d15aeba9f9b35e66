#pragma once
// Std-only windows onto the debias engine's torch internals, for tests that cannot include torch (Qt Test TUs must
// not parse torch headers). Each function drives the real classes (DeNetDmTrainer, FlatAdam, torch::optim::Adam,
// linearDecodability, checkpoint archives); none re-implements what it reports, so a test can hold it against an
// independent hand computation.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace untangle::selfcheck {

/** Row-major logits of a few inputs through DeNetDM's stage-1 heads, and the shared head's bias. */
struct Stage1Logits {
    int rows = 0;
    int classes = 0;
    std::vector<double> poe, deep, shallow; // rows x classes
    std::vector<double> headBias; // classes
};

/**
 * Builds a DeNetDmTrainer (MLP branches of the given width, default depths, channels x height x width input, seed)
 * and returns DeNetDmTrainer::headLogits(stage 1) on `rows` random inputs in [0, 1).
 */
Stage1Logits stage1Logits(
    int width, int channels, int height, int imageWidth, int classes, std::uint64_t seed, int rows);

/** distillationLoss() (the term stage 2 trains with) on row-major rows x classes teacher and student logits. */
double distillationLoss(const std::vector<double> &teacherLogits, const std::vector<double> &studentLogits, int rows,
    int classes, double tau);

/** Adam settings (torch.optim.Adam's names and defaults). */
struct AdamSettings {
    double learningRate = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
};

/**
 * A quadratic loss sum_i 0.5 * curvature_i * (p_i - target_i)^2 over parameters p that start at `start`; each group
 * of `start` is one parameter tensor (several groups check FlatAdam's re-homing into one buffer). Runs `steps`
 * optimizer steps with gradients from autograd and returns the parameters, concatenated in group order.
 */
struct Quadratic {
    std::vector<std::vector<double>> start;
    std::vector<double> curvature; // one per parameter entry, concatenated
    std::vector<double> target; // the same
};
std::vector<double> flatAdamOnQuadratic(const Quadratic &problem, const AdamSettings &settings, int steps);
/** The same with LibTorch's stock torch::optim::Adam (the semantics FlatAdam promises to match). */
std::vector<double> stockAdamOnQuadratic(const Quadratic &problem, const AdamSettings &settings, int steps);

/** linearDecodability() on row-major features (count x dims) and labels. */
double linearDecodability(const std::vector<double> &fitFeatures, const std::vector<std::int64_t> &fitLabels,
    const std::vector<double> &scoreFeatures, const std::vector<std::int64_t> &scoreLabels, int dims, int numClasses);

/**
 * Every tensor a checkpoint stores under a module key ("deep", "shallow", "head", "target", "target_head"), by
 * dotted name inside the module (e.g. "fc0.weight", "layer1.0.bn1.running_mean"), flattened to doubles.
 * Throws std::runtime_error when the file or the key cannot be read.
 */
std::map<std::string, std::vector<double>> checkpointModuleTensors(
    const std::string &checkpointPath, const std::string &moduleKey);

} // namespace untangle::selfcheck

namespace untangle::selfcheck {

/** What one LfF step saw and did, read from the real LffTrainer. */
struct LffStepTrace {
    std::vector<double> ceBiased, ceDebiased; // per batch row, from the models before the step
    std::vector<double> pBiased; // the biased model's softmax probability of the target, before the step
    double loss = 0, gce = 0, weighted = 0; // what trainBatch reported (gce + weighted = loss)
    std::vector<double> emaBiased, emaDebiased; // every training sample's loss average after the step
};

/** An LfF run in miniature: a 1 x 2 x 2 input, random images, the given targets and batches of sample indices. */
struct LffSteps {
    std::vector<std::int64_t> targets; // one per training sample
    std::vector<std::vector<std::int64_t>> batches;
    int classes = 3;
    bool officialRecipe = true;
    bool rescaleInputs = false;
    std::uint64_t seed = 0;
};

/** Runs LffTrainer::trainBatch on each batch in turn and traces every step. */
std::vector<LffStepTrace> lffSteps(const LffSteps &setup);

/** The linear layers (weight shapes, out x in) of LfF's biased network under a recipe, on a 3 x 28 x 28 input. */
std::vector<std::pair<int, int>> lffBiasedLayers(bool officialRecipe);

} // namespace untangle::selfcheck
