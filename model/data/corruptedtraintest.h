#pragma once

#include "biaseddataset.h"
#include "coloredmnist.h"
#include "progress.h"

namespace untangle {

/**
 * Corrupted version of a train/test dataset (Fashion-MNIST): the same splits and bias assignment as
 * buildColoredTrainTest (planTrainTest), but bias k means corruption k instead of colour k. colorNoise is ignored;
 * per-image randomness is derived from options.seed and the image's position.
 */
BiasedDataset buildCorruptedTrainTest(const GreyImages &train, const GreyImages &test, const ColoringOptions &options,
                                      const std::string &name, const std::vector<std::string> &targetNames,
                                      const ProgressFn &progress = {});

} // namespace untangle
