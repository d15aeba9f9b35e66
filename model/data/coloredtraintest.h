#pragma once

#include "coloredmnist.h"

namespace untangle {

/**
 * Colored version of a dataset shipped as train and test files (Fashion-MNIST, full MNIST): split by
 * planTrainTest, training images jittered by colorNoise, valid and test coloured exactly.
 */
BiasedDataset buildColoredTrainTest(const GreyImages &train, const GreyImages &test, const ColoringOptions &options,
    const std::string &name, const std::vector<std::string> &targetNames);

} // namespace untangle
