#include "gan/progansynthesis.h"

#include "gan/stylegenerator.h"

namespace untangle {

namespace {

torch::Tensor leakyPixelNormalised(const torch::Tensor &x)
{
    const auto y = torch::leaky_relu(x, 0.2);
    return y * torch::rsqrt(y.pow(2).mean(1, true) + 1e-8);
}

} // namespace

ProGanSynthesisImpl::ProGanSynthesisImpl(const StyleGeneratorConfig &config)
    : inputChannels(config.stageChannels(0))
{
    input = register_module("input", torch::nn::Linear(config.styleSize, inputChannels * 16));
    for (int stage = 1; stage < config.stageCount(); ++stage) {
        const int in = config.stageChannels(stage - 1);
        const int out = config.stageChannels(stage);
        for (int conv = 0; conv < config.convsPerStage; ++conv) {
            convs->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(conv == 0 ? in : out, out, 3).padding(1)));
            upsampleBefore.push_back(conv == 0);
        }
    }
    register_module("convs", convs);
    const int last = config.stageChannels(config.stageCount() - 1);
    toImage
        = register_module("toImage", torch::nn::Conv2d(torch::nn::Conv2dOptions(last, config.channels, 3).padding(1)));
}

torch::Tensor ProGanSynthesisImpl::forward(const torch::Tensor &w)
{
    auto x = leakyPixelNormalised(input->forward(w).view({w.size(0), inputChannels, 4, 4}));
    for (std::size_t conv = 0; conv < convs->size(); ++conv) {
        if (upsampleBefore[conv])
            x = torch::upsample_nearest2d(x, std::vector<int64_t> {x.size(2) * 2, x.size(3) * 2});
        x = leakyPixelNormalised(convs[conv]->as<torch::nn::Conv2d>()->forward(x));
    }
    return toImage->forward(x);
}

double proGanSynthesisMacs(const StyleGeneratorConfig &config)
{
    double macs = double(config.styleSize) * config.stageChannels(0) * 16;
    for (int stage = 1; stage < config.stageCount(); ++stage) {
        const double pixels = double(4 << stage) * double(4 << stage);
        const int in = config.stageChannels(stage - 1);
        const int out = config.stageChannels(stage);
        macs += pixels * 9.0 * (double(in) * out + double(config.convsPerStage - 1) * out * out);
    }
    const int last = config.stageChannels(config.stageCount() - 1);
    macs += double(config.resolution) * config.resolution * 9.0 * last * config.channels;
    return macs;
}

} // namespace untangle
