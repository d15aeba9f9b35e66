#include "ermtrainer.h"

#include "moduleio.h"

namespace untangle {

ErmTrainer::ErmTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses)
    : m_config(config)
{
    m_model = makeBranch(
        config.architecture == BranchArchitecture::Cnn, BranchRole::Deep, config.deepDepth, config.width, shape);
    m_head = torch::nn::Linear(m_model->featureSize(), numClasses);
}

void ErmTrainer::beginStage(int, const torch::Tensor &)
{
    m_optimizer = std::make_unique<FlatAdam>(parametersOf({m_model, m_head.ptr()}),
        FlatAdam::Options {m_config.learningRate, 0.9, 0.999, 1e-8, BaselineWeightDecay});
}

BatchLoss ErmTrainer::trainBatch(const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &)
{
    BatchLoss out;
    m_optimizer->zeroGrad();
    const auto perSample = torch::nn::functional::cross_entropy(m_head->forward(m_model->forward(images)), targets,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    out.loss = perSample.mean();
    out.loss.backward();
    m_optimizer->step();
    out.perSample = perSample.detach();
    out.poe = out.loss.item<double>();
    return out;
}

std::vector<torch::Tensor> ErmTrainer::headLogits(int, const torch::Tensor &images)
{
    return {m_head->forward(m_model->forward(images))};
}

torch::Tensor ErmTrainer::branchFeatures(const std::string &, const torch::Tensor &images)
{
    return m_model->forward(images);
}

torch::Tensor ErmTrainer::biasedLosses(const torch::Tensor &images, const torch::Tensor &targets)
{
    return torch::nn::functional::cross_entropy(
        headLogits(1, images)[0], targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
}

void ErmTrainer::save(torch::serialize::OutputArchive &archive) const
{
    saveModule(archive, "model", m_model);
    saveModule(archive, "head", m_head.ptr());
    m_optimizer->save(archive, "optimizer/");
}

void ErmTrainer::load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages)
{
    loadModule(archive, "model", m_model);
    loadModule(archive, "head", m_head.ptr());
    beginStage(stage, trainImages);
    m_optimizer->load(archive, "optimizer/");
}

} // namespace untangle
