#include "gan/discriminator.h"

#include <algorithm>

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

DiscriminatorImpl::DiscriminatorImpl(const DiscriminatorConfig &config_)
    : config(config_)
{
    const int blocks = blockCount(config);
    for (int block = 0; block < blocks; ++block) {
        const int in = block == 0 ? config.channels : widthAt(config, block - 1);
        downs->push_back(SpectralConv2d(in, widthAt(config, block), 4, 2, 1, config.spectralNorm));
    }
    register_module("downs", downs);
    const int width = widthAt(config, blocks - 1);
    last = register_module("last", SpectralConv2d(width + 1, width, 3, 1, 1, config.spectralNorm));
    score = register_module("score", SpectralLinear(width * 16, 1, config.spectralNorm));
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor &images)
{
    auto x = images;
    for (auto &down : *downs)
        x = torch::leaky_relu(down->as<SpectralConv2d>()->forward(x), 0.2);
    x = torch::leaky_relu(last->forward(withMinibatchStddev(x)), 0.2);
    return score->forward(x.flatten(1)).view({-1});
}

double discriminatorMacs(const DiscriminatorConfig &config)
{
    double macs = 0.0;
    int size = config.resolution;
    const int blocks = blockCount(config);
    for (int block = 0; block < blocks; ++block) {
        size /= 2;
        const int in = block == 0 ? config.channels : widthAt(config, block - 1);
        macs += double(size) * size * 16.0 * in * widthAt(config, block);
    }
    const int width = widthAt(config, blocks - 1);
    macs += 16.0 * 9.0 * (width + 1) * width + 16.0 * width;
    return macs;
}

} // namespace untangle
