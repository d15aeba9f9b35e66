#include "branches.h"

#include "cnnbranches.h"

namespace untangle {

MlpBranch::MlpBranch(std::int64_t inputSize, int layers, int width)
    : m_width(width)
{
    std::int64_t in = inputSize;
    for (int i = 0; i < layers; ++i) {
        m_layers.push_back(register_module("fc" + std::to_string(i), torch::nn::Linear(in, width)));
        in = width;
    }
}

torch::Tensor MlpBranch::forward(const torch::Tensor &input)
{
    torch::Tensor h = input.flatten(1);
    for (auto &layer : m_layers)
        h = torch::relu(layer->forward(h));
    return h;
}

std::shared_ptr<Branch> makeBranch(bool cnn, BranchRole role, int depth, int width, const InputShape &shape)
{
    if (cnn)
        return role == BranchRole::Shallow ? makeShallowCnn(shape) : makeResNet20(shape);
    return std::make_shared<MlpBranch>(shape.flatSize(), depth - 1, width);
}

} // namespace untangle
