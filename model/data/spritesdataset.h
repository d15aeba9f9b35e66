#pragma once

#include "biaseddataset.h"
#include "coloredmnist.h"

namespace untangle {

/**
 * Biased Sprites: target = shape (square, ellipse, heart), bias = horizontal position band (left, centre,
 * right). Training sprites are drawn with random factors from options.seed and placed in the band of their shape
 * except for the conflicting ratio (assignBiasLabels); valid and test are unbiased with equal cell counts.
 * Images are resolution x resolution x 3 (grey replicated, so every dataset has the same channel layout).
 * colorNoise is ignored.
 */
BiasedDataset buildBiasedSprites(const ColoringOptions &options, int resolution);

} // namespace untangle
