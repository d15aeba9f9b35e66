#pragma once
// model-internal: a dataset split as tensors.

#include "branches.h"
#include "labeledimages.h"

#include <torch/torch.h>

namespace untangle {

/** One split ready for training: images as float in [0, 1], one contiguous tensor, plus labels. */
struct SplitTensors {
    torch::Tensor images; // N x C x H x W (float)
    torch::Tensor targets; // N (int64)
    torch::Tensor biases; // N (int64)
    torch::Tensor aligned; // N (bool): target == bias
    std::vector<std::int64_t> targetList, biasList;
    int count() const { return int(targetList.size()); }
};

SplitTensors toSplitTensors(const LabeledImages &split);
InputShape inputShapeOf(const LabeledImages &split);

/** Rows [begin, end) of a split's images. */
inline torch::Tensor rows(const SplitTensors &split, std::int64_t begin, std::int64_t end)
{
    return split.images.narrow(0, begin, end - begin);
}

} // namespace untangle
