#include "gan/stylegenerator.h"

#include "gan/weightsfingerprint.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace untangle {

namespace {

constexpr double LeakySlope = 0.2;

torch::Tensor leaky(const torch::Tensor &x)
{
    return torch::leaky_relu(x, LeakySlope);
}

bool isPowerOfTwo(int value)
{
    return value > 0 && (value & (value - 1)) == 0;
}

} // namespace

int StyleGeneratorConfig::stageCount() const
{
    int stages = 1;
    for (int size = 4; size < resolution; size *= 2)
        ++stages;
    return stages;
}

int StyleGeneratorConfig::stageChannels(int stage) const
{
    return std::max(minChannels, baseChannels >> stage);
}

void StyleGeneratorConfig::validate() const
{
    if (latentSize < 1 || latentSize > 4096)
        throw std::invalid_argument("latent size must be 1..4096, got " + std::to_string(latentSize));
    if (styleSize < 1 || styleSize > 4096)
        throw std::invalid_argument("style size must be 1..4096, got " + std::to_string(styleSize));
    if (mappingLayers < 1 || mappingLayers > 16)
        throw std::invalid_argument("mapping layers must be 1..16, got " + std::to_string(mappingLayers));
    if (!isPowerOfTwo(resolution) || resolution < 8 || resolution > 256)
        throw std::invalid_argument("resolution must be a power of two in 8..256, got " + std::to_string(resolution));
    if (channels != 1 && channels != 3)
        throw std::invalid_argument("image channels must be 1 or 3, got " + std::to_string(channels));
    // 1024 is twice StyleGAN2's widest layer; wider would make a damaged file's network take gigabytes to build.
    constexpr int MaxBaseChannels = 1024;
    if (baseChannels < 1 || minChannels < 1 || minChannels > baseChannels || baseChannels > MaxBaseChannels)
        throw std::invalid_argument(
            "channel widths must satisfy 1 <= min <= base <= " + std::to_string(MaxBaseChannels));
    if (convsPerStage < 1 || convsPerStage > 2)
        throw std::invalid_argument("convolutions per stage must be 1 or 2, got " + std::to_string(convsPerStage));
    if (synthesis != Synthesis::Style && synthesis != Synthesis::ProGan)
        throw std::invalid_argument("unknown synthesis network " + std::to_string(int(synthesis)));
    if (synthesis == Synthesis::ProGan && styledInput)
        throw std::invalid_argument("a styled input belongs to the style synthesis, not ProGAN's");
}

StyleMappingImpl::StyleMappingImpl(const StyleGeneratorConfig &config)
{
    for (int layer = 0; layer < config.mappingLayers; ++layer) {
        const int in = layer == 0 ? config.latentSize : config.styleSize;
        auto linear = torch::nn::Linear(in, config.styleSize);
        // Variance preserving through LeakyReLU, so w keeps z's spread (docs/methods/sre.md §11).
        torch::nn::init::kaiming_normal_(linear->weight, LeakySlope, torch::kFanIn, torch::kLeakyReLU);
        torch::nn::init::zeros_(linear->bias);
        layers->push_back(linear);
    }
    register_module("layers", layers);
}

torch::Tensor StyleMappingImpl::forward(torch::Tensor z)
{
    // Pixel norm: z's length carries no meaning, only its direction (StyleGAN).
    z = z * torch::rsqrt(z.pow(2).mean(1, true) + 1e-8);
    for (auto &layer : *layers)
        z = leaky(layer->as<torch::nn::Linear>()->forward(z));
    return z;
}

ModulatedConvImpl::ModulatedConvImpl(int styleSize, int inChannels, int outChannels, int kernel, bool demodulate_)
    : padding(kernel / 2)
    , demodulate(demodulate_)
{
    affine = register_module("affine", torch::nn::Linear(styleSize, inChannels));
    torch::nn::init::normal_(affine->weight, 0.0, 1.0 / std::sqrt(double(styleSize)));
    torch::nn::init::ones_(affine->bias); // styles start at 1: the layer starts as a plain convolution
    weight = register_parameter("weight",
        torch::randn({outChannels, inChannels, kernel, kernel})
            * std::sqrt(2.0 / double(inChannels * kernel * kernel)));
    bias = register_parameter("bias", torch::zeros({outChannels}));
}

