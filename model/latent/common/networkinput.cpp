#include "common/networkinput.h"

#include "dataerror.h"
#include "imageheader.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <stdexcept>

namespace untangle {

namespace {

/** float HWC (1 or 3 channels, any range) -> the requested channels and size, written as CHW. */
void matToNetwork(cv::Mat image, const NetworkInputShape &shape, float *out)
{
    if (shape.channels != 1 && shape.channels != 3)
        throw std::invalid_argument("a network input has 1 or 3 channels, got " + std::to_string(shape.channels));
    if (image.channels() == 3 && shape.channels == 1)
        cv::cvtColor(image, image, cv::COLOR_RGB2GRAY);
    else if (image.channels() == 1 && shape.channels == 3)
        cv::cvtColor(image, image, cv::COLOR_GRAY2RGB);
    if (image.rows != shape.resolution || image.cols != shape.resolution) {
        const bool shrinking = image.rows > shape.resolution || image.cols > shape.resolution;
        cv::Mat resized;
        cv::resize(image, resized, cv::Size(shape.resolution, shape.resolution), 0, 0,
            shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        image = resized;
    }
    const std::size_t plane = std::size_t(shape.resolution) * shape.resolution;
    std::vector<cv::Mat> planes;
    for (int c = 0; c < shape.channels; ++c)
        planes.emplace_back(shape.resolution, shape.resolution, CV_32F, out + plane * c); // split writes into out
    cv::split(image, planes);
}

} // namespace

void uint8ImageToNetwork(
    const std::uint8_t *hwc, int height, int width, int channels, const NetworkInputShape &shape, float *out)
{
    if (channels != 1 && channels != 3)
        throw std::invalid_argument("images have 1 or 3 channels, got " + std::to_string(channels));
    const cv::Mat bytes(height, width, CV_8UC(channels), const_cast<std::uint8_t *>(hwc));
    cv::Mat image;
    bytes.convertTo(image, CV_32F, 2.0 / 255.0, -1.0); // [0, 255] -> [-1, 1], as the generator's tanh output
    matToNetwork(image, shape, out);
}

void floatImageToNetwork(
    const std::vector<float> &chw, int channels, int height, int width, const NetworkInputShape &shape, float *out)
{
    if (channels != 1 && channels != 3)
        throw std::invalid_argument("images have 1 or 3 channels, got " + std::to_string(channels));
    if (height < 1 || width < 1 || chw.size() != std::size_t(channels) * height * width)
        throw std::invalid_argument("an image of " + std::to_string(channels) + " x " + std::to_string(height) + " x "
            + std::to_string(width) + " needs that many values, got " + std::to_string(chw.size()));
    std::vector<cv::Mat> planes;
    const std::size_t plane = std::size_t(height) * width;
    for (int c = 0; c < channels; ++c)
        planes.emplace_back(height, width, CV_32F, const_cast<float *>(chw.data()) + plane * c);
    cv::Mat image;
    cv::merge(planes, image);
    matToNetwork(image, shape, out);
}

void imageFileToNetwork(const std::string &path, const NetworkInputShape &shape, float *out)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw DataError("query image " + path + " does not exist");
    checkDecodableImage(path, "query image"); // a forged header must not make OpenCV allocate gigabytes
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_ANYCOLOR); // grey files stay grey, colour ones come as BGR
    } catch (const cv::Exception &) {
        image.release();
    }
    if (image.empty())
        throw DataError(
            "query image " + path + " cannot be read as an image (not a format OpenCV decodes, or damaged)");
    if (image.depth() != CV_8U) {
        // 16-bit PNG / TIFF: scale to 8 bits so every file maps to [-1, 1] the same way.
        const double scale = image.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
        image.convertTo(image, CV_8U, scale);
    }
    if (image.channels() == 4)
        cv::cvtColor(image, image, cv::COLOR_BGRA2RGB);
    else if (image.channels() == 3)
        cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
    else if (image.channels() != 1)
        throw DataError("query image " + path + " has " + std::to_string(image.channels()) + " channels");
    const cv::Mat continuous = image.isContinuous() ? image : image.clone();
    uint8ImageToNetwork(
        continuous.ptr<std::uint8_t>(), continuous.rows, continuous.cols, continuous.channels(), shape, out);
}

} // namespace untangle
