#pragma once

#include "idxfile.h"

#include <cstdint>
#include <vector>

namespace untangle {

/** Which source image goes into each slot of a split, with its target and bias labels. */
struct SplitPlan {
    std::vector<int> sourceIndex;
    std::vector<int> target;
    std::vector<int> bias;

    int size() const { return int(sourceIndex.size()); }
    void add(int index, int t, int b)
    {
        sourceIndex.push_back(index);
        target.push_back(t);
        bias.push_back(b);
    }
};

/** Train and valid index the train source, test indexes the test source. */
struct TrainTestPlan {
    SplitPlan train;
    SplitPlan valid;
    SplitPlan test;
};

/** Seed of the test split's bias draw: fixed, so every run of every seed is scored on the same test images. */
constexpr std::uint64_t FixedTestSeed = 20240611;

/**
 * The plan for datasets that ship a train and a test file (Fashion-MNIST, full MNIST): per class, the first 90%
 * of the train file (file order) is train, biased at `ratio` by assignBiasLabels; the last 10% is an unbiased
 * valid split (bias = position within the class modulo numBiases, so every cell has the same count up to one);
 * every test image gets one bias drawn uniformly with FixedTestSeed.
 */
TrainTestPlan planTrainTest(
    const GreyImages &train, const GreyImages &test, int numClasses, int numBiases, double ratio, std::uint64_t seed);

} // namespace untangle
