#include "cnnbranches.h"

#include "dataerror.h"

#include <algorithm>
#include <stdexcept>
#include <string>

// Parameter names follow the reference code (module/resnet.py: conv1, bn1, layer1.0.conv1, ...), so a state dict
// printed here reads like the Python one.

namespace untangle {
namespace {

constexpr std::int64_t StemChannels = 16; // He et al. CIFAR ResNet: 16/32/64 channels per stage
constexpr int BlocksPerStage = 3; // ResNet-20 = 1 stem conv + 3 stages x 3 blocks x 2 convs + fc
constexpr std::int64_t ShallowWidth1 = 32; // reference shallow CNN: Conv5x5(c->32)
constexpr std::int64_t ShallowWidth2 = 64; // then Conv5x5(32->64) and Conv5x5(64->64)
constexpr std::int64_t ShallowKernel = 5; // all three shallow convs are 5x5
constexpr std::int64_t ShallowPool = 2; // MaxPool2 after the first two shallow convs

/** A 3x3, padding-1, bias-free conv with akamaster's Kaiming-normal init (fan_in, gain sqrt(2)). */
torch::nn::Conv2d kaimingConv3x3(std::int64_t in, std::int64_t out, std::int64_t stride)
{
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
    torch::nn::init::kaiming_normal_(conv->weight); // resnet.py _weights_init: init.kaiming_normal_(m.weight)
    return conv;
}

/** BasicBlock with option-A shortcut: the residual path costs no parameters (He et al. 2016, CIFAR experiments). */
class BasicBlockImpl : public torch::nn::Module {
public:
    BasicBlockImpl(std::int64_t inPlanes, std::int64_t planes, std::int64_t stride)
        : m_conv1(register_module("conv1", kaimingConv3x3(inPlanes, planes, stride)))
        , m_bn1(register_module("bn1", torch::nn::BatchNorm2d(planes)))
        , m_conv2(register_module("conv2", kaimingConv3x3(planes, planes, 1)))
        , m_bn2(register_module("bn2", torch::nn::BatchNorm2d(planes)))
        , m_reshape(stride != 1 || inPlanes != planes)
        , m_channelPad((planes - inPlanes) / 2) // resnet.py pads planes//4 on each side, i.e. half the difference
    {
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        torch::Tensor out = torch::relu(m_bn1->forward(m_conv1->forward(x)));
        out = m_bn2->forward(m_conv2->forward(out));
        return torch::relu(out + shortcut(x));
    }

private:
    torch::Tensor shortcut(const torch::Tensor &x) const
    {
        if (!m_reshape)
            return x;
        // x[:, :, ::2, ::2] then zero channels on both sides: ceil(n/2) matches the stride-2 conv for odd n too.
        const torch::Tensor sub = x.slice(2, 0, c10::nullopt, 2).slice(3, 0, c10::nullopt, 2);
        return torch::constant_pad_nd(sub, {0, 0, 0, 0, m_channelPad, m_channelPad}, 0);
    }

    torch::nn::Conv2d m_conv1;
    torch::nn::BatchNorm2d m_bn1;
    torch::nn::Conv2d m_conv2;
    torch::nn::BatchNorm2d m_bn2;
    bool m_reshape;
    std::int64_t m_channelPad;
};
TORCH_MODULE(BasicBlock);

/** CIFAR ResNet-20 without its classifier: any spatial size, global average pooling at the end. */
class ResNet20 : public Branch {
public:
    explicit ResNet20(std::int64_t channels)
        : m_conv1(register_module("conv1", kaimingConv3x3(channels, StemChannels, 1)))
        , m_bn1(register_module("bn1", torch::nn::BatchNorm2d(StemChannels)))
    {
        std::int64_t inPlanes = StemChannels;
        for (int stage = 0; stage < 3; ++stage) {
            const std::int64_t planes = StemChannels << stage;
            torch::nn::Sequential layer;
            for (int block = 0; block < BlocksPerStage; ++block) {
                const std::int64_t stride = (stage > 0 && block == 0) ? 2 : 1;
                layer->push_back(BasicBlock(inPlanes, planes, stride));
                inPlanes = planes;
            }
            m_layers.push_back(register_module("layer" + std::to_string(stage + 1), layer));
        }
    }

