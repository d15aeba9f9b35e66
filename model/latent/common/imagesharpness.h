#pragma once
// How crisp images are: the energy of their Laplacian, which a blur takes away. Used by the coverage reports to say
// whether a generator's samples are as sharp as its world's renders (issue: "Scenes samples crisp"). Std types only.
#include <cstddef>

namespace untangle {

/**
 * Mean over images of the variance of the 3x3 Laplacian (OpenCV) of each image's luminance, for `count` images stored
 * row-major as count x channels x resolution x resolution floats in `values` entries (channels 1, or 3 = RGB). A blur
 * lowers it; noise and checkerboard artefacts raise it, so read it against real images of the same world, not alone.
 * Throws std::invalid_argument on an empty batch, another channel count, a resolution under 3 or a size that does
 * not match.
 */
double laplacianEnergy(const float *images, std::size_t values, int count, int channels, int resolution);

/** A generator's samples read against real images of its world: both Laplacian energies and their ratio, the
 *  sharpness (under 1 blurrier than the world, 0.5 = half its edge energy; well over 1 noisy). */
struct Sharpness {
    double sampleEnergy = 0.0;
    double realEnergy = 0.0;
    double ratio = 0.0;
};

} // namespace untangle
