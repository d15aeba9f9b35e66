#include "factors/worldimages.h"

#include <stdexcept>

namespace untangle {

torch::Tensor worldBytesToImages(const std::vector<std::uint8_t> &bytes, int count, int channels, int resolution)
{
    if (bytes.size() != std::size_t(count) * resolution * resolution * channels)
        throw std::invalid_argument("image byte buffer does not hold " + std::to_string(count) + " images of "
            + std::to_string(resolution) + "x" + std::to_string(resolution) + "x" + std::to_string(channels));
    const auto hwc = torch::from_blob(
        const_cast<std::uint8_t *>(bytes.data()), {count, resolution, resolution, channels}, torch::kUInt8);
    return hwc.permute({0, 3, 1, 2}).to(torch::kFloat32).div_(127.5).sub_(1.0).contiguous();
}

torch::Tensor renderWorldImages(const FactorWorld &world, const std::vector<int> &tuples, int resolution)
{
    const int count = int(tuples.size() / std::size_t(world.factorCount()));
    std::vector<std::uint8_t> bytes(std::size_t(count) * world.imageBytes(resolution));
    world.render(tuples, resolution, bytes.data());
    return worldBytesToImages(bytes, count, world.channels, resolution);
}

} // namespace untangle
