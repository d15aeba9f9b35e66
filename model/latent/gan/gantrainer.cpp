#include "gan/gantrainer.h"

#include "gan/stylegrowth.h"
#include "gan/stylesampling.h"
#include "moduleio.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace untangle {

namespace {

constexpr int GridSamples = 64;
constexpr std::uint64_t GridSeed = 20261129;

std::uint64_t latentSeed(std::uint64_t seed, int iteration, int phase)
{
    return seed * 0xD1B54A32D192ED03ull + std::uint64_t(iteration) * 4 + std::uint64_t(phase) + 7;
}

/**
 * Each image blended with its left-right mirror image, the blend weight drawn in [0.3, 0.7] from (seed, iteration) so
 * a resumed run repeats it: two geometries at once, in the image's own colours (a blend of two different images
 * would mix their colours and teach the critic nothing about shape).
 */
torch::Tensor mirrorBlendsOf(const torch::Tensor &real, std::uint64_t seed, int iteration)
{
    std::mt19937_64 engine(latentSeed(seed, iteration, 2));
    std::uniform_real_distribution<float> weight(0.3f, 0.7f);
    std::vector<float> alphas(std::size_t(real.size(0)));
    for (auto &alpha : alphas)
        alpha = weight(engine);
    const auto alpha = torch::tensor(alphas).view({-1, 1, 1, 1});
    const auto images = real.detach();
    return alpha * images + (1 - alpha) * images.flip({3});
}

torch::optim::AdamOptions adamOptions(const GanConfig &config)
{
    return torch::optim::AdamOptions(config.learningRate).betas({config.beta1, config.beta2});
}

/** Turns requires_grad off for some parameters for its lifetime and back on after. */
class FrozenParameters {
public:
    explicit FrozenParameters(std::vector<torch::Tensor> parameters)
        : m_parameters(std::move(parameters))
    {
        for (auto &parameter : m_parameters)
            parameter.set_requires_grad(false);
    }
    ~FrozenParameters()
    {
        for (auto &parameter : m_parameters)
            parameter.set_requires_grad(true);
    }
    FrozenParameters(const FrozenParameters &) = delete;
    FrozenParameters &operator=(const FrozenParameters &) = delete;

private:
    std::vector<torch::Tensor> m_parameters;
};

} // namespace

StyleGeneratorConfig styleConfigOf(const GanConfig &config, int channels)
{
    StyleGeneratorConfig style;
    style.latentSize = config.latentSize;
    style.styleSize = config.styleSize;
    style.mappingLayers = config.mappingLayers;
    style.resolution = config.resolution;
    style.channels = channels;
    style.baseChannels = config.baseChannels;
    style.minChannels = config.minChannels;
    style.convsPerStage = config.convsPerStage;
    style.styledInput = config.styledInput;
    style.synthesis = config.synthesis == GanConfig::Synthesis::ProGan ? StyleGeneratorConfig::Synthesis::ProGan
                                                                       : StyleGeneratorConfig::Synthesis::Style;
    return style;
}

DiscriminatorConfig criticConfigOf(const GanConfig &config, int channels)
{
    DiscriminatorConfig critic;
    critic.resolution = config.resolution;
    critic.channels = channels;
    critic.firstChannels = config.discriminatorChannels;
    critic.spectralNorm = config.spectralNorm;
    critic.convsPerStage = config.discriminatorConvsPerStage;
    return critic;
}