    torch::Tensor forward(const torch::Tensor &input) override
    {
        torch::Tensor h = torch::relu(m_bn1->forward(m_conv1->forward(input)));
        for (auto &layer : m_layers)
            h = layer->forward(h);
        return torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1);
    }

    std::int64_t featureSize() const override { return CnnFeatureSize; }

private:
    torch::nn::Conv2d m_conv1;
    torch::nn::BatchNorm2d m_bn1;
    std::vector<torch::nn::Sequential> m_layers;
};

/**
 * Padding rule for the shallow CNN: a 5x5 conv keeps the reference's padding 0 whenever its input side is at least
 * the kernel, and pads 2 ("same") only when it is smaller. 32x32 input then runs the paper's exact layout
 * 32->28->14->10->5->1, and 28x28 (where the third conv would see 4x4 and produce nothing) becomes
 * 28->24->12->8->4->4, pooled to 1x1. Padding adds no parameters, so the count is the same for both sizes.
 */
std::int64_t shallowPadding(std::int64_t side)
{
    return side < ShallowKernel ? ShallowKernel / 2 : 0;
}

/** The feature map side after the shallow CNN's three conv (+ pool) steps; < 1 when the input is too small. */
std::int64_t shallowOutputSide(std::int64_t side)
{
    for (int i = 0; i < 3 && side >= 1; ++i) {
        side = side + 2 * shallowPadding(side) - ShallowKernel + 1;
        if (i < 2)
            side /= ShallowPool;
    }
    return side;
}

class ShallowCnn : public Branch {
public:
    explicit ShallowCnn(const InputShape &shape)
    {
        std::int64_t side = std::min(shape.height, shape.width);
        if (shallowOutputSide(side) < 1) {
            // The images are what is wrong (bad data, not a bad option): say which sizes would work.
            std::int64_t smallest = 1;
            while (shallowOutputSide(smallest) < 1)
                ++smallest;
            throw DataError("the images are " + std::to_string(shape.height) + "x" + std::to_string(shape.width)
                + ", too small for the CNN branches (at least " + std::to_string(smallest) + "x"
                + std::to_string(smallest) + "); use --arch mlp or larger images");
        }
        const std::int64_t widths[] = {shape.channels, ShallowWidth1, ShallowWidth2, CnnFeatureSize};
        for (int i = 0; i < 3; ++i) {
            const std::int64_t padding = shallowPadding(side);
            // Default PyTorch conv init and bias, as the reference shallow CNN (no custom init there).
            m_convs.push_back(register_module("conv" + std::to_string(i + 1),
                torch::nn::Conv2d(torch::nn::Conv2dOptions(widths[i], widths[i + 1], ShallowKernel).padding(padding))));
            m_bns.push_back(register_module("bn" + std::to_string(i + 1), torch::nn::BatchNorm2d(widths[i + 1])));
            side = side + 2 * padding - ShallowKernel + 1;
            if (i < 2)
                side /= ShallowPool;
        }
    }

    torch::Tensor forward(const torch::Tensor &input) override
    {
        torch::Tensor h = input;
        for (std::size_t i = 0; i < m_convs.size(); ++i) {
            h = torch::relu(m_bns[i]->forward(m_convs[i]->forward(h)));
            if (i < 2)
                h = torch::max_pool2d(h, ShallowPool);
        }
        // On 32x32 the map is already 1x1 (the reference's Flatten); elsewhere this averages what is left.
        return torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1);
    }

    std::int64_t featureSize() const override { return CnnFeatureSize; }

private:
    std::vector<torch::nn::Conv2d> m_convs;
    std::vector<torch::nn::BatchNorm2d> m_bns;
};

} // namespace

std::shared_ptr<Branch> makeResNet20(const InputShape &shape)
{
    return std::make_shared<ResNet20>(shape.channels);
}

std::shared_ptr<Branch> makeShallowCnn(const InputShape &shape)
{
    return std::make_shared<ShallowCnn>(shape);
}

} // namespace untangle
