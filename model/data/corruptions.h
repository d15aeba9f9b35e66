#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The ten bias values of Corrupted Fashion-MNIST: image corruptions in the spirit of Hendrycks & Dietterich. */
enum class Corruption {
    GaussianNoise = 0,
    ShotNoise,
    ImpulseNoise,
    DefocusBlur,
    MotionBlur,
    Jpeg,
    Pixelate,
    Contrast,
    Brightness,
    Elastic,
};
constexpr int CorruptionCount = 10;

/** Display names, index = Corruption value ("Gaussian noise", ...). */
const std::vector<std::string> &corruptionNames();

/**
 * Applies one corruption (at a fixed, strong severity) to a height x width grey image and writes the result as
 * height x width x 3 bytes (grey replicated). Random corruptions draw from `seed` only, so the same seed gives the
 * same bytes. Implemented with OpenCV.
 */
void applyCorruption(
    Corruption corruption, const std::uint8_t *grey, int height, int width, std::uint64_t seed, std::uint8_t *rgbOut);

} // namespace untangle
