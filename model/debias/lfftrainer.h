#pragma once
// model-internal: Learning from Failure (Nam et al. 2020; docs/methods/denetdm.md §10) as a MethodTrainer.

#include "flatadam.h"
#include "methodtrainer.h"

namespace untangle {

/**
 * Two networks of the same architecture trained together: the biased one on generalized cross-entropy
 * (CE weighted by p_y^q * q, q = 0.7: it amplifies easy, bias-aligned samples), the debiased one on CE weighted per
 * sample by W = l_B / (l_B + l_D), where l_B, l_D are exponential moving averages of each sample's losses
 * (alpha = 0.7) normalised by their class maximum, as in the official code.
 */
class LffTrainer : public MethodTrainer {
public:
    LffTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses, int trainCount);

    int epochs(int) const override { return m_config.stage1Epochs; }
    void beginStage(int stage, const torch::Tensor &trainImages) override;
    BatchLoss trainBatch(
        const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex) override;
    void setTraining(bool training) override;

    std::vector<std::string> heads(int) const override { return {"debiased", "biased"}; }
    std::vector<torch::Tensor> headLogits(int, const torch::Tensor &images) override;
    std::string selectionHead(int) const override { return "debiased"; }
    std::string finalHead() const override { return "debiased"; }

    std::vector<std::string> probeBranches(int) const override { return {"biased", "debiased"}; }
    torch::Tensor branchFeatures(const std::string &branch, const torch::Tensor &images) override;
    std::string biasedBranch() const override { return "biased"; }
    torch::Tensor biasedLosses(const torch::Tensor &images, const torch::Tensor &targets) override;

    std::vector<torch::Tensor> stageState(int) override;
    void save(torch::serialize::OutputArchive &archive) const override;
    void load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages) override;

private:
    /** The network input: the images, or the images / 255 again under the official code's double scaling. */
    torch::Tensor input(const torch::Tensor &images) const;
    /** Updates the per-sample EMA of losses and returns it normalised by each sample's class maximum. */
    torch::Tensor updateEma(torch::Tensor &ema, torch::Tensor &seen, const torch::Tensor &losses,
        const torch::Tensor &sampleIndex, const torch::Tensor &targets);

    DebiasConfig m_config;
    int m_numClasses;
    std::shared_ptr<Branch> m_biased, m_debiased;
    torch::nn::Linear m_biasedHead {nullptr}, m_debiasedHead {nullptr};
    std::unique_ptr<FlatAdam> m_optimizer;
    torch::Tensor m_emaBiased, m_emaDebiased, m_seen; // per training sample
    torch::Tensor m_trainTargets; // for the per-class maxima
};

} // namespace untangle