GanTrainer::GanTrainer(const GanConfig &config, GanImageSource source)
    : m_config(config)
    , m_source(std::move(source))
{
    torch::manual_seed(config.seed);
    const auto style = styleConfigOf(config, m_source.channels());
    m_generator = StyleNetwork(style);
    m_ema = StyleNetwork(style);
    m_discriminator = Discriminator(criticConfigOf(config, m_source.channels()));
    copyGeneratorToEma();
    for (auto &parameter : m_ema->parameters())
        parameter.set_requires_grad(false);
    m_ema->eval();
    if (config.mappingLrMultiplier == 1.0) {
        m_optG = std::make_unique<torch::optim::Adam>(m_generator->parameters(), adamOptions(config));
    } else {
        // Two parameter groups so the mapping learns slower than the synthesis (GanConfig::mappingLrMultiplier);
        // one group otherwise, so checkpoints from before the option still load.
        auto mappingOptions = std::make_unique<torch::optim::AdamOptions>(adamOptions(config));
        mappingOptions->lr(config.learningRate * config.mappingLrMultiplier);
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(m_generator->synthesisParameters());
        groups.emplace_back(m_generator->mapping->parameters(), std::move(mappingOptions));
        m_optG = std::make_unique<torch::optim::Adam>(std::move(groups), adamOptions(config));
    }
    m_optD = std::make_unique<torch::optim::Adam>(m_discriminator->parameters(), adamOptions(config));
    m_gridLatents = sampleLatents(GridSamples, config.latentSize, GridSeed);
    if (config.renderBack > 0)
        m_renderBack = renderBackTargetFor(config);
}

void GanTrainer::copyGeneratorToEma()
{
    torch::NoGradGuard noGrad;
    auto from = m_generator->parameters();
    auto to = m_ema->parameters();
    for (std::size_t i = 0; i < from.size(); ++i)
        to[i].copy_(from[i]);
}

void GanTrainer::growFrom(const StyleNetwork &smaller)
{
    growStyleNetwork(smaller, m_generator);
    copyGeneratorToEma();
}

