#include "cnnbranchinfo.h"

#include "cnnbranches.h"

#include <sstream>

namespace untangle {
namespace {

std::shared_ptr<Branch> buildBranch(bool deep, const InputShape &shape)
{
    return deep ? makeResNet20(shape) : makeShallowCnn(shape);
}

torch::Tensor evalForward(Branch &branch, const torch::Tensor &input)
{
    torch::NoGradGuard noGrad;
    branch.eval();
    return branch.forward(input);
}

} // namespace

BranchProbe probeCnnBranch(bool deep, int channels, int height, int width, int batch, std::uint64_t seed)
{
    torch::manual_seed(seed);
    const InputShape shape {channels, height, width};
    const std::shared_ptr<Branch> branch = buildBranch(deep, shape);

    BranchProbe probe;
    for (const auto &parameter : branch->parameters())
        probe.parameterCount += parameter.numel();
    probe.bufferCount = std::int64_t(branch->buffers().size());

    const torch::Tensor input = torch::rand({batch, channels, height, width});

    // Train mode: updates the BatchNorm running statistics, so the round trip below has non-default buffers to carry.
    branch->train();
    const torch::Tensor trained = branch->forward(input);
    probe.outputShape = trained.sizes().vec();
    trained.pow(2).mean().backward();
    probe.gradientsFinite = true;
    for (const auto &parameter : branch->parameters())
        probe.gradientsFinite
            = probe.gradientsFinite && parameter.grad().defined() && parameter.grad().isfinite().all().item<bool>();

    const torch::Tensor first = evalForward(*branch, input);
    const torch::Tensor second = evalForward(*branch, input);
    probe.evalDeterministic = torch::equal(first, second);
    probe.finite = trained.isfinite().all().item<bool>() && first.isfinite().all().item<bool>();
    probe.evalOutputSum = first.sum().item<double>();

    // A different seed gives different weights, so only loaded parameters *and* buffers reproduce the output.
    std::stringstream stream;
    torch::serialize::OutputArchive out;
    branch->save(out);
    out.save_to(stream);
    torch::manual_seed(seed + 1);
    const std::shared_ptr<Branch> restored = buildBranch(deep, shape);
    torch::serialize::InputArchive in;
    in.load_from(stream);
    restored->load(in);
    probe.roundTripIdentical = torch::equal(evalForward(*restored, input), first);
    return probe;
}

} // namespace untangle
