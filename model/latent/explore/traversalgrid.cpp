#include "explore/traversalgrid.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "explore/latentrenderer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <stdexcept>

namespace untangle {

namespace {

constexpr std::uint8_t GapGrey = 96;

} // namespace

void TraversalOptions::validate(int directionCount) const
{
    if (columns < 3 || columns % 2 == 0 || columns > 31)
        throw std::invalid_argument(
            "a traversal needs an odd number of columns from 3 to 31, got " + std::to_string(columns));
    // Finite and bounded: an infinite shift drew an all-black grid and reported success.
    if (!(range > 0.0 && range <= MaxTraversalRange))
        throw std::invalid_argument(
            "the traversal range must be above 0 and at most " + std::to_string(int(MaxTraversalRange)) + " sigma");
    if (!(truncation > 0.0 && truncation <= 1.0))
        throw std::invalid_argument("the truncation psi must be in (0, 1], as for SRE and coverage");
    // Each row costs a generator pass and half a megabyte of pixels: 100,000 directions took gigabytes and never ended.
    const std::size_t shown = rows.empty() ? std::size_t(directionCount) : rows.size();
    if (shown > std::size_t(MaxTraversalRows))
        throw std::invalid_argument("a traversal shows at most " + std::to_string(MaxTraversalRows)
            + " directions, not " + std::to_string(shown) + "; pick some with the rows option");
    for (int row : rows)
        if (row < 0 || row >= directionCount)
            throw std::invalid_argument("direction " + std::to_string(row + 1) + " does not exist (the set has "
                + std::to_string(directionCount) + ")");
}

std::vector<double> traversalShifts(const TraversalOptions &options, double sigma, int sign)
{
    const double unit = sigma > 0.0 ? sigma : 1.0;
    std::vector<double> shifts;
    for (int c = 0; c < options.columns; ++c)
        shifts.push_back(sign * options.range * unit * (2.0 * c / (options.columns - 1) - 1.0));
    return shifts;
}

std::vector<std::vector<ImageU8>> renderTraversal(
    LatentRenderer &renderer, const DirectionSet &directions, const TraversalOptions &options)
{
    directions.validate();
    const GeneratorInfo info = renderer.info();
    directions.requireGenerator(info.styleSize, info.channels, info.resolution, info.description, info.fingerprint);
    options.validate(directions.count());
    std::vector<int> rows = options.rows;
    if (rows.empty())
        for (int k = 0; k < directions.count(); ++k)
            rows.push_back(k);
    const Matrix style = renderer.styles({options.seed}, options.truncation);
    std::vector<std::vector<ImageU8>> grid;
    for (int k : rows) {
        const auto &direction = directions.directions[std::size_t(k)];
        Matrix shifts {options.columns, style.cols, {}};
        for (double amount : traversalShifts(options, direction.sigma, direction.sign))
            for (double value : direction.vector)
                shifts.values.push_back(amount * value);
        grid.push_back(renderer.renderShifts(style.values, shifts));
    }
    return grid;
}

ImageU8 tileImageGrid(const std::vector<ImageU8> &images, int columns, int gap)
{
    if (images.empty() || columns < 1)
        return {};
    const int width = images.front().width;
    const int height = images.front().height;
    const int channels = images.front().channels;
    const int rows = (int(images.size()) + columns - 1) / columns;
    ImageU8 grid;
    grid.channels = channels;
    grid.width = columns * width + (columns - 1) * gap;
    grid.height = rows * height + (rows - 1) * gap;
    grid.bytes.assign(std::size_t(grid.width) * grid.height * channels, GapGrey);
    const std::size_t rowBytes = std::size_t(width) * channels;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const auto &image = images[i];
        if (image.width != width || image.height != height || image.channels != channels)
            throw std::invalid_argument("tiled images must share one size");
        const int left = int(i % std::size_t(columns)) * (width + gap);
        const int top = int(i / std::size_t(columns)) * (height + gap);
        for (int y = 0; y < height; ++y)
            std::memcpy(grid.bytes.data() + (std::size_t(top + y) * grid.width + left) * channels,
                image.bytes.data() + std::size_t(y) * rowBytes, rowBytes);
    }
    return grid;
}

ImageU8 joinSideBySide(const ImageU8 &left, const ImageU8 &right, int gap)
{
    if (left.height != right.height || left.channels != right.channels || gap < 0)
        throw std::invalid_argument("images joined side by side must share height and channels");
    ImageU8 joined;
    joined.channels = left.channels;
    joined.width = left.width + gap + right.width;
    joined.height = left.height;
    joined.bytes.assign(std::size_t(joined.width) * joined.height * joined.channels, 255);
    const std::size_t leftBytes = std::size_t(left.width) * left.channels;
    const std::size_t rightBytes = std::size_t(right.width) * right.channels;
    const std::size_t rowBytes = std::size_t(joined.width) * joined.channels;
    for (int y = 0; y < joined.height; ++y) {
        std::uint8_t *row = joined.bytes.data() + std::size_t(y) * rowBytes;
        std::memcpy(row, left.bytes.data() + std::size_t(y) * leftBytes, leftBytes);
        std::memcpy(row + leftBytes + std::size_t(gap) * joined.channels,
            right.bytes.data() + std::size_t(y) * rightBytes, rightBytes);
    }
    return joined;
}

void writePngFile(const std::string &path, const ImageU8 &image)
{
    if (image.isEmpty())
        throw DataError("no image to write to " + path);
    cv::Mat mat(image.height, image.width, CV_8UC(image.channels), const_cast<std::uint8_t *>(image.bytes.data()));
    // A fresh buffer for the BGR copy: converting into `mat`'s own (the caller's const bytes) swapped the caller's
    // image in place, so the run folder's second write of one grid (samples.png) came out red for blue.
    cv::Mat bgr;
    if (image.channels == 3)
        cv::cvtColor(mat, bgr, cv::COLOR_RGB2BGR);
    else
        bgr = mat;
    std::vector<uchar> png;
    if (!cv::imencode(".png", bgr, png))
        throw DataError("cannot encode a PNG for " + path);
    writeFileAtomically(path, std::string(png.begin(), png.end()));
}

} // namespace untangle
