#pragma once
// model-internal: spectral normalisation (Miyato et al. 2018), which LibTorch 1.13 does not ship.
#include <torch/torch.h>

namespace untangle {

/**
 * weight / sigma(weight), sigma estimated by power iteration on the weight viewed as (out, rest). One iteration
 * per training forward refines the persistent u (as torch.nn.utils.spectral_norm); in eval mode u is reused.
 */
torch::Tensor spectralNormalised(const torch::Tensor &weight, torch::Tensor &u, bool training);

/** normalise = false keeps the same parameters and buffer but uses the weight as it is (a plain layer, for a critic
 *  held in check by the R1 penalty alone, as StyleGAN2's). */
struct SpectralConv2dImpl : torch::nn::Module {
    SpectralConv2dImpl(int in, int out, int kernel, int stride, int padding, bool normalise = true);
    torch::Tensor forward(const torch::Tensor &x);
    torch::Tensor weight, bias, u;
    int stride = 1;
    int padding = 0;
    bool normalise = true;
};
TORCH_MODULE(SpectralConv2d);

struct SpectralLinearImpl : torch::nn::Module {
    SpectralLinearImpl(int in, int out, bool normalise = true);
    torch::Tensor forward(const torch::Tensor &x);
    torch::Tensor weight, bias, u;
    bool normalise = true;
};
TORCH_MODULE(SpectralLinear);

} // namespace untangle
