#include "palette.h"

#include <cmath>

namespace untangle {

const std::array<Rgb, 10> &lffPalette()
{
    static const std::array<Rgb, 10> palette = {{
        {0.9837, 0.3125, 0.1686},
        {0.9905, 0.9156, 0.3515},
        {0.6730, 0.4611, 0.5798},
        {0.7833, 0.8316, 0.6013},
        {0.0880, 0.7780, 0.9818},
        {0.3214, 0.9611, 0.4464},
        {0.0246, 0.2357, 0.7587},
        {0.5552, 0.1016, 0.7618},
        {0.2077, 0.3929, 0.0187},
        {0.8337, 0.2024, 0.2669},
    }};
    return palette;
}

void colorizeGrey(const std::uint8_t *grey, int pixelCount, const Rgb &colour, std::uint8_t *rgbOut)
{
    // A 256-entry table per channel: 768 multiplications instead of 3 per pixel.
    std::uint8_t table[3][256];
    for (int ch = 0; ch < 3; ++ch)
        for (int g = 0; g < 256; ++g)
            table[ch][g] = std::uint8_t(std::floor(colour[ch] * double(g)));
    for (int p = 0; p < pixelCount; ++p) {
        const std::uint8_t g = grey[p];
        rgbOut[3 * p] = table[0][g];
        rgbOut[3 * p + 1] = table[1][g];
        rgbOut[3 * p + 2] = table[2][g];
    }
}

} // namespace untangle
