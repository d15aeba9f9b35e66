#pragma once

#include <cstdint>
#include <vector>

namespace untangle {

/** One 8-bit image, rows top to bottom, channels interleaved (HWC). The only image type model/ exposes. */
struct ImageU8 {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> bytes;

    bool isEmpty() const { return bytes.empty(); }
};

} // namespace untangle