torch::Tensor ModulatedConvImpl::forward(const torch::Tensor &x, const torch::Tensor &w)
{
    const auto style = affine->forward(w); // (B, in)
    auto y = torch::conv2d(x * style.unsqueeze(2).unsqueeze(3), weight, {}, 1, padding);
    if (demodulate) {
        // |modulated weight| per (sample, out) = sqrt(sum_in s_in^2 * sum_k W[out, in, k]^2).
        const auto weightSq = weight.pow(2).sum({2, 3}); // (out, in)
        const auto norm = torch::rsqrt(torch::matmul(style.pow(2), weightSq.t()) + 1e-8); // (B, out)
        y = y * norm.unsqueeze(2).unsqueeze(3);
    }
    return y + bias.view({1, -1, 1, 1});
}

StyleSynthesisImpl::StyleSynthesisImpl(const StyleGeneratorConfig &config)
{
    constant = register_parameter("constant", torch::ones({1, config.stageChannels(0), 4, 4}));
    if (config.styledInput) {
        input = register_module("input", torch::nn::Linear(config.styleSize, config.stageChannels(0) * 16));
        // Unit-variance output for unit-variance w, the scale of the constant it is added to.
        torch::nn::init::normal_(input->weight, 0.0, 1.0 / std::sqrt(double(config.styleSize)));
        torch::nn::init::zeros_(input->bias);
    }
    for (int stage = 0; stage < config.stageCount(); ++stage) {
        const int in = config.stageChannels(stage == 0 ? 0 : stage - 1);
        const int out = config.stageChannels(stage);
        // Flat, in forward order, so a one-conv network keeps the module names of files from before the option.
        convs->push_back(ModulatedConv(config.styleSize, in, out, 3, true));
        upsampleBefore.push_back(stage > 0);
        for (int extra = 1; stage > 0 && extra < config.convsPerStage; ++extra) {
            convs->push_back(ModulatedConv(config.styleSize, out, out, 3, true));
            upsampleBefore.push_back(false);
        }
    }
    register_module("convs", convs);
    toImage = register_module("toImage",
        ModulatedConv(config.styleSize, config.stageChannels(config.stageCount() - 1), config.channels, 1, false));
}

torch::Tensor StyleSynthesisImpl::forward(const torch::Tensor &w)
{
    auto x = constant.expand({w.size(0), -1, -1, -1});
    if (input)
        x = x + input->forward(w).view({w.size(0), constant.size(1), 4, 4});
    for (std::size_t conv = 0; conv < convs->size(); ++conv) {
        if (upsampleBefore[conv])
            x = torch::upsample_nearest2d(x, std::vector<int64_t> {x.size(2) * 2, x.size(3) * 2});
        x = leaky(convs[conv]->as<ModulatedConv>()->forward(x, w));
    }
    // Linear output, as StyleGAN: a tanh here saturated at the black background of sparse sprites within 30
    // iterations and its vanishing gradient left the generator all black (measured). Users get a clamp (below).
    return toImage->forward(x, w);
}

StyleNetworkImpl::StyleNetworkImpl(const StyleGeneratorConfig &config_)
    : config(config_)
{
    config.validate();
    mapping = register_module("mapping", StyleMapping(config));
    if (config.synthesis == StyleGeneratorConfig::Synthesis::ProGan)
        proGan = register_module("synthesis", ProGanSynthesis(config));
    else
        synthesis = register_module("synthesis", StyleSynthesis(config));
}

std::vector<torch::Tensor> StyleNetworkImpl::synthesisParameters() const
{
    return synthesis ? synthesis->parameters() : proGan->parameters();
}

torch::Tensor styleModulationWeight(const StyleNetwork &network)
{
    if (network->proGan)
        return network->proGan->input->weight.detach();
    std::vector<torch::Tensor> weights;
    if (network->synthesis->input)
        weights.push_back(network->synthesis->input->weight.detach());
    for (auto &conv : *network->synthesis->convs)
        weights.push_back(conv->as<ModulatedConv>()->affine->weight.detach());
    return torch::cat(weights, 0);
}

