#include "sprites/spritefactornet.h"

#include "gan/smallcnn.h"

#include "spritesrenderer.h"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace untangle {

namespace {

constexpr int CoordinateChannels = 2;
constexpr int FinalSide = 4;
constexpr int FullResolutionWidth = 16; // the conv stack stops at 4 x 4, like the light score CNN

std::vector<int> stageWidths(int resolution)
{
    // One stage per halving down to 4 x 4; cheap (narrow) where the maps are large.
    return resolution == 64 ? std::vector<int> {16, 32, 64, 64} : std::vector<int> {32, 64, 64};
}

int totalClasses()
{
    return std::accumulate(SpriteFactorSizes.begin(), SpriteFactorSizes.end(), 0);
}

} // namespace

void SpriteFactorNetConfig::validate() const
{
    if (resolution != 32 && resolution != 64)
        throw std::invalid_argument(
            "the Sprites factor model works at 32 or 64 pixels, got " + std::to_string(resolution));
    if (hidden < 8)
        throw std::invalid_argument(
            "the Sprites factor model needs a hidden width of at least 8, got " + std::to_string(hidden));
}

SpriteFactorNetImpl::SpriteFactorNetImpl(const SpriteFactorNetConfig &config_)
    : config(config_)
{
    config.validate();
    body = torch::nn::Sequential();
    int in = 1 + CoordinateChannels;
    if (config.resolution == 32) {
        // A stride-1 layer first: at 32 px the smallest sprites are 5 px wide, and a stride-2 first layer blurred the
        // difference between a small ellipse and a small heart. (At 64 px the same layer cost 5x the step time.)
        body->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, FullResolutionWidth, 3).padding(1)));
        body->push_back(torch::nn::ReLU());
        in = FullResolutionWidth;
    }
    for (int width : stageWidths(config.resolution)) {
        body->push_back(downConv(in, width));
        body->push_back(torch::nn::ReLU());
        in = width;
    }
    body->push_back(torch::nn::Flatten());
    body->push_back(torch::nn::Linear(in * FinalSide * FinalSide, config.hidden));
    body->push_back(torch::nn::ReLU());
    register_module("body", body);
    heads = register_module("heads", torch::nn::Linear(config.hidden, totalClasses()));

    coordinates = register_buffer("coordinates", coordinateGrid(config.resolution));
}

std::vector<torch::Tensor> SpriteFactorNetImpl::forward(const torch::Tensor &images)
{
    const auto batch = images.size(0);
    const auto input = torch::cat({images, coordinates.expand({batch, CoordinateChannels, -1, -1})}, 1);
    const auto logits = heads->forward(body->forward(input));
    std::vector<int64_t> sizes(SpriteFactorSizes.begin(), SpriteFactorSizes.end());
    return logits.split_with_sizes(sizes, 1);
}

void SpriteFactorNetImpl::initialise(std::uint64_t seed)
{
    heUniformInitialise(*this, seed);
}

torch::Tensor spriteBytesToImages(const std::vector<std::uint8_t> &bytes, int count, int resolution)
{
    if (bytes.size() != std::size_t(count) * resolution * resolution)
        throw std::invalid_argument("sprite byte buffer does not hold " + std::to_string(count) + " images");
    auto data
        = torch::from_blob(const_cast<std::uint8_t *>(bytes.data()), {count, 1, resolution, resolution}, torch::kUInt8);
    return data.to(torch::kFloat32).div_(127.5).sub_(1.0);
}

} // namespace untangle
