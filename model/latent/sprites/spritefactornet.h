#pragma once
// model-internal: the Sprites factor classifier network (one softmax head per dSprites factor).
#include <cstdint>
#include <torch/torch.h>
#include <vector>

namespace untangle {

struct SpriteFactorNetConfig {
    int resolution = 64; // 32 or 64: the Sprites renderer's two profiles
    int hidden = 256; // width of the shared layer in front of the heads
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/**
 * Image (B, 1, R, R) in [-1, 1] -> one logit tensor per factor, (B, SpriteFactorSizes[f]) in SpriteFactor order.
 * Two coordinate channels are appended to the input (CoordConv): position is most of what the heads must read
 * (64 of the 113 classes), and a plain conv stack has to learn it from padding effects. Then k4 s2 p1 convolutions
 * down to 4 x 4 (64: 16, 32, 64, 64 channels; 32: 32, 64, 64), ReLU, a shared Linear(hidden) and five heads.
 * Sized to train in well under a minute on two cores (docs/methods/sre.md §7.2's optional factor classifier); no
 * batch norm, so train and eval behave the same on generated images whose statistics differ from the renderer's.
 */
struct SpriteFactorNetImpl : torch::nn::Module {
    explicit SpriteFactorNetImpl(const SpriteFactorNetConfig &config);
    std::vector<torch::Tensor> forward(const torch::Tensor &images);
    /** Kaiming-uniform weights and zero biases from a private seeded generator: the global torch RNG (which a GAN
     *  trainer calling us may depend on) is left untouched. */
    void initialise(std::uint64_t seed);

    SpriteFactorNetConfig config;
    torch::nn::Sequential body {nullptr};
    torch::nn::Linear heads {nullptr};
    torch::Tensor coordinates; // (1, 2, R, R) buffer: x and y in [-1, 1]
};
TORCH_MODULE(SpriteFactorNet);

/** Bytes (B, R, R) of 0..255 renderer output -> (B, 1, R, R) float in [-1, 1], as every latent network sees images. */
torch::Tensor spriteBytesToImages(const std::vector<std::uint8_t> &bytes, int count, int resolution);

} // namespace untangle
