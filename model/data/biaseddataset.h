#pragma once

#include "labeledimages.h"

#include <string>
#include <vector>

namespace untangle {

/**
 * A dataset with a target attribute (what a model should learn, e.g. digit) and a bias attribute (the shortcut,
 * e.g. colour), split into train (biased), valid and test (unbiased). Labels are class indices.
 */
struct BiasedDataset {
    std::string name; // e.g. "cmnist10k"
    std::string description; // one line for people, e.g. "Colored MNIST-10k, 1% conflicting, seed 0"
    std::vector<std::string> targetNames;
    std::vector<std::string> biasNames;
    LabeledImages train;
    LabeledImages valid;
    LabeledImages test;
    std::vector<std::string> warnings; // inputs that were skipped (e.g. unreadable files), with their paths

    int numTargets() const { return int(targetNames.size()); }
    int numBiases() const { return int(biasNames.size()); }
};

} // namespace untangle
