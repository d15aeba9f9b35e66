#pragma once
// model-internal: LibTorch modules for the debias branches. Never included outside model/.

#include <torch/torch.h>

#include <memory>

namespace untangle {

/** A feature extractor: image batch -> feature vectors of featureSize(). */
class Branch : public torch::nn::Module {
public:
    virtual torch::Tensor forward(const torch::Tensor &input) = 0;
    virtual std::int64_t featureSize() const = 0;
};

/**
 * The paper's MLP branch: Linear(in, width) then (layers - 1) x Linear(width, width), ReLU after every Linear
 * (features are post-ReLU, as in module/model.py). layers = depth - 1 (the head is shared and separate).
 */
class MlpBranch : public Branch {
public:
    MlpBranch(std::int64_t inputSize, int layers, int width);
    torch::Tensor forward(const torch::Tensor &input) override;
    std::int64_t featureSize() const override { return m_width; }

private:
    std::vector<torch::nn::Linear> m_layers;
    std::int64_t m_width;
};

/** Input geometry the branches are built for. */
struct InputShape {
    int channels = 3;
    int height = 28;
    int width = 28;
    std::int64_t flatSize() const { return std::int64_t(channels) * height * width; }
};

/** Builds a branch: MLP of `depth` linear layers including the head, or the CNN pair member for that role. */
enum class BranchRole { Deep, Shallow, Target };
std::shared_ptr<Branch> makeBranch(bool cnn, BranchRole role, int depth, int width, const InputShape &shape);

} // namespace untangle
