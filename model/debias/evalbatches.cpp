#include "evalbatches.h"

namespace untangle {

torch::Tensor mapBatches(const torch::Tensor &images, const std::function<torch::Tensor(const torch::Tensor &)> &fn)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    const std::int64_t n = images.size(0);
    for (std::int64_t begin = 0; begin < n; begin += EvalChunk)
        parts.push_back(fn(images.narrow(0, begin, std::min(EvalChunk, n - begin))));
    return parts.empty() ? torch::Tensor() : torch::cat(parts, 0);
}

} // namespace untangle
