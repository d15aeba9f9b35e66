#pragma once
// model-internal: chunked, gradient-free passes over a whole split.

#include <torch/torch.h>

#include <functional>

namespace untangle {

/** Rows per chunk of an evaluation pass: large enough for efficient GEMMs, small enough for a CNN's activations. */
constexpr std::int64_t EvalChunk = 1024;

/** fn applied to images in chunks under NoGradGuard, results concatenated along dim 0. */
torch::Tensor mapBatches(const torch::Tensor &images, const std::function<torch::Tensor(const torch::Tensor &)> &fn);

} // namespace untangle
