#include "selfcheck/evaluationselfcheck.h"

#include "evaluation/encoderdistillation.h"
#include "evaluation/evaluationstreams.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"
#include "sre/scorenetwork.h"

namespace untangle::selfcheck {

namespace {

Matrix rowsOf(const torch::Tensor &values, const std::vector<int> &rows)
{
    const auto picked = values.index_select(0, torch::tensor(std::vector<int64_t>(rows.begin(), rows.end())))
                            .to(torch::kFloat64)
                            .contiguous();
    return Matrix {int(picked.size(0)), int(picked.size(1)),
        std::vector<double>(picked.data_ptr<double>(), picked.data_ptr<double>() + picked.numel())};
}

} // namespace

DistillationSplitView distillationSplit(int latentSize, const EvaluationOptions &options)
{
    options.validate();
    const auto z
        = distillationLatents(options.images, latentSize, evaluationStream(options.seed, EvaluationStream::Latents));
    const auto split = planDistillationSplit(
        options.images, options.heldOutFraction, evaluationStream(options.seed, EvaluationStream::Split));
    return {rowsOf(z, split.train), rowsOf(z, split.heldOut)};
}

Matrix sampleStyles(const std::string &generatorPath, int n, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto generator = loadGenerator(generatorPath);
    const auto w = generator->mapping(sampleLatents(n, generator->shape().latentSize, seed));
    std::vector<int> all(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        all[std::size_t(i)] = i;
    return rowsOf(w, all);
}

ScoreFileSummary readScoreFileSummary(const std::string &path)
{
    const auto file = loadScoreFile(path);
    return {file.kind, file.directionsPath, file.network->config.outputs, file.network->config.resolution};
}

} // namespace untangle::selfcheck
