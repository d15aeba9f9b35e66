#pragma once
// The 4x4 stride-2 convolution that halves a feature map, shared by every small CNN here (score network, factor
// reader, Voynov-Babenko reconstructor). Model-internal (torch types).
#include <torch/torch.h>

namespace untangle {

inline torch::nn::Conv2d downConv(int in, int out)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 4).stride(2).padding(1));
}

} // namespace untangle
