#pragma once
// The pieces shared by the small CNNs here (score network, factor readers, Voynov-Babenko reconstructor): the 4x4
// stride-2 convolution that halves a feature map, the coordinate channels a reader sees beside the image, and He
// initialisation from a seed. Model-internal (torch types).
#include <torch/torch.h>

#include <cmath>
#include <cstdint>

namespace untangle {

inline torch::nn::Conv2d downConv(int in, int out)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 4).stride(2).padding(1));
}

/** (1, 2, R, R): x and y from -1 to 1, the channels a reader gets beside the image so it can tell where things are. */
inline torch::Tensor coordinateGrid(int resolution)
{
    const auto axis = torch::linspace(-1.0, 1.0, resolution);
    const auto xs = axis.view({1, -1}).expand({resolution, resolution});
    const auto ys = axis.view({-1, 1}).expand({resolution, resolution});
    return torch::stack({xs, ys}).unsqueeze(0).contiguous();
}

/** Biases zero, weights He (Kaiming) uniform for ReLU, drawn from `seed`: the same network for the same seed. */
inline void heUniformInitialise(torch::nn::Module &module, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto source = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (auto &item : module.named_parameters()) {
        auto &parameter = item.value();
        if (parameter.dim() < 2) {
            parameter.zero_();
            continue;
        }
        const double bound = std::sqrt(6.0 / double(parameter[0].numel()));
        parameter.uniform_(-bound, bound, source);
    }
}

} // namespace untangle
