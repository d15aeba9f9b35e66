#pragma once
// model-internal: ProGAN's synthesis network, the built-in generator's alternative to the style-modulated one.
#include <torch/torch.h>
#include <vector>

namespace untangle {

struct StyleGeneratorConfig;

/**
 * ProGAN's synthesis (Karras et al. 2018) driven by w: w enters once, through a linear map to the 4 x 4 input (DCGAN's
 * first layer, so SeFa's A is that map's weight), then per stage from 8 x 8 on [upsample x2, convsPerStage x (plain
 * 3x3 conv, LeakyReLU 0.2, pixel norm)], then a 3x3 conv to image channels, linear (StyleGenerator clamps).
 * Pixel norm keeps every pixel's feature vector at unit length, per sample, so nothing depends on the batch (unlike
 * BatchNorm, whose running statistics would differ between training and the frozen, one-image-at-a-time explorer).
 * Measured on Sprites at 64 px with the logistic loss and an R1-only critic (docs/studies/latent-generators.md): at the
 * style synthesis's widths a coverage score of 0.70 after 3000 iterations where the style synthesis had 0.45 (0.65
 * after 6000).
 */
struct ProGanSynthesisImpl : torch::nn::Module {
    explicit ProGanSynthesisImpl(const StyleGeneratorConfig &config);
    torch::Tensor forward(const torch::Tensor &w);
    torch::nn::Linear input {nullptr}; // w -> 4 x 4 x stageChannels(0)
    torch::nn::ModuleList convs; // flat, in forward order
    std::vector<bool> upsampleBefore; // per conv: the first conv of every stage from 8 x 8 on
    torch::nn::Conv2d toImage {nullptr};
    int inputChannels = 0;
};
TORCH_MODULE(ProGanSynthesis);

/**
 * Starts `wide` as `narrow` with more channels per stage (Net2Net's widening, in a form pixel norm keeps): the old
 * channels' weights copied, each new channel's incoming weights and bias zero, so it outputs exactly 0 and `wide`
 * draws what `narrow` draws (to float precision). Pixel norm averages over more channels, which scales the old ones
 * by sqrt(new / old); the next layer's weights on them are divided by that. The new channels' outgoing weights keep
 * their random start, which gives their incoming weights a gradient from the first step. Same resolution, every
 * stage at least as wide; throws std::invalid_argument otherwise. No autograd.
 */
void widenProGanSynthesis(const ProGanSynthesisImpl &narrow, ProGanSynthesisImpl &wide);

/** Multiply-accumulates of one ProGanSynthesis forward for one image. */
double proGanSynthesisMacs(const StyleGeneratorConfig &config);

} // namespace untangle
