// torchvision's ResNet-18 (BasicBlock x [2, 2, 2, 2]) as SRE's estimator body (docs/methods/sre.md §1.2), randomly
// initialised the way torchvision does it, with conv1 taking the generator's channel count instead of RGB.
#include "sre/scorenetwork.h"

namespace untangle {

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride, int padding)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

/** Two 3x3 convs with BatchNorm and an identity (or 1x1 projection) shortcut: torchvision's BasicBlock. */
struct BasicBlockImpl : torch::nn::Module {
    BasicBlockImpl(int in, int out, int stride)
    {
        conv1 = register_module("conv1", conv(in, out, 3, stride, 1));
        bn1 = register_module("bn1", torch::nn::BatchNorm2d(out));
        conv2 = register_module("conv2", conv(out, out, 3, 1, 1));
        bn2 = register_module("bn2", torch::nn::BatchNorm2d(out));
        if (stride != 1 || in != out)
            downsample = register_module(
                "downsample", torch::nn::Sequential(conv(in, out, 1, stride, 0), torch::nn::BatchNorm2d(out)));
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        auto y = torch::relu(bn1->forward(conv1->forward(x)));
        y = bn2->forward(conv2->forward(y));
        return torch::relu(y + (downsample ? downsample->forward(x) : x));
    }

    torch::nn::Conv2d conv1 {nullptr}, conv2 {nullptr};
    torch::nn::BatchNorm2d bn1 {nullptr}, bn2 {nullptr};
    torch::nn::Sequential downsample {nullptr};
};
TORCH_MODULE(BasicBlock);

} // namespace

torch::nn::Sequential resnet18Body(int channels)
{
    torch::nn::Sequential body(conv(channels, 64, 7, 2, 3), torch::nn::BatchNorm2d(64), torch::nn::ReLU(),
        torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));
    // layer1..layer4, two blocks each, flattened into the one Sequential (a nested Sequential has no fixed forward).
    const int widths[5] = {64, 64, 128, 256, 512};
    for (int layer = 1; layer <= 4; ++layer) {
        body->push_back(BasicBlock(widths[layer - 1], widths[layer], layer == 1 ? 1 : 2));
        body->push_back(BasicBlock(widths[layer], widths[layer], 1));
    }
    body->push_back(torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
    body->push_back(torch::nn::Flatten());
    // torchvision's init: Kaiming-normal (fan_out, relu) for every conv, BatchNorm weight 1 and bias 0.
    torch::NoGradGuard noGrad;
    for (auto &module : body->modules(/*include_self=*/false)) {
        if (auto *c = module->as<torch::nn::Conv2d>())
            torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
        else if (auto *bn = module->as<torch::nn::BatchNorm2d>()) {
            bn->weight.fill_(1.0);
            bn->bias.zero_();
        }
    }
    return body;
}

} // namespace untangle
