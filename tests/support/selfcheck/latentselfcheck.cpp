#include "selfcheck/latentselfcheck.h"

#include "gan/ganimagesource.h"
#include "gan/gantrainer.h"
#include "gan/generatorfile.h"
#include "gan/renderback.h"
#include "gan/stylegrowth.h"
#include "gan/stylesampling.h"

#include <cmath>
#include <limits>

namespace untangle::selfcheck {

void writeRandomStyleGenerator(const std::string &path, const TinyGenerator &settings)
{
    torch::manual_seed(settings.seed);
    StyleGeneratorConfig config;
    config.latentSize = settings.latentSize;
    config.styleSize = settings.styleSize;
    config.resolution = settings.resolution;
    config.baseChannels = settings.baseChannels;
    config.minChannels = settings.minChannels;
    config.channels = settings.channels;
    config.convsPerStage = settings.convsPerStage;
    if (settings.proGan)
        config.synthesis = StyleGeneratorConfig::Synthesis::ProGan;
    StyleNetwork network(config);
    if (settings.nanWeights) {
        torch::NoGradGuard noGrad;
        for (auto &parameter : network->parameters())
            parameter.fill_(std::numeric_limits<float>::quiet_NaN());
    }
    if (settings.shortRecord) {
        // The last weight keeps its shape over half its bytes (set_storage_keep_dtype: no resize, unlike set_).
        auto weight = network->parameters().back();
        const auto half = torch::zeros({std::max<std::int64_t>(1, weight.numel() / 2)});
        weight.unsafeGetTensorImpl()->set_storage_keep_dtype(half.storage());
    }
    saveStyleGenerator(network, path);
}

std::vector<float> renderFromGenerator(const std::string &path, int count, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto generator = loadGenerator(path);
    const auto z = sampleLatents(count, generator->shape().latentSize, seed);
    const auto images = generator->synthesis(generator->mapping(z)).contiguous();
    return std::vector<float>(images.data_ptr<float>(), images.data_ptr<float>() + images.numel());
}

std::vector<std::int64_t> styleGeneratorConfigValues(const std::string &path)
{
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::Tensor values;
    archive.read("config", values);
    values = values.to(torch::kInt64).contiguous();
    return std::vector<std::int64_t>(values.data_ptr<int64_t>(), values.data_ptr<int64_t>() + values.numel());
}

int styleGeneratorConvCount(const std::string &path)
{
    return int(loadStyleNetwork(path)->synthesis->convs->size());
}

std::string growStyleGeneratorFile(
    const std::string &smallerPath, int resolution, const std::string &outPath, int baseChannels, int minChannels)
{
    const auto smaller = loadStyleNetwork(smallerPath);
    auto config = smaller->config;
    config.resolution = resolution;
    if (baseChannels > 0)
        config.baseChannels = baseChannels;
    if (minChannels > 0)
        config.minChannels = minChannels;
    if (auto problem = styleGrowthProblem(smaller->config, config); !problem.empty())
        return problem;
    StyleNetwork larger(config);
    growStyleNetwork(smaller, larger);
    saveStyleGenerator(larger, outPath);
    return {};
}

std::vector<double> proGanIncomingWeightNorms(const std::string &path, int conv)
{
    const auto network = loadStyleNetwork(path);
    if (!network->proGan)
        throw std::invalid_argument(path + " has the style synthesis, not ProGAN's");
    const auto weight = network->proGan->convs->at<torch::nn::Conv2dImpl>(std::size_t(conv)).weight.detach();
    const auto norms = weight.flatten(1).norm(2, 1).to(torch::kDouble).contiguous();
    return std::vector<double>(norms.data_ptr<double>(), norms.data_ptr<double>() + norms.numel());
}

void writeStyleGeneratorWithConfigValues(const std::string &path, const std::vector<std::int64_t> &values)
{
    StyleGeneratorConfig config;
    config.latentSize = config.styleSize = 8;
    config.resolution = 16;
    config.baseChannels = 16;
    config.minChannels = 4;
    torch::serialize::OutputArchive archive;
    archive.write("untangle_style_generator_v1", torch::ones({1})); // generatorfile.cpp's format marker
    archive.write("config", torch::tensor(values, torch::kInt64));
    torch::serialize::OutputArchive weights;
    StyleNetwork(config)->save(weights);
    archive.write("network", weights);
    archive.save_to(path);
}

int sefaWeightRows(const std::string &path)
{
    return int(loadGenerator(path)->sefaWeight().size(0));
}

double generatorChecksum(const std::string &path)
{
    auto network = loadStyleNetwork(path);
    double sum = 0.0;
    int index = 1;
    for (const auto &parameter : network->parameters())
        sum += double(index++) * parameter.to(torch::kFloat64).abs().sum().item<double>();
    return sum;
}

std::vector<CriticStep> criticSteps(const GanConfig &config, int steps)
{
    GanTrainer trainer(config, GanImageSource::sprites(config.resolution));
    const auto weights = [&] {
        std::vector<torch::Tensor> copies;
        for (const auto &parameter : trainer.discriminator()->parameters())
            copies.push_back(parameter.detach().clone());
        return copies;
    };
    std::vector<CriticStep> result;
    auto before = weights();
    for (int iteration = 1; iteration <= steps; ++iteration) {
        trainer.step(iteration);
        CriticStep step;
        step.trainable = true;
        for (const auto &parameter : trainer.discriminator()->parameters())
            step.trainable = step.trainable && parameter.requires_grad();
        const auto after = weights();
        for (std::size_t i = 0; i < after.size(); ++i)
            step.weightChange += (after[i] - before[i]).abs().sum().item<double>();
        before = after;
        result.push_back(step);
    }
    return result;
}

std::vector<float> sceneStreamBatch(
    int resolution, const std::vector<std::string> &varied, int n, std::uint64_t seed, std::int64_t iteration)
{
    const auto source = GanImageSource::scenes(resolution, variedSceneFactorMask(varied));
    const auto batch = source.batch(n, seed, iteration).contiguous();
    return std::vector<float>(batch.data_ptr<float>(), batch.data_ptr<float>() + batch.numel());
}

std::vector<float> sceneViewAverages(int resolution, const std::vector<std::string> &varied, int n, std::uint64_t seed,
    std::int64_t iteration, const std::vector<std::string> &averaged)
{
    const auto source = GanImageSource::scenes(resolution, variedSceneFactorMask(varied));
    const auto averages = (averaged.empty() ? source.viewAverages(n, seed, iteration)
                                            : source.viewAverages(n, seed, iteration, variedSceneFactorMask(averaged)))
                              .contiguous();
    return std::vector<float>(averages.data_ptr<float>(), averages.data_ptr<float>() + averages.numel());
}

std::vector<float> spriteShapeMorphs(int resolution, int n, std::uint64_t seed, std::int64_t iteration)
{
    const auto morphs = GanImageSource::sprites(resolution).shapeMorphs(n, seed, iteration).contiguous();
    return std::vector<float>(morphs.data_ptr<float>(), morphs.data_ptr<float>() + morphs.numel());
}

std::vector<float> renderBackTargets(const GanConfig &config, const std::vector<float> &images, int n)
{
    const int channels = int(images.size() / std::size_t(n) / std::size_t(config.resolution) / config.resolution);
    const auto input = torch::tensor(images).view({n, channels, config.resolution, config.resolution});
    const auto targets = renderBackTargetFor(config)(input).contiguous();
    return std::vector<float>(targets.data_ptr<float>(), targets.data_ptr<float>() + targets.numel());
}

RenderBackLossAt renderBackLossAt(
    const std::vector<float> &generated, const std::vector<float> &target, int n, int channels)
{
    const auto side = std::int64_t(std::lround(std::sqrt(double(generated.size()) / n / channels)));
    const auto input = torch::tensor(generated).view({n, channels, side, side}).requires_grad_(true);
    const auto loss = renderBackLoss(input, torch::tensor(target).view({n, channels, side, side}));
    loss.backward();
    const auto gradient = input.grad().contiguous();
    return {loss.item<double>(),
        std::vector<float>(gradient.data_ptr<float>(), gradient.data_ptr<float>() + gradient.numel())};
}

std::vector<std::uint8_t> spriteMorph(const SpriteFactors &factors, int otherShape, double t, int resolution)
{
    std::vector<std::uint8_t> bytes(std::size_t(resolution) * std::size_t(resolution));
    renderSpriteMorphInto(factors, otherShape, t, resolution, bytes.data());
    return bytes;
}

} // namespace untangle::selfcheck
