#include "gan/stylegrowth.h"

#include <stdexcept>

namespace untangle {

namespace {

int lastStageChannels(const StyleGeneratorConfig &config)
{
    return config.stageChannels(config.stageCount() - 1);
}

/** Copies every parameter of `from` into the one of the same name and shape in `to` (no autograd). */
void copyParameters(const torch::nn::Module &from, torch::nn::Module &to)
{
    auto targets = to.named_parameters();
    for (const auto &item : from.named_parameters()) {
        auto *target = targets.find(item.key());
        if (!target || !target->sizes().equals(item.value().sizes()))
            throw std::invalid_argument("cannot grow from the smaller generator: its layer " + item.key()
                + " has no counterpart of the same shape");
        target->copy_(item.value());
    }
}

std::string differs(const char *what, int smaller, int larger)
{
    return std::string(what) + " " + std::to_string(smaller) + " in the smaller generator, " + std::to_string(larger)
        + " in this one";
}

} // namespace

std::string styleGrowthProblem(const StyleGeneratorConfig &smaller, const StyleGeneratorConfig &larger)
{
    if (smaller.resolution > larger.resolution)
        return "it draws " + std::to_string(smaller.resolution) + " px, more than this generator's "
            + std::to_string(larger.resolution);
    if (smaller.synthesis != larger.synthesis)
        return "one of the two generators has the style synthesis and the other ProGAN's";
    // The identity start of new stages is a modulated convolution's; ProGAN's plain stages would need their own (not
    // built). A generator of the same size has no new stage: it starts from every layer as it is (a fine-tune).
    if (smaller.resolution < larger.resolution && larger.synthesis != StyleGeneratorConfig::Synthesis::Style)
        return "growing to a larger picture works for the style synthesis only, and these have ProGAN's";
    const std::pair<const char *, std::pair<int, int>> settings[] = {
        {"latent size", {smaller.latentSize, larger.latentSize}},
        {"style size", {smaller.styleSize, larger.styleSize}},
        {"mapping layers", {smaller.mappingLayers, larger.mappingLayers}},
        {"image channels", {smaller.channels, larger.channels}},
        {"convolutions per stage", {smaller.convsPerStage, larger.convsPerStage}},
        {"styled input", {int(smaller.styledInput), int(larger.styledInput)}},
    };
    for (const auto &[name, values] : settings)
        if (values.first != values.second)
            return differs(name, values.first, values.second);
    // ProGAN's synthesis at one resolution widens (widenProGanSynthesis): every stage as wide or wider.
    if (larger.synthesis == StyleGeneratorConfig::Synthesis::ProGan) {
        for (int stage = 0; stage < larger.stageCount(); ++stage)
            if (smaller.stageChannels(stage) > larger.stageChannels(stage))
                return differs(("channels at " + std::to_string(4 << stage) + " px").c_str(),
                           smaller.stageChannels(stage), larger.stageChannels(stage))
                    + " (a generator can be widened, not narrowed)";
        return {};
    }
    if (smaller.baseChannels != larger.baseChannels)
        return differs("base channels", smaller.baseChannels, larger.baseChannels);
    if (smaller.minChannels != larger.minChannels)
        return differs("min channels", smaller.minChannels, larger.minChannels);
    // Widths never grow with resolution, so equal last widths mean every new stage maps its width onto itself: the
    // identity start exists and the 1x1 to image channels fits unchanged.
    if (lastStageChannels(smaller) != lastStageChannels(larger))
        return differs("last stage channels", lastStageChannels(smaller), lastStageChannels(larger));
    return {};
}

void growStyleNetwork(const StyleNetwork &smaller, StyleNetwork &larger)
{
    if (const auto problem = styleGrowthProblem(smaller->config, larger->config); !problem.empty())
        throw std::invalid_argument("cannot grow from the smaller generator: " + problem);
    torch::NoGradGuard noGrad;
    if (larger->proGan) { // the same resolution (styleGrowthProblem), perhaps wider
        copyParameters(*smaller->mapping, *larger->mapping);
        widenProGanSynthesis(*smaller->proGan, *larger->proGan);
        return;
    }
    copyParameters(*smaller, *larger);
    // The new stages' convolutions (after the shared prefix, in forward order) start as the identity: centre tap 1
    // on the own channel, styles exactly 1 (zero affine weight), so demodulation leaves each channel as it came.
    const auto &convs = *larger->synthesis->convs;
    for (std::size_t index = smaller->synthesis->convs->size(); index < convs.size(); ++index) {
        auto conv = convs[index]->as<ModulatedConv>();
        const auto channels = conv->weight.size(0);
        const auto centre = conv->weight.size(2) / 2;
        conv->weight.zero_();
        for (int64_t c = 0; c < channels; ++c)
            conv->weight[c][c][centre][centre] = 1.0;
        conv->bias.zero_();
        conv->affine->weight.zero_();
        conv->affine->bias.fill_(1.0);
    }
}

} // namespace untangle
