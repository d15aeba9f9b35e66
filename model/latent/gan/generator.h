#pragma once
// model-internal: what the latent engine needs from any generator, built-in or imported (TorchScript).
#include <memory>
#include <string>
#include <torch/torch.h>

namespace untangle {

/** Shape facts about a generator, shown to the user and checked against direction files. */
struct GeneratorShape {
    int latentSize = 0; // z
    int styleSize = 0; // w: the space directions live in (equals latentSize without a mapping network)
    int resolution = 0; // images are channels x resolution x resolution
    int channels = 0;
    bool hasStyleSpace = false; // a mapping z -> w exists; otherwise w is z
};

/**
 * A frozen image generator: z ~ N(0, I) -> mapping -> w -> synthesis -> image in [-1, 1], NCHW float32.
 * Directions, SRE and the GUI all edit w (docs/methods/sre.md §1.8: W space when there is one, Z otherwise).
 * synthesis must be differentiable with respect to w: SRE's direction step back-propagates through it
 * (docs/methods/sre.md, pitfall 5). Implementations keep their parameters frozen (requires_grad false) and in eval
 * mode.
 */
class Generator {
public:
    virtual ~Generator() = default;
    virtual GeneratorShape shape() const = 0;
    /** (B, latentSize) -> (B, styleSize); the identity for generators without a style space. */
    virtual torch::Tensor mapping(const torch::Tensor &z) = 0;
    /** (B, styleSize) -> (B, channels, resolution, resolution) in [-1, 1]. */
    virtual torch::Tensor synthesis(const torch::Tensor &w) = 0;
    /**
     * The same images before any final clamp to [-1, 1], for training through the generator (SRE): a clamped pixel
     * passes no gradient, so a direction that pushes a saturated region further learns nothing from it. The authors'
     * StyleGAN2 has no clamp at all. Defaults to synthesis (TorchScript generators end in tanh or similar).
     */
    virtual torch::Tensor differentiableSynthesis(const torch::Tensor &w) { return synthesis(w); }
    /**
     * The weight SeFa factorises (docs/methods/sre.md §2.1): every latent-to-feature affine map stacked along rows,
     * (outputs x styleSize). Undefined when the generator does not expose one (SeFa then refuses clearly).
     */
    virtual torch::Tensor sefaWeight() const { return {}; }
    /** Where it came from, for reports: "built-in style GAN, run folder /x" or "TorchScript /y.pt". */
    virtual std::string description() const = 0;
    /** Which weights these are (weightsfingerprint.h), recorded in direction files and checked against them. */
    virtual std::string fingerprint() const = 0;
};

using GeneratorPtr = std::shared_ptr<Generator>;

} // namespace untangle