double styleNetworkMacs(const StyleGeneratorConfig &config)
{
    double macs = 0.0;
    for (int layer = 0; layer < config.mappingLayers; ++layer)
        macs += double(layer == 0 ? config.latentSize : config.styleSize) * config.styleSize;
    if (config.synthesis == StyleGeneratorConfig::Synthesis::ProGan)
        return macs + proGanSynthesisMacs(config);
    if (config.styledInput)
        macs += double(config.styleSize) * config.stageChannels(0) * 16;
    for (int stage = 0; stage < config.stageCount(); ++stage) {
        const double pixels = double(4 << stage) * double(4 << stage);
        const int in = config.stageChannels(stage == 0 ? 0 : stage - 1);
        const int out = config.stageChannels(stage);
        macs += pixels * 9.0 * in * out + double(config.styleSize) * in;
        if (stage > 0)
            macs += (config.convsPerStage - 1) * (pixels * 9.0 * out * out + double(config.styleSize) * out);
    }
    const int last = config.stageChannels(config.stageCount() - 1);
    macs += double(config.resolution) * config.resolution * last * config.channels;
    return macs;
}

StyleGenerator::StyleGenerator(StyleNetwork network, std::string description)
    : m_network(std::move(network))
    , m_description(std::move(description))
{
    m_network->eval();
    for (auto &parameter : m_network->parameters())
        parameter.set_requires_grad(false);
    m_fingerprint = weightsFingerprint(m_network->parameters());
}

GeneratorShape StyleGenerator::shape() const
{
    const auto &config = m_network->config;
    return {config.latentSize, config.styleSize, config.resolution, config.channels, true};
}

torch::Tensor StyleGenerator::mapping(const torch::Tensor &z)
{
    return m_network->mapping->forward(z);
}

torch::Tensor StyleGenerator::synthesis(const torch::Tensor &w)
{
    // The Generator contract is [-1, 1]; clamping keeps the gradient of every in-range pixel (SRE needs it).
    return m_network->synthesize(w).clamp(-1.0, 1.0);
}

torch::Tensor StyleGenerator::differentiableSynthesis(const torch::Tensor &w)
{
    return m_network->synthesize(w); // linear output, as StyleGAN2's
}

torch::Tensor StyleGenerator::sefaWeight() const
{
    return styleModulationWeight(m_network);
}

void writeStyleConfig(torch::serialize::OutputArchive &archive, const StyleGeneratorConfig &config)
{
    std::vector<int64_t> values {config.latentSize, config.styleSize, config.mappingLayers, config.resolution,
        config.channels, config.baseChannels, config.minChannels};
    // One conv per stage, no styled input and the style synthesis write the 7 values of files from before the options.
    const bool proGan = config.synthesis == StyleGeneratorConfig::Synthesis::ProGan;
    if (config.convsPerStage != 1 || config.styledInput || proGan)
        values.push_back(config.convsPerStage);
    if (config.styledInput || proGan)
        values.push_back(config.styledInput ? 1 : 0);
    if (proGan)
        values.push_back(int64_t(config.synthesis));
    archive.write("config", torch::tensor(values, torch::kInt64));
}

StyleGeneratorConfig readStyleConfig(torch::serialize::InputArchive &archive)
{
    torch::Tensor values;
    archive.read("config", values);
    if (values.dim() != 1 || values.numel() < 7 || values.numel() > 10)
        throw std::invalid_argument("generator checkpoint has no valid style-generator config");
    const auto v = values.to(torch::kInt64).contiguous();
    const auto *p = v.data_ptr<int64_t>();
    // Read whole, never wrapped into an int that passes validate() (2^32 + 64 -> 64).
    for (int i = 0; i < int(values.numel()); ++i)
        if (p[i] < 0 || p[i] > std::numeric_limits<int>::max())
            throw std::invalid_argument(
                "generator checkpoint has a config value out of range: " + std::to_string(p[i]));
    StyleGeneratorConfig config;
    config.latentSize = int(p[0]);
    config.styleSize = int(p[1]);
    config.mappingLayers = int(p[2]);
    config.resolution = int(p[3]);
    config.channels = int(p[4]);
    config.baseChannels = int(p[5]);
    config.minChannels = int(p[6]);
    config.convsPerStage = values.numel() >= 8 ? int(p[7]) : 1;
    if (values.numel() >= 9 && p[8] > 1)
        throw std::invalid_argument("generator checkpoint has a styled-input flag of " + std::to_string(p[8]));
    config.styledInput = values.numel() >= 9 && p[8] == 1;
    if (values.numel() == 10 && p[9] > 1)
        throw std::invalid_argument("generator checkpoint names an unknown synthesis network " + std::to_string(p[9]));
    config.synthesis
        = values.numel() == 10 ? StyleGeneratorConfig::Synthesis(p[9]) : StyleGeneratorConfig::Synthesis::Style;
    config.validate();
    return config;
}

} // namespace untangle
