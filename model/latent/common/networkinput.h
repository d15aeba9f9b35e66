#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/**
 * Images as a score network sees them: float CHW in [-1, 1], exactly the range the generator produces
 * (docs/methods/sre.md, pitfall 14: the paper's retrieval fed [0, 1] images to an estimator trained on [-1, 1]).
 * Channel counts are matched with OpenCV (RGB -> grey with the usual luma weights, grey -> RGB replicated) and sizes
 * with cv::resize (INTER_AREA when shrinking, which averages instead of aliasing thin sprite edges; INTER_LINEAR when
 * growing).
 */
struct NetworkInputShape {
    int channels = 1;
    int resolution = 64;
};

/** One 8-bit HWC image (RGB order when 3 channels) -> out (channels x resolution x resolution floats). */
void uint8ImageToNetwork(
    const std::uint8_t *hwc, int height, int width, int channels, const NetworkInputShape &shape, float *out);

/** One float CHW image already in [-1, 1] -> out. Throws std::invalid_argument on a size mismatch or bad shape. */
void floatImageToNetwork(
    const std::vector<float> &chw, int channels, int height, int width, const NetworkInputShape &shape, float *out);

/** Reads an image file with OpenCV (any format it decodes; alpha dropped, grey kept grey) -> out.
 *  Throws DataError naming the file when it is missing or cannot be decoded. */
void imageFileToNetwork(const std::string &path, const NetworkInputShape &shape, float *out);

} // namespace untangle
