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
    /** Convolutions per resolution: 1 = the stride-2 one alone; n > 1 puts n - 1 3x3 stride-1 convolutions before it
     *  at that resolution (ProGAN's and StyleGAN's critics have two per stage), so details a few pixels wide at the
     *  full picture, a heart's cleft, are looked at before the first halving. */
    int convsPerStage = 1;
    static constexpr int MaxConvsPerStage = 3;
};

/**
 * [(convsPerStage - 1) x (conv k3 s1, LeakyReLU 0.2), spectral-norm conv k4 s2, LeakyReLU 0.2] down to 4 x 4 (the
 * first stage's first 3x3 maps the image channels to firstChannels), a minibatch-stddev channel (ProGAN; the
 * prototype's fix for collapse on sparse sprites, docs/methods/sre.md §11), a spectral-norm 3x3 conv, and a
 * spectral-norm linear score.
 */
struct DiscriminatorImpl : torch::nn::Module {
    explicit DiscriminatorImpl(const DiscriminatorConfig &config);
    torch::Tensor forward(const torch::Tensor &images);
    DiscriminatorConfig config;
    torch::nn::ModuleList downs;
    /** convsPerStage - 1 per stage, stage by stage; registered only when there are any, so critics with one
     *  convolution per stage keep the module names their checkpoints were saved with. */
    torch::nn::ModuleList stageConvs;
    SpectralConv2d last {nullptr};
    SpectralLinear score {nullptr};
};
TORCH_MODULE(Discriminator);

/** Multiply-accumulates of one forward for one image. */
double discriminatorMacs(const DiscriminatorConfig &config);

} // namespace untangle
