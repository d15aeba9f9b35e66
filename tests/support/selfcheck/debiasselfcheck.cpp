#include "selfcheck/debiasselfcheck.h"

#include "denetdmtrainer.h"
#include "flatadam.h"
#include "lfftrainer.h"
#include "linearprobe.h"

#include <sstream>
#include <stdexcept>

namespace untangle::selfcheck {
namespace {

std::vector<double> tensorToDoubles(const torch::Tensor &t)
{
    const auto flat = t.detach().to(torch::kFloat64).contiguous().reshape({-1});
    return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

torch::Tensor floatRows(const std::vector<double> &values, int rows, int columns)
{
    if (values.size() != std::size_t(rows) * std::size_t(columns))
        throw std::invalid_argument("expected " + std::to_string(rows) + " x " + std::to_string(columns) + " values");
    return torch::tensor(values, torch::kFloat64).to(torch::kFloat32).reshape({rows, columns});
}

/** The quadratic's parameters as leaf tensors (float, as training uses), one per group. */
std::vector<torch::Tensor> makeParameters(const Quadratic &problem)
{
    std::vector<torch::Tensor> parameters;
    for (const auto &group : problem.start)
        parameters.push_back(torch::tensor(group, torch::kFloat64).to(torch::kFloat32).requires_grad_());
    return parameters;
}

torch::Tensor quadraticLoss(const std::vector<torch::Tensor> &parameters, const Quadratic &problem)
{
    const auto p = torch::cat(parameters);
    const auto a = torch::tensor(problem.curvature, torch::kFloat64).to(torch::kFloat32);
    const auto c = torch::tensor(problem.target, torch::kFloat64).to(torch::kFloat32);
    return (0.5 * a * (p - c).pow(2)).sum();
}

std::vector<double> concatenated(const std::vector<torch::Tensor> &parameters)
{
    torch::NoGradGuard noGrad;
    return tensorToDoubles(torch::cat(parameters));
}

void collectTensors(
    torch::serialize::InputArchive &archive, const std::string &prefix, std::map<std::string, std::vector<double>> &out)
{
    for (const auto &key : archive.keys()) {
        c10::IValue value;
        if (archive.try_read(key, value) && value.isTensor()) {
            out[prefix + key] = tensorToDoubles(value.toTensor());
            continue;
        }
        torch::serialize::InputArchive child;
        if (archive.try_read(key, child))
            collectTensors(child, prefix + key + ".", out);
    }
}

} // namespace

Stage1Logits stage1Logits(
    int width, int channels, int height, int imageWidth, int classes, std::uint64_t seed, int rows)
{
    DebiasConfig config;
    config.width = width;
    config.seed = seed;
    torch::manual_seed(seed);
    DeNetDmTrainer trainer(config, InputShape {channels, height, imageWidth}, classes);
    trainer.setTraining(false);
    torch::NoGradGuard noGrad;
    const auto images = torch::rand({rows, channels, height, imageWidth});
    const auto logits = trainer.headLogits(1, images);
    const auto names = trainer.heads(1);
    Stage1Logits out;
    out.rows = rows;
    out.classes = classes;
    for (std::size_t h = 0; h < names.size(); ++h) {
        if (names[h] == "poe")
            out.poe = tensorToDoubles(logits[h]);
        else if (names[h] == "deep")
            out.deep = tensorToDoubles(logits[h]);
        else if (names[h] == "shallow")
            out.shallow = tensorToDoubles(logits[h]);
    }
    out.headBias = tensorToDoubles(trainer.sharedHead()->bias);
    return out;
}

double distillationLoss(const std::vector<double> &teacherLogits, const std::vector<double> &studentLogits, int rows,
    int classes, double tau)
{
    return untangle::distillationLoss(
        floatRows(teacherLogits, rows, classes), floatRows(studentLogits, rows, classes), tau)
        .item<double>();
}

std::vector<double> flatAdamOnQuadratic(const Quadratic &problem, const AdamSettings &s, int steps)
{
    auto parameters = makeParameters(problem);
    FlatAdam adam(parameters, FlatAdam::Options {s.learningRate, s.beta1, s.beta2, s.eps, s.weightDecay});
    for (int i = 0; i < steps; ++i) {
        adam.zeroGrad();
        quadraticLoss(parameters, problem).backward();
        adam.step();
    }
    return concatenated(parameters);
}

std::vector<double> stockAdamOnQuadratic(const Quadratic &problem, const AdamSettings &s, int steps)
{
    auto parameters = makeParameters(problem);
    torch::optim::Adam adam(parameters,
        torch::optim::AdamOptions(s.learningRate).betas({s.beta1, s.beta2}).eps(s.eps).weight_decay(s.weightDecay));
    for (int i = 0; i < steps; ++i) {
        adam.zero_grad();
        quadraticLoss(parameters, problem).backward();
        adam.step();
    }
    return concatenated(parameters);
}

double linearDecodability(const std::vector<double> &fitFeatures, const std::vector<std::int64_t> &fitLabels,
    const std::vector<double> &scoreFeatures, const std::vector<std::int64_t> &scoreLabels, int dims, int numClasses)
{
    const auto fit = floatRows(fitFeatures, int(fitLabels.size()), dims);
    const auto score = floatRows(scoreFeatures, int(scoreLabels.size()), dims);
    return untangle::linearDecodability(
        fit, torch::tensor(fitLabels, torch::kInt64), score, torch::tensor(scoreLabels, torch::kInt64), numClasses);
}

std::map<std::string, std::vector<double>> checkpointModuleTensors(
    const std::string &checkpointPath, const std::string &moduleKey)
{
    torch::serialize::InputArchive archive;
    archive.load_from(checkpointPath);
    torch::serialize::InputArchive module;
    if (!archive.try_read(moduleKey, module))
        throw std::runtime_error(checkpointPath + ": no module \"" + moduleKey + "\"");
    std::map<std::string, std::vector<double>> out;
    collectTensors(module, std::string(), out);
    return out;
}

} // namespace untangle::selfcheck

namespace untangle::selfcheck {
namespace {

DebiasConfig lffConfig(bool officialRecipe)
{
    DebiasConfig config;
    config.method = DebiasMethod::Lff;
    applyLffRecipe(config, officialRecipe ? LffRecipe::Official : LffRecipe::Untangle);
    return config;
}

std::vector<double> archiveTensor(LffTrainer &trainer, const char *key)
{
    torch::serialize::OutputArchive out;
    trainer.save(out);
    std::ostringstream bytes;
    out.save_to(bytes);
    torch::serialize::InputArchive in;
    std::istringstream source(bytes.str());
    in.load_from(source);
    torch::Tensor value;
    in.read(key, value);
    return tensorToDoubles(value);
}

} // namespace

std::vector<LffStepTrace> lffSteps(const LffSteps &setup)
{
    torch::manual_seed(setup.seed);
    DebiasConfig config = lffConfig(setup.officialRecipe);
    config.width = 5;
    config.lffRescaleInputs = setup.rescaleInputs;
    const InputShape shape {1, 2, 2};
    const int n = int(setup.targets.size());
    LffTrainer trainer(config, shape, setup.classes, n);
    trainer.beginStage(1, torch::Tensor());
    trainer.setTraining(true);
    const auto images = torch::rand({n, 1, 2, 2});
    const auto targets = torch::tensor(setup.targets, torch::kInt64);
    std::vector<LffStepTrace> traces;
    for (const auto &batch : setup.batches) {
        const auto index = torch::tensor(batch, torch::kInt64);
        const auto x = images.index_select(0, index), y = targets.index_select(0, index);
        LffStepTrace trace;
        {
            torch::NoGradGuard noGrad;
            const auto logits = trainer.headLogits(1, x); // {debiased, biased}
            const auto ce = [&](const torch::Tensor &l) {
                return torch::nn::functional::cross_entropy(
                    l, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
            };
            trace.ceDebiased = tensorToDoubles(ce(logits[0]));
            trace.ceBiased = tensorToDoubles(ce(logits[1]));
            trace.pBiased = tensorToDoubles(torch::softmax(logits[1], 1).gather(1, y.unsqueeze(1)).squeeze(1));
        }
        const BatchLoss loss = trainer.trainBatch(x, y, index);
        trace.loss = loss.loss.item<double>();
        trace.gce = loss.distill;
        trace.weighted = loss.poe;
        trace.emaBiased = archiveTensor(trainer, "ema_biased");
        trace.emaDebiased = archiveTensor(trainer, "ema_debiased");
        traces.push_back(trace);
    }
    return traces;
}

std::vector<std::pair<int, int>> lffBiasedLayers(bool officialRecipe)
{
    LffTrainer trainer(lffConfig(officialRecipe), InputShape {3, 28, 28}, 10, 4);
    trainer.beginStage(1, torch::Tensor());
    std::vector<std::pair<int, int>> layers;
    const auto state = trainer.stageState(1); // biased branch, biased head, debiased branch, debiased head
    for (const auto &t : state)
        if (t.dim() == 2)
            layers.emplace_back(int(t.size(0)), int(t.size(1)));
    layers.resize(layers.size() / 2); // the biased network's half
    return layers;
}

} // namespace untangle::selfcheck
