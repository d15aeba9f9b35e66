#pragma once
// model-internal: linear decodability (Hermann & Lampinen 2020; the DeNetDM paper's Figures 2-3).

#include "splittensors.h"

#include <torch/torch.h>

namespace untangle {

/** Samples of valid and of test the probes use: a fixed random subset keeps a probe to a few milliseconds. */
constexpr int ProbeSamples = 1000;

/** The fixed probe subsets of the valid (decoder fit) and test (decoder score) splits. */
struct ProbeSets {
    torch::Tensor validImages, validTargets, validBiases;
    torch::Tensor testImages, testTargets, testBiases;
    int numTargets = 0, numBiases = 0;
};

ProbeSets makeProbeSets(const SplitTensors &valid, const SplitTensors &test, int numTargets, int numBiases);

/**
 * Accuracy on testFeatures of a linear decoder fitted on trainFeatures: ridge regression onto one-hot labels over
 * standardised features plus a bias column (closed form, deterministic, one small solve), argmax to predict.
 */
double linearDecodability(const torch::Tensor &trainFeatures, const torch::Tensor &trainLabels,
    const torch::Tensor &testFeatures, const torch::Tensor &testLabels, int numClasses);

} // namespace untangle
