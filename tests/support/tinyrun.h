#pragma once

#include "debiasconfig.h"

namespace untangle::test {

constexpr int TinyWidth = 16; // narrow MLPs: a Sprites epoch in a fraction of a second
constexpr int TinyBatch = 128;

/** The biased Sprites set the debias run tests train on: 5 % conflicting, data seed 2 (6,000 training images). */
inline DatasetSpec tinySpritesSpec()
{
    DatasetSpec spec;
    spec.kind = DatasetKind::Sprites;
    spec.ratio = 0.05;
    spec.seed = 2;
    return spec;
}

/** A fast DeNetDM run for tests: MLP branches, one thread, no probes, a checkpoint every epoch. */
inline DebiasConfig tinyDebiasConfig(const DatasetSpec &spec, int stage1Epochs, int stage2Epochs, std::uint64_t seed)
{
    DebiasConfig config;
    config.method = DebiasMethod::DeNetDM;
    config.dataset = spec;
    config.architecture = BranchArchitecture::Mlp;
    config.width = TinyWidth;
    config.batchSize = TinyBatch;
    config.stage1Epochs = stage1Epochs;
    config.stage2Epochs = stage2Epochs;
    config.threads = 1;
    config.probeEveryIterations = 0;
    config.checkpointEveryEpochs = 1;
    config.seed = seed;
    return config;
}

} // namespace untangle::test
