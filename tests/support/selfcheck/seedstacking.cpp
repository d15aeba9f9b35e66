#include "seedstacking.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <vector>

namespace untangle::selfcheck {

namespace {

constexpr std::int64_t StackBatch = 64;
constexpr std::int64_t StackPixels = 3 * 28 * 28;
constexpr std::int64_t StackImages = 8000;
constexpr double StackDensity = 0.19; // CMNIST-10k's share of non-zero inputs

/** A stack of `seeds` MLPs: weight [seeds, in, out] and bias [seeds, 1, out] per layer. */
struct StackedMlp {
    std::vector<torch::Tensor> weights, biases;
    StackedMlp(std::int64_t seeds, const std::vector<std::int64_t> &sizes)
    {
        for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
            const double bound = 1.0 / std::sqrt(double(sizes[i])); // torch.nn.Linear's default range
            weights.push_back((torch::rand({seeds, sizes[i], sizes[i + 1]}) * 2 - 1).mul_(bound).requires_grad_());
            biases.push_back((torch::rand({seeds, 1, sizes[i + 1]}) * 2 - 1).mul_(bound).requires_grad_());
        }
    }
    torch::Tensor forward(torch::Tensor x, bool reluLast = true) const
    {
        for (std::size_t i = 0; i < weights.size(); ++i) {
            x = torch::baddbmm(biases[i], x, weights[i]);
            if (reluLast || i + 1 < weights.size())
                x = torch::relu(x);
        }
        return x;
    }
    void appendTo(std::vector<torch::Tensor> &parameters) const
    {
        parameters.insert(parameters.end(), weights.begin(), weights.end());
        parameters.insert(parameters.end(), biases.begin(), biases.end());
    }
};

} // namespace

double stackedStage1Seconds(std::int64_t seeds, int steps)
{
    torch::manual_seed(0);
    const auto images = (torch::rand({StackImages, StackPixels})
        * (torch::rand({StackImages, StackPixels}) < StackDensity).to(torch::kFloat))
                            .contiguous();
    const StackedMlp deep(seeds, {StackPixels, 100, 100, 100, 100}), shallow(seeds, {StackPixels, 100, 100}),
        head(seeds, {100, 10});
    std::vector<torch::Tensor> parameters;
    for (const auto *mlp : {&deep, &shallow, &head})
        mlp->appendTo(parameters);
    torch::optim::Adam adam(parameters, torch::optim::AdamOptions(1e-3).weight_decay(1e-3));
    const auto begin = std::chrono::steady_clock::now();
    for (int step = 0; step < steps; ++step) {
        const auto index = torch::randint(StackImages, {seeds * StackBatch}, torch::kLong);
        const auto x = images.index_select(0, index).view({seeds, StackBatch, StackPixels});
        const auto targets = torch::randint(10, {seeds * StackBatch}, torch::kLong);
        adam.zero_grad();
        const auto logits = head.forward(deep.forward(x) + shallow.forward(x), false).view({seeds * StackBatch, 10});
        // Summed over seeds: each seed's gradient is that of its own mean loss.
        (torch::nn::functional::cross_entropy(logits, targets) * double(seeds)).backward();
        adam.step();
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

} // namespace untangle::selfcheck
