#include "lfftrainer.h"

#include "moduleio.h"

namespace untangle {
namespace {
constexpr double WeightEpsilon = 1e-8; // the official code's guard against 0/0 for samples both models fit perfectly

torch::Tensor perSampleCe(const torch::Tensor &logits, const torch::Tensor &targets)
{
    return torch::nn::functional::cross_entropy(
        logits, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
}
} // namespace

LffTrainer::LffTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses, int trainCount)
    : m_config(config)
    , m_numClasses(numClasses)
{
    const bool cnn = config.architecture == BranchArchitecture::Cnn;
    m_biased = makeBranch(cnn, BranchRole::Deep, config.deepDepth, config.width, shape);
    m_debiased = makeBranch(cnn, BranchRole::Deep, config.deepDepth, config.width, shape);
    m_biasedHead = torch::nn::Linear(m_biased->featureSize(), numClasses);
    m_debiasedHead = torch::nn::Linear(m_debiased->featureSize(), numClasses);
    m_emaBiased = torch::zeros({trainCount});
    m_emaDebiased = torch::zeros({trainCount});
    m_seen = torch::zeros({trainCount});
    m_trainTargets = torch::full({trainCount}, -1, torch::kInt64);
}

void LffTrainer::beginStage(int, const torch::Tensor &)
{
    m_optimizer
        = std::make_unique<FlatAdam>(parametersOf({m_biased, m_biasedHead.ptr(), m_debiased, m_debiasedHead.ptr()}),
            FlatAdam::Options {m_config.learningRate, 0.9, 0.999, 1e-8, BaselineWeightDecay});
}

torch::Tensor LffTrainer::input(const torch::Tensor &images) const
{
    return m_config.lffRescaleInputs ? images / 255.0f : images;
}

void LffTrainer::setTraining(bool training)
{
    m_biased->train(training);
    m_debiased->train(training);
}

torch::Tensor LffTrainer::updateEma(torch::Tensor &ema, torch::Tensor &seen, const torch::Tensor &losses,
    const torch::Tensor &sampleIndex, const torch::Tensor &targets)
{
    const float alpha = float(m_config.lffEmaAlpha);
    const auto previous = ema.index_select(0, sampleIndex);
    const auto wasSeen = seen.index_select(0, sampleIndex);
    // The first loss of a sample is taken whole, later ones are blended (alpha * old + (1 - alpha) * new).
    ema.index_copy_(0, sampleIndex, alpha * previous * wasSeen + (1.0f - alpha * wasSeen) * losses);
    // Normalise by the maximum EMA loss within each sample's class.
    auto normalised = ema.index_select(0, sampleIndex).clone();
    for (int c = 0; c < m_numClasses; ++c) {
        const auto inBatch = targets.eq(c);
        if (!inBatch.any().item<bool>())
            continue;
        const auto classMax = ema.masked_select(m_trainTargets.eq(c)).max().clamp_min(WeightEpsilon);
        normalised.masked_scatter_(inBatch, normalised.masked_select(inBatch) / classMax);
    }
    return normalised;
}

BatchLoss LffTrainer::trainBatch(
    const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex)
{
    m_trainTargets.index_copy_(0, sampleIndex, targets);
    m_optimizer->zeroGrad();
    const auto x = input(images);
    const auto biasedLogits = m_biasedHead->forward(m_biased->forward(x));
    const auto debiasedLogits = m_debiasedHead->forward(m_debiased->forward(x));
    const auto ceBiased = perSampleCe(biasedLogits, targets);
    const auto ceDebiased = perSampleCe(debiasedLogits, targets);

    torch::Tensor weight;
    {
        torch::NoGradGuard noGrad;
        const auto lossB = updateEma(m_emaBiased, m_seen, ceBiased.detach(), sampleIndex, targets);
        const auto lossD = updateEma(m_emaDebiased, m_seen, ceDebiased.detach(), sampleIndex, targets);
        m_seen.index_fill_(0, sampleIndex, 1.0f);
        weight = lossB / (lossB + lossD + WeightEpsilon);
    }
    // GCE's gradient is p_y^q times CE's; the official code writes it as CE * p_y^q * q with the factor detached.
    const auto probability = torch::softmax(biasedLogits, 1).gather(1, targets.unsqueeze(1)).squeeze(1).detach();
    const auto gce = (ceBiased * probability.pow(m_config.lffQ) * m_config.lffQ).mean();
    const auto weighted = (ceDebiased * weight).mean();
    BatchLoss out;
    out.loss = gce + weighted;
    out.loss.backward();
    m_optimizer->step();
    out.perSample = ceDebiased.detach();
    out.poe = weighted.item<double>();
    out.distill = gce.item<double>();
    return out;
}

std::vector<torch::Tensor> LffTrainer::headLogits(int, const torch::Tensor &images)
{
    const auto x = input(images);
    return {m_debiasedHead->forward(m_debiased->forward(x)), m_biasedHead->forward(m_biased->forward(x))};
}

torch::Tensor LffTrainer::branchFeatures(const std::string &branch, const torch::Tensor &images)
{
    return branch == "biased" ? m_biased->forward(input(images)) : m_debiased->forward(input(images));
}

torch::Tensor LffTrainer::biasedLosses(const torch::Tensor &images, const torch::Tensor &targets)
{
    return perSampleCe(m_biasedHead->forward(m_biased->forward(input(images))), targets);
}

std::vector<torch::Tensor> LffTrainer::stageState(int)
{
    return stateOf({m_biased, m_biasedHead.ptr(), m_debiased, m_debiasedHead.ptr()});
}

void LffTrainer::save(torch::serialize::OutputArchive &archive) const
{
    saveModule(archive, "biased", m_biased);
    saveModule(archive, "biased_head", m_biasedHead.ptr());
    saveModule(archive, "debiased", m_debiased);
    saveModule(archive, "debiased_head", m_debiasedHead.ptr());
    archive.write("ema_biased", m_emaBiased);
    archive.write("ema_debiased", m_emaDebiased);
    archive.write("ema_seen", m_seen);
    archive.write("train_targets", m_trainTargets);
    m_optimizer->save(archive, "optimizer/");
}

void LffTrainer::load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages)
{
    loadModule(archive, "biased", m_biased);
    loadModule(archive, "biased_head", m_biasedHead.ptr());
    loadModule(archive, "debiased", m_debiased);
    loadModule(archive, "debiased_head", m_debiasedHead.ptr());
    archive.read("ema_biased", m_emaBiased);
    archive.read("ema_debiased", m_emaDebiased);
    archive.read("ema_seen", m_seen);
    archive.read("train_targets", m_trainTargets);
    beginStage(stage, trainImages);
    m_optimizer->load(archive, "optimizer/");
}

} // namespace untangle
