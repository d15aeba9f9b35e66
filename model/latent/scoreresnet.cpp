#include "scorenetwork.h"

#include <stdexcept>

namespace untangle {

torch::nn::Sequential resnet18Body(int)
{
    // Written with the SRE trainer (ResNet-18 option); the light CNN is the default.
    throw std::invalid_argument("the ResNet-18 backbone is not built yet");
}

} // namespace untangle
