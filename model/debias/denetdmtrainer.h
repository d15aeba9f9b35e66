#pragma once
// model-internal: DeNetDM (docs/methods/denetdm.md §2-§3) as a MethodTrainer.

#include "flatadam.h"
#include "methodtrainer.h"

namespace untangle {

/**
 * DeNetDM's stage-2 distillation term (docs/methods/denetdm.md §3.2): soft-target cross-entropy of the student's
 * tempered distribution against the teacher's, times tau^2 (the code's factor, which keeps gradient scale independent
 * of tau): -(1/B) sum_i sum_c softmax(teacher_i / tau)_c log softmax(student_i / tau)_c * tau^2.
 * The teacher is a constant (no gradient flows into it).
 */
torch::Tensor distillationLoss(const torch::Tensor &teacherLogits, const torch::Tensor &studentLogits, double tau);

/**
 * Stage 1: deep and shallow branches, one shared linear head on the sum of their features (a Product of Experts:
 * the head bias is counted once), plain CE, Adam with weight decay. Stage 2: the selected stage-1 model frozen in
 * eval mode; a fresh target branch and a head initialised from stage 1 trained with
 * w_poe * CE(head_t(deep(x) + target(x))) + w_dist * tau^2 * softCE(teacher = head(shallow(x)) / tau, head_t(target(x))
 * / tau). Because the frozen parts see no augmentation and never change, their outputs on the training set are computed
 * once per stage (deep features and teacher logits), which removes two of the three forward passes per step.
 */
class DeNetDmTrainer : public MethodTrainer {
public:
    DeNetDmTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses);

    int stageCount() const override { return m_config.stage2Epochs > 0 ? 2 : 1; }
    int epochs(int stage) const override { return stage == 1 ? m_config.stage1Epochs : m_config.stage2Epochs; }
    void beginStage(int stage, const torch::Tensor &trainImages) override;
    BatchLoss trainBatch(
        const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex) override;
    void setTraining(bool training) override;

    std::vector<std::string> heads(int stage) const override;
    std::vector<torch::Tensor> headLogits(int stage, const torch::Tensor &images) override;
    std::string selectionHead(int stage) const override { return stage == 1 ? "shallow" : "target"; }
    bool selectOnConflicting(int stage) const override { return stage == 1; }
    std::string finalHead() const override { return m_config.stage2Epochs > 0 ? "target" : "shallow"; }

    std::vector<std::string> probeBranches(int stage) const override;
    torch::Tensor branchFeatures(const std::string &branch, const torch::Tensor &images) override;
    std::string biasedBranch() const override { return "deep"; }
    torch::Tensor biasedLosses(const torch::Tensor &images, const torch::Tensor &targets) override;

    std::vector<torch::Tensor> stageState(int stage) override;
    void save(torch::serialize::OutputArchive &archive) const override;
    void load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages) override;

    /** The stage-1 shared head f (read-only use: self-checks need its bias to verify the PoE sum). */
    const torch::nn::Linear &sharedHead() const { return m_head; }

private:
    void buildStage2Modules();
    void cacheFrozenOutputs(const torch::Tensor &trainImages);

    DebiasConfig m_config;
    InputShape m_shape;
    int m_numClasses;
    int m_stage = 1;
    std::shared_ptr<Branch> m_deep, m_shallow, m_target;
    torch::nn::Linear m_head {nullptr}, m_targetHead {nullptr};
    std::unique_ptr<FlatAdam> m_optimizer;
    torch::Tensor m_deepFeatures; // stage 2: deep(x) for every training image
    torch::Tensor m_teacherLogits; // stage 2: head(shallow(x)) for every training image
};

} // namespace untangle
