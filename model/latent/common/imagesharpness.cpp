#include "common/imagesharpness.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <stdexcept>
#include <string>

namespace untangle {

double laplacianEnergy(const float *images, std::size_t values, int count, int channels, int resolution)
{
    if (count < 1)
        throw std::invalid_argument("sharpness needs at least one image");
    if (channels != 1 && channels != 3)
        throw std::invalid_argument("sharpness reads 1- or 3-channel images, not " + std::to_string(channels));
    if (resolution < 3)
        throw std::invalid_argument("sharpness needs images of at least 3x3 pixels, not " + std::to_string(resolution));
    const std::size_t plane = std::size_t(resolution) * std::size_t(resolution);
    if (!images || values != std::size_t(count) * std::size_t(channels) * plane)
        throw std::invalid_argument("sharpness got " + std::to_string(values) + " values for " + std::to_string(count)
            + " " + std::to_string(channels) + "-channel " + std::to_string(resolution) + "x"
            + std::to_string(resolution) + " images");
    // ITU-R BT.601 luma, as cv::cvtColor's RGB2GRAY: edges between hues of equal brightness still count.
    static constexpr float Luma[3] = {0.299f, 0.587f, 0.114f};
    cv::Mat luminance(resolution, resolution, CV_32F);
    cv::Mat laplacian;
    double total = 0.0;
    for (int i = 0; i < count; ++i) {
        const float *image = images + std::size_t(i) * std::size_t(channels) * plane;
        if (channels == 1) {
            cv::Mat(resolution, resolution, CV_32F, const_cast<float *>(image)).copyTo(luminance);
        } else {
            luminance.setTo(0.0f);
            for (int c = 0; c < 3; ++c)
                cv::scaleAdd(
                    cv::Mat(resolution, resolution, CV_32F, const_cast<float *>(image + std::size_t(c) * plane)),
                    Luma[c], luminance, luminance);
        }
        cv::Laplacian(luminance, laplacian, CV_32F, 1, 1.0, 0.0, cv::BORDER_REPLICATE);
        cv::Scalar mean, deviation;
        cv::meanStdDev(laplacian, mean, deviation);
        total += deviation[0] * deviation[0];
    }
    return total / count;
}

} // namespace untangle
