#pragma once

#include "biaseddataset.h"
#include "coloredmnist.h"
#include "progress.h"

namespace untangle {

/**
 * Corrupted version of a train/test dataset (Fashion-MNIST): the same splits and bias assignment as
 * buildColoredTrainTest (planTrainTest), but bias k means corruption k instead of colour k. colorNoise is ignored.
 * Training images draw their corruption randomness from options.seed and their position; valid and test from a
 * fixed seed, so every run is selected and scored on the same images.
 */
BiasedDataset buildCorruptedTrainTest(const GreyImages &train, const GreyImages &test, const ColoringOptions &options,
    const std::string &name, const std::vector<std::string> &targetNames, const ProgressFn &progress = {});

} // namespace untangle
