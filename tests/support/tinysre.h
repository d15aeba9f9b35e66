#pragma once

#include "sre/srerunner.h"

#include <string>

namespace untangle::test {

/** A 20-step SRE run small enough for widget tests: batch 8, lr 1e-3, a log every 5 steps, snapshots at 10 and 20. */
inline SreConfig tinySreConfig(const std::string &generatorPath, const std::string &directionsPath)
{
    SreConfig config;
    config.generatorPath = generatorPath;
    config.directionsPath = directionsPath;
    config.steps = 20;
    config.batch = 8;
    config.learningRate = 1e-3;
    config.logEvery = 5;
    config.snapshotEvery = 10;
    config.heldOutPairs = 16;
    config.seed = 5;
    return config;
}

} // namespace untangle::test
