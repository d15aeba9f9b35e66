#pragma once

#include "imageu8.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace untangle {

/**
 * One split of a dataset: count images of height x width x channels (NHWC, uint8) in one contiguous buffer,
 * with a target and a bias label per image. Kept contiguous so training indexes batches without copies.
 */
struct LabeledImages {
    int count = 0;
    int height = 0;
    int width = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels;
    std::vector<std::int64_t> targets;
    std::vector<std::int64_t> biases;

    std::size_t imageBytes() const { return std::size_t(height) * width * channels; }
    const std::uint8_t *imageData(int index) const { return pixels.data() + imageBytes() * std::size_t(index); }
    std::uint8_t *imageData(int index) { return pixels.data() + imageBytes() * std::size_t(index); }
    bool isAligned(int index) const { return targets[index] == biases[index]; }

    /** Allocates room for n images of the given shape; labels are zeroed. */
    void allocate(int n, int h, int w, int c);
    /** A copy of one image. */
    ImageU8 image(int index) const;
};

} // namespace untangle
