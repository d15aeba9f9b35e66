#pragma once
// model-internal: the built-in style-modulated generator (StyleGAN-like, sized for a 2-core CPU).
#include "gan/generator.h"
#include "gan/progansynthesis.h"
#include <cstdint>
#include <vector>

namespace untangle {

struct StyleGeneratorConfig {
    int latentSize = 64;
    int styleSize = 64;
    int mappingLayers = 3;
    int resolution = 64; // 32 or 64 (any power of two >= 8 works)
    int channels = 1;
    int baseChannels = 128; // at 4 x 4; halved per doubling of the resolution ...
    int minChannels = 8; // ... down to this
    /** Modulated 3x3 convolutions per stage from 8 x 8 on (the 4 x 4 stage has one): 1 (ours so far) or StyleGAN's 2,
     *  the second at the stage's own resolution, which gives the large stages twice the capacity for detail. */
    int convsPerStage = 1;
    /** Adds a linear map of w to the learned 4 x 4 constant, so w places the picture's layout directly (DCGAN's first
     *  layer) instead of only re-weighting channels of a fixed layout: a sprite's position and outline then need no
     *  channel juggling. false = the constant alone (StyleGAN, and every file from before the option). */
    bool styledInput = false;
    /** Which synthesis network turns w into pixels: StyleGAN's modulated convolutions (every file from before the
     *  option) or ProGAN's plain, pixel-normalised ones fed by w once (ProGanSynthesisImpl). */
    enum class Synthesis { Style = 0, ProGan = 1 };
    Synthesis synthesis = Synthesis::Style;
    /** Channels of the synthesis block at stage i (4 << i pixels). */
    int stageChannels(int stage) const;
    int stageCount() const;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/**
 * Mapping: z -> pixel norm -> mappingLayers x [Linear (Kaiming-normal init, variance preserving), LeakyReLU 0.2].
 * Without the Kaiming init the prototype's mapping shrank z's effect and training collapsed (docs/methods/sre.md §11).
 */
struct StyleMappingImpl : torch::nn::Module {
    explicit StyleMappingImpl(const StyleGeneratorConfig &config);
    torch::Tensor forward(torch::Tensor z);
    torch::nn::ModuleList layers;
};
TORCH_MODULE(StyleMapping);

/**
 * StyleGAN2's modulated convolution in its unfused form: the input is scaled per channel by a style s = A w + 1,
 * convolved with one shared weight, and each output channel is divided by the norm the modulated weight would have
 * (demodulation), so w injects into every layer at the cost of one plain convolution.
 */
struct ModulatedConvImpl : torch::nn::Module {
    ModulatedConvImpl(int styleSize, int inChannels, int outChannels, int kernel, bool demodulate);
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &w);
    torch::nn::Linear affine {nullptr};
    torch::Tensor weight, bias;
    int padding = 0;
    bool demodulate = true;
};
TORCH_MODULE(ModulatedConv);

/** Learned 4 x 4 constant, then per stage [upsample x2 (from 8 x 8 on), convsPerStage x (modulated 3x3 conv,
 *  LeakyReLU)] (one conv at 4 x 4), then a
 *  modulated 1x1 to image channels, linear (StyleGenerator clamps to [-1, 1]). No noise inputs: an image is a
 * deterministic function of w. */
struct StyleSynthesisImpl : torch::nn::Module {
    explicit StyleSynthesisImpl(const StyleGeneratorConfig &config);
    torch::Tensor forward(const torch::Tensor &w);
    torch::Tensor constant;
    torch::nn::Linear input {
        nullptr}; // w -> 4 x 4 x channels, added to the constant (StyleGeneratorConfig::styledInput)
    torch::nn::ModuleList convs;
    std::vector<bool> upsampleBefore; // per conv: the first conv of every stage from 8 x 8 on
    ModulatedConv toImage {nullptr};
};
TORCH_MODULE(StyleSynthesis);

/** The mapping and one synthesis network (config.synthesis says which; the other stays null). */
struct StyleNetworkImpl : torch::nn::Module {
    explicit StyleNetworkImpl(const StyleGeneratorConfig &config);
    torch::Tensor forward(const torch::Tensor &z) { return synthesize(mapping->forward(z)); }
    /** w -> image, linear output, through whichever synthesis the network has. */
    torch::Tensor synthesize(const torch::Tensor &w) { return synthesis ? synthesis->forward(w) : proGan->forward(w); }
    /** The synthesis network's parameters (the generator's optimiser gives the mapping its own rate). */
    std::vector<torch::Tensor> synthesisParameters() const;
    StyleGeneratorConfig config;
    StyleMapping mapping {nullptr};
    StyleSynthesis synthesis {nullptr};
    ProGanSynthesis proGan {nullptr};
};
TORCH_MODULE(StyleNetwork);

/** The modulation (affine) weights of every synthesis conv except the final 1x1, stacked, after the styled input's
 *  weight when there is one (the layer that takes w first, as SeFa's A for PGGAN): SeFa's A (docs/methods/sre.md
 *  §2.1). For ProGAN's synthesis, the weight of its input map, the one layer w enters. */
torch::Tensor styleModulationWeight(const StyleNetwork &network);

/** Multiply-accumulates of one synthesis forward for one image (the FLOP bound of benchmarks). */
double styleNetworkMacs(const StyleGeneratorConfig &config);

/** A trained StyleNetwork behind the Generator interface, frozen and in eval mode. */
class StyleGenerator : public Generator {
public:
    StyleGenerator(StyleNetwork network, std::string description);
    GeneratorShape shape() const override;
    torch::Tensor mapping(const torch::Tensor &z) override;
    torch::Tensor synthesis(const torch::Tensor &w) override;
    torch::Tensor differentiableSynthesis(const torch::Tensor &w) override;
    torch::Tensor sefaWeight() const override;
    std::string description() const override { return m_description; }
    std::string fingerprint() const override { return m_fingerprint; }
    const StyleNetwork &network() const { return m_network; }

private:
    StyleNetwork m_network;
    std::string m_description;
    std::string m_fingerprint;
};

void writeStyleConfig(torch::serialize::OutputArchive &archive, const StyleGeneratorConfig &config);
StyleGeneratorConfig readStyleConfig(torch::serialize::InputArchive &archive);

} // namespace untangle
