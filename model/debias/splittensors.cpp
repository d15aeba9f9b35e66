#include "splittensors.h"

namespace untangle {

SplitTensors toSplitTensors(const LabeledImages &split)
{
    SplitTensors out;
    out.targetList = split.targets;
    out.biasList = split.biases;
    const auto n = std::int64_t(split.count);
    out.targets = torch::tensor(split.targets, torch::kInt64);
    out.biases = torch::tensor(split.biases, torch::kInt64);
    if (n == 0) {
        out.images = torch::zeros({0, split.channels, split.height, split.width});
        out.aligned = torch::zeros({0}, torch::kBool);
        return out;
    }
    // from_blob borrows the pixels; the conversion to float makes the tensor's own copy.
    auto bytes = torch::from_blob(
        const_cast<std::uint8_t *>(split.pixels.data()), {n, split.height, split.width, split.channels}, torch::kUInt8);
    out.images = bytes.permute({0, 3, 1, 2}).to(torch::kFloat32).div_(255.0f).contiguous();
    out.aligned = out.targets.eq(out.biases);
    return out;
}

InputShape inputShapeOf(const LabeledImages &split)
{
    return InputShape {split.channels, split.height, split.width};
}

} // namespace untangle
