#include "gan/discriminator.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace untangle {

namespace {

constexpr int StddevGroup = 4;

/** Appends the mean over features of the per-group standard deviation as one more channel. */
torch::Tensor withMinibatchStddev(const torch::Tensor &x)
{
    const auto batch = x.size(0);
    const auto group = std::min<int64_t>(StddevGroup, batch);
    if (batch % group != 0)
        return torch::cat({x, torch::zeros({batch, 1, x.size(2), x.size(3)})}, 1);
    auto grouped = x.view({group, batch / group, x.size(1), x.size(2), x.size(3)});
    auto stddev = torch::sqrt(grouped.var(0, false) + 1e-8).mean({1, 2, 3}); // (batch / group)
    auto channel = stddev.view({1, -1, 1, 1, 1}).expand({group, -1, 1, x.size(2), x.size(3)});
    return torch::cat({x, channel.reshape({batch, 1, x.size(2), x.size(3)})}, 1);
}

int widthAt(const DiscriminatorConfig &config, int block)
{
    return std::min(config.maxChannels, config.firstChannels << block);
}

int blockCount(const DiscriminatorConfig &config)
{
    int blocks = 0;
    for (int size = config.resolution; size > 4; size /= 2)
        ++blocks;
    return blocks;
}

} // namespace

/** The width a stage's stride-2 convolution reads: the previous stage's, or at the first stage the image channels,
 *  unless 3x3 convolutions before it (convsPerStage > 1) have mapped them to firstChannels. */
int downInputWidth(const DiscriminatorConfig &config, int block)
{
    if (block > 0)
        return widthAt(config, block - 1);
    return config.convsPerStage > 1 ? config.firstChannels : config.channels;
}

DiscriminatorImpl::DiscriminatorImpl(const DiscriminatorConfig &config_)
    : config(config_)
{
    if (config.convsPerStage < 1 || config.convsPerStage > DiscriminatorConfig::MaxConvsPerStage)
        throw std::invalid_argument("critic convolutions per stage must be 1 to "
            + std::to_string(DiscriminatorConfig::MaxConvsPerStage) + ", got " + std::to_string(config.convsPerStage));
    const int blocks = blockCount(config);
    for (int block = 0; block < blocks; ++block) {
        const int width = downInputWidth(config, block);
        for (int extra = 1; extra < config.convsPerStage; ++extra) {
            const int in = block == 0 && extra == 1 ? config.channels : width;
            stageConvs->push_back(SpectralConv2d(in, width, 3, 1, 1, config.spectralNorm));
        }
        downs->push_back(SpectralConv2d(width, widthAt(config, block), 4, 2, 1, config.spectralNorm));
    }
    register_module("downs", downs);
    if (!stageConvs->is_empty())
        register_module("stageConvs", stageConvs);
    const int width = widthAt(config, blocks - 1);
    last = register_module("last", SpectralConv2d(width + 1, width, 3, 1, 1, config.spectralNorm));
    score = register_module("score", SpectralLinear(width * 16, 1, config.spectralNorm));
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor &images)
{
    auto x = images;
    const int extras = config.convsPerStage - 1;
    for (std::size_t block = 0; block < downs->size(); ++block) {
        for (int extra = 0; extra < extras; ++extra)
            x = torch::leaky_relu(stageConvs[block * extras + extra]->as<SpectralConv2d>()->forward(x), 0.2);
        x = torch::leaky_relu(downs[block]->as<SpectralConv2d>()->forward(x), 0.2);
    }
    x = torch::leaky_relu(last->forward(withMinibatchStddev(x)), 0.2);
    return score->forward(x.flatten(1)).view({-1});
}

double discriminatorMacs(const DiscriminatorConfig &config)
{
    double macs = 0.0;
    int size = config.resolution;
    const int blocks = blockCount(config);
    for (int block = 0; block < blocks; ++block) {
        const int in = downInputWidth(config, block);
        for (int extra = 1; extra < config.convsPerStage; ++extra) // 3x3 at this stage's resolution
            macs += double(size) * size * 9.0 * (block == 0 && extra == 1 ? config.channels : in) * in;
        size /= 2;
        macs += double(size) * size * 16.0 * in * widthAt(config, block);
    }
    const int width = widthAt(config, blocks - 1);
    macs += 16.0 * 9.0 * (width + 1) * width + 16.0 * width;
    return macs;
}

} // namespace untangle
