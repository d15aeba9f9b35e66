#include "gan/progansynthesis.h"

#include "gan/stylegenerator.h"

#include <cmath>
#include <stdexcept>

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

namespace {

/** Copies `from` into the leading block of `to` (sizes per dimension no larger), divided by `divisor`. */
void copyLeading(const torch::Tensor &from, const torch::Tensor &to, double divisor)
{
    auto block = to;
    for (int64_t dim = 0; dim < from.dim(); ++dim) {
        if (from.size(dim) > to.size(dim))
            throw std::invalid_argument("cannot widen ProGAN's synthesis: a layer of the narrow one is wider");
        block = block.narrow(dim, 0, from.size(dim));
    }
    block.copy_(from / divisor);
}

/** How much pixel norm scales the old channels when `wide` channels average where `narrow` did. */
double widenedNormScale(int64_t narrow, int64_t wide)
{
    return std::sqrt(double(wide) / double(narrow));
}

} // namespace

void widenProGanSynthesis(const ProGanSynthesisImpl &narrow, ProGanSynthesisImpl &wide)
{
    if (narrow.convs->size() != wide.convs->size() || narrow.input->weight.size(1) != wide.input->weight.size(1)
        || narrow.toImage->weight.size(0) != wide.toImage->weight.size(0))
        throw std::invalid_argument("cannot widen ProGAN's synthesis: the two have other layers, style or image sizes");
    torch::NoGradGuard noGrad;
    // The input map's rows are channel-major (view to channels x 4 x 4), so the old channels are its leading rows.
    wide.input->weight.zero_();
    wide.input->bias.zero_();
    copyLeading(narrow.input->weight, wide.input->weight, 1.0);
    copyLeading(narrow.input->bias, wide.input->bias, 1.0);
    double scale = widenedNormScale(narrow.inputChannels, wide.inputChannels);
    for (std::size_t index = 0; index < wide.convs->size(); ++index) {
        const auto &from = narrow.convs->at<torch::nn::Conv2dImpl>(index);
        auto &to = wide.convs->at<torch::nn::Conv2dImpl>(index);
        const auto oldOut = from.weight.size(0);
        // New output channels: zero in, so exactly 0 out; their columns from new inputs keep the random start.
        to.weight.narrow(0, oldOut, to.weight.size(0) - oldOut).zero_();
        to.bias.narrow(0, oldOut, to.bias.size(0) - oldOut).zero_();
        copyLeading(from.weight, to.weight, scale);
        copyLeading(from.bias, to.bias, 1.0);
        scale = widenedNormScale(oldOut, to.weight.size(0));
    }
    copyLeading(narrow.toImage->weight, wide.toImage->weight, scale);
    copyLeading(narrow.toImage->bias, wide.toImage->bias, 1.0);
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
