#pragma once
// model-internal: the ERM baseline (the deep network alone, plain cross-entropy).

#include "flatadam.h"
#include "methodtrainer.h"

namespace untangle {

class ErmTrainer : public MethodTrainer {
public:
    ErmTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses);

    int epochs(int) const override { return m_config.stage1Epochs; }
    void beginStage(int stage, const torch::Tensor &trainImages) override;
    BatchLoss trainBatch(
        const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex) override;
    void setTraining(bool training) override { m_model->train(training); }

    std::vector<std::string> heads(int) const override { return {"model"}; }
    std::vector<torch::Tensor> headLogits(int, const torch::Tensor &images) override;
    std::string selectionHead(int) const override { return "model"; }
    std::string finalHead() const override { return "model"; }

    std::vector<std::string> probeBranches(int) const override { return {"model"}; }
    torch::Tensor branchFeatures(const std::string &branch, const torch::Tensor &images) override;
    std::string biasedBranch() const override { return "model"; }
    torch::Tensor biasedLosses(const torch::Tensor &images, const torch::Tensor &targets) override;

    std::vector<torch::Tensor> stageState(int) override { return stateOf({m_model, m_head.ptr()}); }
    void save(torch::serialize::OutputArchive &archive) const override;
    void load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages) override;

private:
    DebiasConfig m_config;
    std::shared_ptr<Branch> m_model;
    torch::nn::Linear m_head {nullptr};
    std::unique_ptr<FlatAdam> m_optimizer;
};

} // namespace untangle
