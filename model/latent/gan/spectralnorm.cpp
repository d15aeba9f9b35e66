#include "gan/spectralnorm.h"

#include <cmath>

namespace untangle {

namespace {

torch::Tensor normalised(const torch::Tensor &v)
{
    return v / (v.norm() + 1e-12);
}

torch::Tensor initialU(int out)
{
    return normalised(torch::randn({out}));
}

} // namespace

torch::Tensor spectralNormalised(const torch::Tensor &weight, torch::Tensor &u, bool training)
{
    const auto matrix = weight.view({weight.size(0), -1});
    torch::Tensor v, uSnapshot;
    {
        torch::NoGradGuard noGrad;
        v = normalised(torch::mv(matrix.t(), u));
        if (training) {
            u.copy_(normalised(torch::mv(matrix, v)));
            v = normalised(torch::mv(matrix.t(), u));
        }
        // A copy: the next training forward updates u in place while this graph still needs its value.
        uSnapshot = u.clone();
    }
    // sigma carries the gradient (u, v are constants), exactly as PyTorch's spectral_norm.
    const auto sigma = torch::dot(uSnapshot, torch::mv(matrix, v));
    return weight / sigma;
}

SpectralConv2dImpl::SpectralConv2dImpl(int in, int out, int kernel, int stride_, int padding_, bool normalise_)
    : stride(stride_)
    , padding(padding_)
    , normalise(normalise_)
{
    weight = register_parameter("weight", torch::empty({out, in, kernel, kernel}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0)); // torch.nn.Conv2d's default
    bias = register_parameter("bias", torch::zeros({out}));
    u = register_buffer("u", initialU(out));
}

torch::Tensor SpectralConv2dImpl::forward(const torch::Tensor &x)
{
    return torch::conv2d(x, normalise ? spectralNormalised(weight, u, is_training()) : weight, bias, stride, padding);
}

SpectralLinearImpl::SpectralLinearImpl(int in, int out, bool normalise_)
    : normalise(normalise_)
{
    weight = register_parameter("weight", torch::empty({out, in}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    bias = register_parameter("bias", torch::zeros({out}));
    u = register_buffer("u", initialU(out));
}

torch::Tensor SpectralLinearImpl::forward(const torch::Tensor &x)
{
    return torch::linear(x, normalise ? spectralNormalised(weight, u, is_training()) : weight, bias);
}

} // namespace untangle
