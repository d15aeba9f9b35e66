#include "linearprobe.h"

namespace untangle {
namespace {
constexpr double RidgeLambda = 1.0; // on standardised features and ~1000 samples: mild, keeps the solve well posed
constexpr double StdFloor = 1e-6; // dead (always-zero) ReLU units must not divide by zero
constexpr std::uint64_t ProbeSubsetSeed = 4242; // fixed: every run and epoch probes the same images

torch::Tensor subset(const torch::Tensor &t, const torch::Tensor &index)
{
    return t.index_select(0, index);
}
} // namespace

ProbeSets makeProbeSets(const SplitTensors &valid, const SplitTensors &test, int numTargets, int numBiases)
{
    torch::Generator generator = at::detail::createCPUGenerator(ProbeSubsetSeed);
    auto pick
        = [&](int n) { return torch::randperm(n, generator, torch::kInt64).narrow(0, 0, std::min(n, ProbeSamples)); };
    const auto v = pick(valid.count()), t = pick(test.count());
    return ProbeSets {subset(valid.images, v), subset(valid.targets, v), subset(valid.biases, v),
        subset(test.images, t), subset(test.targets, t), subset(test.biases, t), numTargets, numBiases};
}

double linearDecodability(const torch::Tensor &trainFeatures, const torch::Tensor &trainLabels,
    const torch::Tensor &testFeatures, const torch::Tensor &testLabels, int numClasses)
{
    torch::NoGradGuard noGrad;
    const auto train64 = trainFeatures.to(torch::kFloat64), test64 = testFeatures.to(torch::kFloat64);
    const auto mean = train64.mean(0, true);
    const auto std = train64.std(0, true, true).clamp_min(StdFloor);
    auto design = [&](const torch::Tensor &f) {
        const auto z = (f - mean) / std;
        return torch::cat({z, torch::ones({z.size(0), 1}, z.options())}, 1);
    };
    const auto x = design(train64);
    const auto y = torch::one_hot(trainLabels, numClasses).to(torch::kFloat64);
    const auto gram = x.t().mm(x) + RidgeLambda * torch::eye(x.size(1), x.options());
    const auto weights = torch::linalg_solve(gram, x.t().mm(y));
    const auto predictions = design(test64).mm(weights).argmax(1);
    return predictions.eq(testLabels).to(torch::kFloat64).mean().item<double>();
}

} // namespace untangle
