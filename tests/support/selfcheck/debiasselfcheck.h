#pragma once
// Std-only windows onto the debias engine's torch internals, for tests that cannot include torch (Qt Test TUs must
// not parse torch headers). Each function drives the real classes (DeNetDmTrainer, FlatAdam, torch::optim::Adam,
// linearDecodability, checkpoint archives); none re-implements what it reports, so a test can hold it against an
// independent hand computation.

#include <cstdint>
#include <map>
#include <string>
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
