#pragma once

#include <array>
#include <cstdint>

namespace untangle {

using Rgb = std::array<double, 3>;

/** The LfF / DeNetDM Colored MNIST palette (data/resource/colors.th), colour k for bias label k. */
const std::array<Rgb, 10> &lffPalette();

/**
 * Colours a grey image: out[p*3+ch] = floor(colour[ch] * grey[p]) for grey bytes in 0..255, i.e. the protocol's
 * floor(255 * colour * grey) with grey in [0, 1]. colour components must be in [0, 1].
 */
void colorizeGrey(const std::uint8_t *grey, int pixelCount, const Rgb &colour, std::uint8_t *rgbOut);

} // namespace untangle
