#include "denetdmtrainer.h"

#include "evalbatches.h"
#include "moduleio.h"

namespace untangle {

torch::Tensor distillationLoss(const torch::Tensor &teacherLogits, const torch::Tensor &studentLogits, double tau)
{
    const auto teacher = torch::softmax(teacherLogits.detach() / tau, 1);
    const auto student = torch::log_softmax(studentLogits / tau, 1);
    return -(teacher * student).sum(1).mean() * (tau * tau);
}

DeNetDmTrainer::DeNetDmTrainer(const DebiasConfig &config, const InputShape &shape, int numClasses)
    : m_config(config)
    , m_shape(shape)
    , m_numClasses(numClasses)
{
    const bool cnn = config.architecture == BranchArchitecture::Cnn;
    m_deep = makeBranch(cnn, BranchRole::Deep, config.deepDepth, config.width, shape);
    m_shallow = makeBranch(cnn, BranchRole::Shallow, config.shallowDepth, config.width, shape);
    m_head = torch::nn::Linear(m_deep->featureSize(), numClasses);
}

void DeNetDmTrainer::buildStage2Modules()
{
    const bool cnn = m_config.architecture == BranchArchitecture::Cnn;
    m_target = makeBranch(cnn, BranchRole::Target, m_config.targetDepth, m_config.width, m_shape);
    m_targetHead = torch::nn::Linear(m_target->featureSize(), m_numClasses);
    torch::NoGradGuard noGrad;
    m_targetHead->weight.copy_(m_head->weight); // f_t starts as the stage-1 head
    m_targetHead->bias.copy_(m_head->bias);
}

void DeNetDmTrainer::cacheFrozenOutputs(const torch::Tensor &trainImages)
{
    m_deep->eval();
    m_shallow->eval();
    m_head->eval();
    m_deepFeatures = mapBatches(trainImages, [&](const torch::Tensor &x) { return m_deep->forward(x); });
    m_teacherLogits
        = mapBatches(trainImages, [&](const torch::Tensor &x) { return m_head->forward(m_shallow->forward(x)); });
}

void DeNetDmTrainer::beginStage(int stage, const torch::Tensor &trainImages)
{
    m_stage = stage;
    if (stage == 1) {
        m_optimizer = std::make_unique<FlatAdam>(parametersOf({m_deep, m_shallow, m_head.ptr()}),
            FlatAdam::Options {m_config.learningRate, 0.9, 0.999, 1e-8, m_config.weightDecay});
        return;
    }
    cacheFrozenOutputs(trainImages);
    buildStage2Modules();
    m_optimizer = std::make_unique<FlatAdam>(parametersOf({m_target, m_targetHead.ptr()}),
        FlatAdam::Options {m_config.stage2LearningRate, 0.9, 0.999, 1e-8, m_config.stage2WeightDecay});
}

void DeNetDmTrainer::setTraining(bool training)
{
    if (m_stage == 1) {
        m_deep->train(training);
        m_shallow->train(training);
    } else {
        m_target->train(training); // the frozen stage-1 parts stay in eval mode: no BatchNorm drift
    }
}

BatchLoss DeNetDmTrainer::trainBatch(
    const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex)
{
    BatchLoss out;
    m_optimizer->zeroGrad();
    if (m_stage == 1) {
        const auto logits = m_head->forward(m_deep->forward(images) + m_shallow->forward(images));
        const auto perSample = torch::nn::functional::cross_entropy(
            logits, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        out.loss = perSample.mean();
        out.loss.backward();
        out.perSample = perSample.detach();
        out.poe = out.loss.item<double>();
    } else {
        const double tau = m_config.temperature;
        const auto features = m_target->forward(images);
        const auto poeLogits = m_targetHead->forward(m_deepFeatures.index_select(0, sampleIndex) + features);
        const auto perSample = torch::nn::functional::cross_entropy(
            poeLogits, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        const auto poe = perSample.mean();
        const auto distill
            = distillationLoss(m_teacherLogits.index_select(0, sampleIndex), m_targetHead->forward(features), tau);
        out.loss = m_config.poeWeight * poe + m_config.distillWeight * distill;
        out.loss.backward();
        out.perSample = perSample.detach();
        out.poe = poe.item<double>();
        out.distill = distill.item<double>();
    }
    m_optimizer->step();
    return out;
}

std::vector<std::string> DeNetDmTrainer::heads(int stage) const
{
    return stage == 1 ? std::vector<std::string> {"poe", "deep", "shallow"} : std::vector<std::string> {"target"};
}

std::vector<torch::Tensor> DeNetDmTrainer::headLogits(int stage, const torch::Tensor &images)
{
    if (stage == 2)
        return {m_targetHead->forward(m_target->forward(images))};
    const auto deep = m_deep->forward(images), shallow = m_shallow->forward(images);
    // Single experts through the shared head: W h + c, the bias counted once as in the PoE.
    return {m_head->forward(deep + shallow), m_head->forward(deep), m_head->forward(shallow)};
}

std::vector<std::string> DeNetDmTrainer::probeBranches(int stage) const
{
    return stage == 1 ? std::vector<std::string> {"deep", "shallow"} : std::vector<std::string> {"target"};
}

torch::Tensor DeNetDmTrainer::branchFeatures(const std::string &branch, const torch::Tensor &images)
{
    if (branch == "deep")
        return m_deep->forward(images);
    if (branch == "shallow")
        return m_shallow->forward(images);
    return m_target->forward(images);
}

torch::Tensor DeNetDmTrainer::biasedLosses(const torch::Tensor &images, const torch::Tensor &targets)
{
    return torch::nn::functional::cross_entropy(m_head->forward(m_deep->forward(images)), targets,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
}

std::vector<torch::Tensor> DeNetDmTrainer::stageState(int stage)
{
    return stage == 1 ? stateOf({m_deep, m_shallow, m_head.ptr()}) : stateOf({m_target, m_targetHead.ptr()});
}

void DeNetDmTrainer::save(torch::serialize::OutputArchive &archive) const
{
    saveModule(archive, "deep", m_deep);
    saveModule(archive, "shallow", m_shallow);
    saveModule(archive, "head", m_head.ptr());
    if (m_stage == 2) {
        saveModule(archive, "target", m_target);
        saveModule(archive, "target_head", m_targetHead.ptr());
    }
    m_optimizer->save(archive, "optimizer/");
}

void DeNetDmTrainer::load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages)
{
    loadModule(archive, "deep", m_deep);
    loadModule(archive, "shallow", m_shallow);
    loadModule(archive, "head", m_head.ptr());
    m_stage = stage;
    if (stage == 1) {
        beginStage(1, trainImages); // re-homes the loaded parameters into a fresh flat buffer
    } else {
        cacheFrozenOutputs(trainImages);
        buildStage2Modules();
        loadModule(archive, "target", m_target);
        loadModule(archive, "target_head", m_targetHead.ptr());
        m_optimizer = std::make_unique<FlatAdam>(parametersOf({m_target, m_targetHead.ptr()}),
            FlatAdam::Options {m_config.stage2LearningRate, 0.9, 0.999, 1e-8, m_config.stage2WeightDecay});
    }
    m_optimizer->load(archive, "optimizer/");
}

} // namespace untangle
