#include "corruptions.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace untangle {
namespace {

// Severities: Hendrycks & Dietterich (ICLR 2019) level 5 where it reads well at 28x28, softened where level 5 would
// erase a garment that small. Intensities are in [0, 1]; lengths are in pixels of a 28x28 image.
constexpr double GaussianNoiseSigma = 0.25; // CIFAR-C level 5 is 0.10, ImageNet-C 0.38: strong, outline still clear
constexpr double ShotNoisePhotons = 8.0; // photons at white (ImageNet-C level 5 = 3 wipes out texture at 28 px)
constexpr double ImpulseNoiseAmount
    = 0.15; // share of pixels set to black or white (between CIFAR-C 0.07, ImageNet-C 0.27)
constexpr double DefocusRadius = 2.0; // px; ImageNet-C level 5 (10 px at 224) scales to 1.25 px here, barely a blur
constexpr double DefocusAliasSigma = 0.5; // ImageNet-C smooths the disk's jagged rim with a small Gaussian too
constexpr int MotionBlurLength = 9; // streak length: a third of the width, clearly directional, shape kept
constexpr int JpegQuality = 7; // ImageNet-C level 5; at 28 px it rings and blocks, the silhouette survives
constexpr double PixelateBlock = 2.8; // 28 -> 10 cells (ImageNet-C level 5 is 4x): 4 px blocks flatten shoes and bags
constexpr double ContrastFactor = 0.3; // CIFAR-C level 5 is 0.15 (too faint on black backgrounds); 0.3 is washed out
constexpr double BrightnessShift = 0.4; // added to HSV value (= grey level); CIFAR-C 0.3, ImageNet-C 0.5 clips garments
constexpr double ElasticAlpha = 40.0; // displacement scale of Simard et al. (34 at sigma 4) pushed a little further
constexpr double ElasticSigma = 4.0; // smoothing of the field: larger keeps strokes coherent, smaller tears them

using Corrupt = void (*)(const cv::Mat &in, cv::Mat &out, cv::RNG &rng);

void gaussianNoise(const cv::Mat &in, cv::Mat &out, cv::RNG &rng)
{
    cv::Mat noise(in.size(), CV_32F);
    rng.fill(noise, cv::RNG::NORMAL, 0.0, GaussianNoiseSigma);
    out = in + noise;
}

/** Poisson(lambda) by Knuth's product of uniforms: lambda <= ShotNoisePhotons is small, so a few draws each. */
int poisson(double lambda, cv::RNG &rng)
{
    const double limit = std::exp(-lambda);
    int k = 0;
    double product = rng.uniform(0.0, 1.0);
    while (product > limit) {
        ++k;
        product *= rng.uniform(0.0, 1.0);
    }
    return k;
}

void shotNoise(const cv::Mat &in, cv::Mat &out, cv::RNG &rng)
{
    // OpenCV has no Poisson sampler; this per-pixel loop is the one hand-written transform.
    out.create(in.size(), CV_32F);
    for (int y = 0; y < in.rows; ++y) {
        const float *src = in.ptr<float>(y);
        float *dst = out.ptr<float>(y);
        for (int x = 0; x < in.cols; ++x)
            dst[x] = float(poisson(std::max(0.0f, src[x]) * ShotNoisePhotons, rng) / ShotNoisePhotons);
    }
}

void impulseNoise(const cv::Mat &in, cv::Mat &out, cv::RNG &rng)
{
    cv::Mat draw(in.size(), CV_32F);
    rng.fill(draw, cv::RNG::UNIFORM, 0.0, 1.0);
    out = in.clone();
    out.setTo(0.0, draw < ImpulseNoiseAmount / 2);
    out.setTo(1.0, draw >= 1.0 - ImpulseNoiseAmount / 2);
}

/** Disk of DefocusRadius, normalised, rim softened (ImageNet-C's defocus kernel). Fixed, so built once. */
cv::Mat makeDefocusKernel()
{
    const int half = int(std::ceil(DefocusRadius));
    const int size = 2 * half + 1;
    cv::Mat disk = cv::Mat::zeros(size, size, CV_32F);
    for (int y = -half; y <= half; ++y)
        for (int x = -half; x <= half; ++x)
            if (x * x + y * y <= DefocusRadius * DefocusRadius)
                disk.at<float>(y + half, x + half) = 1.0f;
    disk /= cv::sum(disk)[0];
    cv::GaussianBlur(disk, disk, cv::Size(3, 3), DefocusAliasSigma);
    return disk;
}

void defocusBlur(const cv::Mat &in, cv::Mat &out, cv::RNG &)
{
    static const cv::Mat kernel = makeDefocusKernel();
    cv::filter2D(in, out, CV_32F, kernel, cv::Point(-1, -1), 0.0, cv::BORDER_REFLECT_101);
}

void motionBlur(const cv::Mat &in, cv::Mat &out, cv::RNG &rng)
{
    // A centred line of MotionBlurLength pixels at a uniform angle: the direction is part of what varies per image.
    const double angle = rng.uniform(0.0, CV_PI);
    const double half = (MotionBlurLength - 1) / 2.0;
    const int centre = MotionBlurLength / 2;
    const cv::Point2d offset(half * std::cos(angle), half * std::sin(angle));
    cv::Mat kernel = cv::Mat::zeros(MotionBlurLength, MotionBlurLength, CV_32F);
    cv::line(kernel, cv::Point(cvRound(centre - offset.x), cvRound(centre - offset.y)),
        cv::Point(cvRound(centre + offset.x), cvRound(centre + offset.y)), cv::Scalar(1.0));
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(in, out, CV_32F, kernel, cv::Point(-1, -1), 0.0, cv::BORDER_REFLECT_101);
}

void jpeg(const cv::Mat &in, cv::Mat &out, cv::RNG &)
{
    cv::Mat bytes;
    in.convertTo(bytes, CV_8U, 255.0);
    std::vector<uchar> encoded;
    cv::imencode(".jpg", bytes, encoded, {cv::IMWRITE_JPEG_QUALITY, JpegQuality});
    cv::imdecode(encoded, cv::IMREAD_GRAYSCALE).convertTo(out, CV_32F, 1.0 / 255.0);
}

void pixelate(const cv::Mat &in, cv::Mat &out, cv::RNG &)
{
    const cv::Size small(std::max(1, cvRound(in.cols / PixelateBlock)), std::max(1, cvRound(in.rows / PixelateBlock)));
    cv::Mat reduced;
    cv::resize(in, reduced, small, 0.0, 0.0, cv::INTER_AREA);
    cv::resize(reduced, out, in.size(), 0.0, 0.0, cv::INTER_NEAREST);
}

void contrast(const cv::Mat &in, cv::Mat &out, cv::RNG &)
{
    const double mean = cv::mean(in)[0];
    in.convertTo(out, CV_32F, ContrastFactor, mean * (1.0 - ContrastFactor));
}

void brightness(const cv::Mat &in, cv::Mat &out, cv::RNG &)
{
    // For a grey image HSV's value is the grey level and saturation is 0, so ImageNet-C's "add to V" is an add.
    in.convertTo(out, CV_32F, 1.0, BrightnessShift);
}

void elastic(const cv::Mat &in, cv::Mat &out, cv::RNG &rng)
{
    // Simard et al. (2003): uniform(-1, 1) displacements, smoothed into a coherent field, then scaled.
    cv::Mat dx(in.size(), CV_32F), dy(in.size(), CV_32F);
    rng.fill(dx, cv::RNG::UNIFORM, -1.0, 1.0);
    rng.fill(dy, cv::RNG::UNIFORM, -1.0, 1.0);
    cv::GaussianBlur(dx, dx, cv::Size(0, 0), ElasticSigma, ElasticSigma, cv::BORDER_REFLECT_101);
    cv::GaussianBlur(dy, dy, cv::Size(0, 0), ElasticSigma, ElasticSigma, cv::BORDER_REFLECT_101);
    cv::Mat column(in.rows, 1, CV_32F), row(1, in.cols, CV_32F), gridX, gridY, mapX, mapY;
    for (int y = 0; y < in.rows; ++y)
        column.at<float>(y) = float(y);
    for (int x = 0; x < in.cols; ++x)
        row.at<float>(x) = float(x);
    cv::repeat(row, in.rows, 1, gridX);
    cv::repeat(column, 1, in.cols, gridY);
    cv::scaleAdd(dx, ElasticAlpha, gridX, mapX);
    cv::scaleAdd(dy, ElasticAlpha, gridY, mapY);
    cv::remap(in, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
}

Corrupt corruptFunction(Corruption corruption)
{
    switch (corruption) {
    case Corruption::GaussianNoise:
        return gaussianNoise;
    case Corruption::ShotNoise:
        return shotNoise;
    case Corruption::ImpulseNoise:
        return impulseNoise;
    case Corruption::DefocusBlur:
        return defocusBlur;
    case Corruption::MotionBlur:
        return motionBlur;
    case Corruption::Jpeg:
        return jpeg;
    case Corruption::Pixelate:
        return pixelate;
    case Corruption::Contrast:
        return contrast;
    case Corruption::Brightness:
        return brightness;
    case Corruption::Elastic:
        return elastic;
    }
    throw std::invalid_argument("unknown corruption " + std::to_string(int(corruption)));
}

} // namespace

const std::vector<std::string> &corruptionNames()
{
    static const std::vector<std::string> names = {
        "Gaussian noise",
        "shot noise",
        "impulse noise",
        "defocus blur",
        "motion blur",
        "JPEG",
        "pixelate",
        "contrast",
        "brightness",
        "elastic",
    };
    return names;
}

void applyCorruption(
    Corruption corruption, const std::uint8_t *grey, int height, int width, std::uint64_t seed, std::uint8_t *rgbOut)
{
    if (height <= 0 || width <= 0)
        throw std::invalid_argument("applyCorruption: empty image");
    const Corrupt corrupt = corruptFunction(corruption);
    const cv::Mat source(height, width, CV_8UC1, const_cast<std::uint8_t *>(grey));
    cv::Mat input, corrupted;
    source.convertTo(input, CV_32F, 1.0 / 255.0);
    cv::RNG rng(seed);
    corrupt(input, corrupted, rng);

    cv::Mat greyOut;
    corrupted.convertTo(greyOut, CV_8U, 255.0); // saturating: clips to [0, 255] as ImageNet-C clips to [0, 1]
    cv::Mat out(height, width, CV_8UC3, rgbOut);
    cv::cvtColor(greyOut, out, cv::COLOR_GRAY2RGB);
    CV_Assert(out.data == rgbOut); // written in place, not into a reallocated buffer
}

} // namespace untangle
