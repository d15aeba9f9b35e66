#pragma once
// model-internal: the GAN's critic.
#include "gan/spectralnorm.h"

namespace untangle {

struct DiscriminatorConfig {
    int resolution = 32;
    int channels = 1;
    int firstChannels = 16; // doubled per halving of the resolution ...
    int maxChannels = 128; // ... up to this
    bool spectralNorm = true; // false: plain layers (GanConfig::spectralNorm)
};

/**
 * [spectral-norm conv k4 s2, LeakyReLU 0.2] down to 4 x 4, a minibatch-stddev channel (ProGAN; the prototype's
 * fix for collapse on sparse sprites, docs/methods/sre.md §11), a spectral-norm 3x3 conv, and a spectral-norm
 * linear score.
 */
struct DiscriminatorImpl : torch::nn::Module {
    explicit DiscriminatorImpl(const DiscriminatorConfig &config);
    torch::Tensor forward(const torch::Tensor &images);
    DiscriminatorConfig config;
    torch::nn::ModuleList downs;
    SpectralConv2d last {nullptr};
    SpectralLinear score {nullptr};
};
TORCH_MODULE(Discriminator);

/** Multiply-accumulates of one forward for one image. */
double discriminatorMacs(const DiscriminatorConfig &config);

} // namespace untangle
