#include "explore/walkvideo.h"

#include "dataerror.h"
#include "explore/latentrenderer.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <filesystem>
#include <stdexcept>

namespace untangle {
namespace {

/** Frames rendered per generator call: big enough to amortise the call, small enough to stay a few MB. */
constexpr int FramesPerBatch = 16;

std::string lowerExtension(const std::string &path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    for (char &c : extension)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return extension;
}

} // namespace

void WalkOptions::validate() const
{
    if (frames < 2 || frames > 10000)
        throw std::invalid_argument("a walk needs 2 to 10000 frames, got " + std::to_string(frames));
    if (!(range > 0.0) || !std::isfinite(range))
        throw std::invalid_argument("the walk range must be positive");
    if (!(fps > 0.0) || fps > 240.0)
        throw std::invalid_argument("fps must be in (0, 240]");
    if (scale < 1 || scale > 16)
        throw std::invalid_argument("scale must be 1 to 16");
}

double walkAmount(const WalkOptions &options, int frame)
{
    // Triangle wave of period `frames`: quarter up, half down, quarter back up, so the loop is seamless.
    const double phase = double(frame) / options.frames;
    double unit;
    if (phase < 0.25)
        unit = 4.0 * phase;
    else if (phase < 0.75)
        unit = 2.0 - 4.0 * phase;
    else
        unit = 4.0 * phase - 4.0;
    return unit * options.range;
}

void writeWalkVideo(LatentRenderer &renderer, const DirectionSet &directions, int direction, const WalkOptions &options,
    const std::string &path)
{
    options.validate();
    directions.validate();
    const GeneratorInfo info = renderer.info();
    directions.requireGenerator(info.styleSize, info.channels, info.resolution, info.description, info.fingerprint);
    if (direction < 0 || direction >= directions.count())
        throw std::invalid_argument("direction " + std::to_string(direction + 1) + " does not exist (the set has "
            + std::to_string(directions.count()) + ")");
    const std::string extension = lowerExtension(path);
    int fourcc = 0;
    if (extension == ".avi")
        fourcc = cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
    else if (extension == ".mp4")
        fourcc = cv::VideoWriter::fourcc('m', 'p', '4', 'v');
    else
        throw DataError("cannot write a video to " + path + ": use .avi or .mp4");

    const auto &named = directions.directions[std::size_t(direction)];
    const double unit = (named.sigma > 0.0 ? named.sigma : 1.0) * named.sign;
    const Matrix style = renderer.styles({options.seed}, options.truncation);
    const int side = renderer.info().resolution * options.scale;
    const std::filesystem::path finalPath(path);
    if (finalPath.has_parent_path())
        std::filesystem::create_directories(finalPath.parent_path());
    const std::string partial
        = (finalPath.parent_path() / ("." + finalPath.stem().string() + ".partial" + extension)).string();
    cv::VideoWriter writer(partial, fourcc, options.fps, cv::Size(side, side), true);
    if (!writer.isOpened())
        throw DataError("no video encoder could open " + path + " (OpenCV VideoWriter)");
    for (int first = 0; first < options.frames; first += FramesPerBatch) {
        const int count = std::min(FramesPerBatch, options.frames - first);
        Matrix shifts {count, style.cols, {}};
        for (int f = first; f < first + count; ++f)
            for (double value : named.vector)
                shifts.values.push_back(walkAmount(options, f) * unit * value);
        for (const ImageU8 &image : renderer.renderShifts(style.values, shifts)) {
            cv::Mat mat(
                image.height, image.width, CV_8UC(image.channels), const_cast<std::uint8_t *>(image.bytes.data()));
            cv::Mat bgr;
            cv::cvtColor(mat, bgr, image.channels == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_RGB2BGR);
            cv::Mat big;
            cv::resize(bgr, big, cv::Size(side, side), 0, 0, cv::INTER_NEAREST);
            writer.write(big);
        }
    }
    writer.release();
    std::error_code error;
    if (std::filesystem::file_size(partial, error) == 0 || error) {
        std::filesystem::remove(partial, error);
        throw DataError("the video encoder wrote nothing to " + path);
    }
    std::filesystem::rename(partial, finalPath, error);
    if (error)
        throw DataError("cannot move the video into place at " + path + ": " + error.message());
}

} // namespace untangle
