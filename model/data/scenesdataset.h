#pragma once

#include "biaseddataset.h"
#include "coloredmnist.h"

namespace untangle {

/**
 * Biased Scenes: target = object shape (cube, cylinder, sphere, capsule), bias = object hue band (the ten hues in
 * four bands: 0-2, 3-4, 5-7, 8-9). Training scenes have uniformly random floor hue, wall hue, scale and orientation
 * from options.seed, and an object hue inside the band of their shape except for the conflicting ratio
 * (assignBiasLabels); valid and test are unbiased with equal cell counts. Images are resolution x resolution x 3.
 * colorNoise is ignored (the hues are the factor grid's own).
 */
BiasedDataset buildBiasedScenes(const ColoringOptions &options, int resolution);

/** First hue index of bias band `band` (0..4; band 4 is the end): the bands are [first(b), first(b + 1)). */
int sceneHueBandBegin(int band);

} // namespace untangle
