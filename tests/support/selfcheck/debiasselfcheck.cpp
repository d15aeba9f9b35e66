#include "selfcheck/debiasselfcheck.h"

#include "denetdmtrainer.h"
#include "flatadam.h"
#include "linearprobe.h"

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
