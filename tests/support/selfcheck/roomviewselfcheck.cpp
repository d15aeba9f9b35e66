#include "selfcheck/roomviewselfcheck.h"

#include "factors/roomcommitment.h"
#include "factors/worldimages.h"

#include <stdexcept>

namespace untangle::selfcheck {

namespace {

torch::Tensor rendered(const std::vector<SceneFactors> &scenes, int resolution)
{
    std::vector<std::uint8_t> bytes(scenes.size() * std::size_t(resolution * resolution * 3));
    renderScenesInto(scenes, resolution, bytes.data(), 1);
    return worldBytesToImages(bytes, int(scenes.size()), 3, resolution);
}

} // namespace

double roomViewShareOfScenes(const std::vector<SceneFactors> &scenes, RoomViewInput input, int resolution)
{
    const int n = int(scenes.size());
    std::vector<torch::Tensor> probabilities;
    for (int f = 0; f < SceneFactorCount; ++f) {
        auto oneHot = torch::zeros({n, SceneFactorSizes[std::size_t(f)]});
        for (int i = 0; i < n; ++i)
            oneHot[i][scenes[std::size_t(i)].index(SceneFactor(f))] = 1.0;
        probabilities.push_back(oneHot);
    }
    torch::Tensor images = rendered(scenes, resolution);
    if (input == RoomViewInput::MirrorBlend)
        images = 0.5 * images + 0.5 * images.flip({3});
    if (input == RoomViewInput::AveragedRoom) {
        std::vector<SceneFactors> views;
        const int orientations = SceneFactorSizes[std::size_t(SceneFactor::Orientation)];
        for (SceneFactors scene : scenes)
            for (int o = 0; o < orientations; ++o) {
                scene.orientation = o;
                views.push_back(scene);
            }
        images = rendered(views, resolution).view({n, orientations, 3, resolution, resolution}).mean(1);
    }
    return roomViewShare(images, probabilities);
}

std::string roomViewShareProblem(int count, int channels)
{
    std::vector<torch::Tensor> uniform;
    for (int f = 0; f < SceneFactorCount; ++f)
        uniform.push_back(
            torch::full({count, SceneFactorSizes[std::size_t(f)]}, 1.0 / SceneFactorSizes[std::size_t(f)]));
    try {
        roomViewShare(torch::rand({count, channels, 32, 32}) * 2 - 1, uniform);
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return {};
}

} // namespace untangle::selfcheck
