#include "cueconflict.h"

#include "palette.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace untangle {
namespace {
constexpr double NeutralGrey = 0.75; // bright enough to read, not a palette colour
constexpr double BlobRadiusShare = 0.3; // of the image side: about a digit's stroke area
} // namespace

CueConflictSet makeCueConflictSet(const ImageU8 &coloured, int colour)
{
    const auto &palette = lffPalette();
    const Rgb &own = palette[std::clamp(colour, 0, int(palette.size()) - 1)];
    const double peak = std::max({own[0], own[1], own[2]});
    const int pixels = coloured.width * coloured.height;
    std::vector<std::uint8_t> grey(pixels);
    for (int p = 0; p < pixels; ++p) {
        const std::uint8_t *rgb = coloured.bytes.data() + std::size_t(p) * coloured.channels;
        const int brightest = coloured.channels == 3 ? std::max({rgb[0], rgb[1], rgb[2]}) : rgb[0];
        grey[p] = std::uint8_t(std::min(255.0, brightest / std::max(peak, 1e-6)));
    }
    CueConflictSet set;
    for (std::size_t k = 0; k < palette.size(); ++k) {
        ImageU8 image {coloured.width, coloured.height, 3, std::vector<std::uint8_t>(std::size_t(pixels) * 3)};
        colorizeGrey(grey.data(), pixels, palette[k], image.bytes.data());
        set.recoloured.push_back(std::move(image));
    }
    set.greyOnly = ImageU8 {coloured.width, coloured.height, 3, std::vector<std::uint8_t>(std::size_t(pixels) * 3)};
    colorizeGrey(grey.data(), pixels, Rgb {NeutralGrey, NeutralGrey, NeutralGrey}, set.greyOnly.bytes.data());

    cv::Mat blob = cv::Mat::zeros(coloured.height, coloured.width, CV_8UC3);
    const int radius = int(BlobRadiusShare * std::min(coloured.width, coloured.height));
    cv::circle(blob, cv::Point(coloured.width / 2, coloured.height / 2), radius,
        cv::Scalar(255 * own[0], 255 * own[1], 255 * own[2]), cv::FILLED, cv::LINE_AA);
    set.colourOnly = ImageU8 {
        coloured.width, coloured.height, 3, std::vector<std::uint8_t>(blob.data, blob.data + blob.total() * 3)};
    return set;
}

double colourReliance(const std::vector<int> &predictions)
{
    if (predictions.empty())
        return 0.0;
    int follows = 0;
    for (std::size_t k = 0; k < predictions.size(); ++k)
        follows += predictions[k] == int(k) ? 1 : 0;
    return double(follows) / double(predictions.size());
}

} // namespace untangle