GanLog GanTrainer::step(int iteration)
{
    GanLog log;
    log.iteration = iteration;
    const int batch = m_config.batch;
    // Discriminator: hinge or logistic loss on real and on detached fakes (separate forwards, so minibatch-stddev
    // groups never mix real and fake images).
    const auto real = m_source.batch(batch, m_config.seed, iteration);
    torch::Tensor fake;
    {
        torch::NoGradGuard noGrad;
        fake = m_generator->forward(sampleLatents(batch, m_config.latentSize, latentSeed(m_config.seed, iteration, 0)));
    }
    m_optD->zero_grad();
    // R1 on the same forward of the real batch (a second forward would also advance spectral norm's power iteration).
    const bool r1 = m_config.r1Gamma > 0 && iteration % GanConfig::R1Interval == 0;
    const auto realInput = r1 ? real.detach().requires_grad_(true) : real;
    const auto realScores = m_discriminator->forward(realInput);
    const auto fakeScores = m_discriminator->forward(fake);
    const bool logistic = m_config.loss == GanConfig::Loss::Logistic;
    const auto fakeLoss = [logistic](const torch::Tensor &scores) {
        return logistic ? torch::softplus(scores).mean() : torch::relu(1.0 + scores).mean();
    };
    auto lossD = (logistic ? torch::softplus(-realScores).mean() : torch::relu(1.0 - realScores).mean())
        + fakeLoss(fakeScores);
    if (m_config.mirrorNegatives > 0)
        lossD = lossD
            + m_config.mirrorNegatives
                * fakeLoss(m_discriminator->forward(mirrorBlendsOf(real, m_config.seed, iteration)));
    if (m_config.viewNegatives > 0)
        lossD = lossD
            + m_config.viewNegatives
                * fakeLoss(m_discriminator->forward(m_source.viewAverages(
                    batch, m_config.seed, iteration, viewNegativeFactorMask(m_config.viewNegativeFactors))));
    if (m_config.shapeNegatives > 0)
        lossD = lossD
            + m_config.shapeNegatives
                * fakeLoss(m_discriminator->forward(m_source.shapeMorphs(batch, m_config.seed, iteration)));
    if (r1) {
        const auto gradient = torch::autograd::grad(
            {realScores.sum()}, {realInput}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
        const auto penalty = gradient.pow(2).sum({1, 2, 3}).mean();
        log.r1Penalty = penalty.item<double>();
        (lossD + 0.5 * m_config.r1Gamma * GanConfig::R1Interval * penalty).backward();
    } else {
        lossD.backward();
    }
    m_optD->step();
    // Generator: -D(G(z)) or softplus(-D(G(z))); the discriminator's gradients from this pass are cleared before its
    // next step.
    m_optG->zero_grad();
    const auto generated
        = m_generator->forward(sampleLatents(batch, m_config.latentSize, latentSeed(m_config.seed, iteration, 1)));
    torch::Tensor lossG;
    {
        // The critic's weights sit out this pass (as StyleGAN2's training loop): only the gradient through its input
        // reaches the generator, so its weight gradients, which the next critic step would clear, are not computed.
        const FrozenParameters frozen(m_discriminator->parameters());
        const auto generatedScores = m_discriminator->forward(generated);
        lossG = logistic ? torch::softplus(-generatedScores).mean() : -generatedScores.mean();
        auto total = lossG;
        if (m_renderBack) {
            // The target is what the reader sees, drawn clean: a constant, so only the generator learns from it.
            const auto target = m_renderBack(generated.detach());
            const auto pull = renderBackLoss(generated, target);
            log.renderBack = pull.item<double>();
            total = total + m_config.renderBack * pull;
        }
        total.backward();
    }
    m_optG->step();
    updateEma(iteration);
    log.lossD = lossD.item<double>();
    log.lossG = lossG.item<double>();
    log.realScore = realScores.mean().item<double>();
    log.fakeScore = fakeScores.mean().item<double>();
    return log;
}

void GanTrainer::updateEma(int iteration)
{
    // Ramp the EMA in early (as StyleGAN's ema_rampup) so the copy is not stuck at the random init for 1000 steps.
    const double beta = std::min(m_config.emaBeta, (1.0 + iteration) / (10.0 + iteration));
    torch::NoGradGuard noGrad;
    auto from = m_generator->parameters();
    auto to = m_ema->parameters();
    for (std::size_t i = 0; i < from.size(); ++i)
        to[i].mul_(beta).add_(from[i], 1.0 - beta);
}

torch::Tensor GanTrainer::gridImages()
{
    torch::NoGradGuard noGrad;
    return m_ema->forward(m_gridLatents);
}

void GanTrainer::save(torch::serialize::OutputArchive &archive) const
{
    saveModule(archive, "generator", m_generator.ptr());
    saveModule(archive, "ema", m_ema.ptr());
    saveModule(archive, "discriminator", m_discriminator.ptr());
    torch::serialize::OutputArchive optG, optD;
    m_optG->save(optG);
    m_optD->save(optD);
    archive.write("optG", optG);
    archive.write("optD", optD);
}

void GanTrainer::load(torch::serialize::InputArchive &archive)
{
    loadModule(archive, "generator", m_generator.ptr());
    loadModule(archive, "ema", m_ema.ptr());
    loadModule(archive, "discriminator", m_discriminator.ptr());
    torch::serialize::InputArchive optG, optD;
    archive.read("optG", optG);
    archive.read("optD", optD);
    m_optG->load(optG);
    m_optD->load(optD);
    for (auto &parameter : m_ema->parameters())
        parameter.set_requires_grad(false);
}

void GanTrainer::applyConfiguredOptimiserSettings()
{
    const auto apply = [this](torch::optim::Adam &optimiser, std::size_t group, double learningRate) {
        auto &options = static_cast<torch::optim::AdamOptions &>(optimiser.param_groups().at(group).options());
        options.lr(learningRate).betas({m_config.beta1, m_config.beta2});
    };
    apply(*m_optG, 0, m_config.learningRate);
    if (m_optG->param_groups().size() > 1) // the mapping's group (GanConfig::mappingLrMultiplier)
        apply(*m_optG, 1, m_config.learningRate * m_config.mappingLrMultiplier);
    apply(*m_optD, 0, m_config.learningRate);
}

} // namespace untangle
