#include "factors/roomcommitment.h"

#include "factors/worldimages.h"
#include "scenesrenderer.h"

#include <algorithm>
#include <stdexcept>

namespace untangle {

namespace {
constexpr int Orientations = SceneFactorSizes[int(SceneFactor::Orientation)];
constexpr int ImagesPerRender = 32; // 32 x 15 views at 64 px: 24 MB of floats at a time
} // namespace

double roomViewShare(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities)
{
    if (images.dim() != 4 || images.size(0) < 1 || images.size(1) != 3 || images.size(2) != images.size(3))
        throw std::invalid_argument("room views need a batch of 3-channel square images");
    if (probabilities.size() != std::size_t(SceneFactorCount))
        throw std::invalid_argument("room views need the Scenes reader's answers for all six factors");
    torch::NoGradGuard noGrad;
    const int count = int(std::min<std::int64_t>(images.size(0), RoomViewImages));
    const int resolution = int(images.size(2));
    std::vector<std::int64_t> read(std::size_t(SceneFactorCount) * std::size_t(count));
    for (int f = 0; f < SceneFactorCount; ++f) {
        const auto answers = probabilities[std::size_t(f)].slice(0, 0, count).argmax(1).to(torch::kInt64).contiguous();
        std::copy_n(answers.data_ptr<std::int64_t>(), count, read.begin() + std::ptrdiff_t(f) * count);
    }
    int committed = 0;
    for (int start = 0; start < count; start += ImagesPerRender) {
        const int n = std::min(ImagesPerRender, count - start);
        std::vector<SceneFactors> views;
        views.reserve(std::size_t(n) * Orientations);
        for (int i = start; i < start + n; ++i) {
            SceneFactors scene;
            for (int f = 0; f < SceneFactorCount; ++f)
                scene.setIndex(SceneFactor(f), int(read[std::size_t(f) * std::size_t(count) + std::size_t(i)]));
            for (int o = 0; o < Orientations; ++o) {
                scene.orientation = o;
                views.push_back(scene);
            }
        }
        std::vector<std::uint8_t> bytes(views.size() * std::size_t(resolution) * std::size_t(resolution) * 3);
        renderScenesInto(views, resolution, bytes.data());
        const auto renders = worldBytesToImages(bytes, int(views.size()), 3, resolution)
                                 .view({n, Orientations, 3, resolution, resolution});
        const auto samples = images.slice(0, start, start + n).to(torch::kFloat32).unsqueeze(1);
        const auto nearestView = std::get<0>((renders - samples).abs().flatten(2).mean(2).min(1));
        const auto averagedRoom = (renders.mean(1, true) - samples).abs().flatten(1).mean(1);
        committed += (nearestView < averagedRoom).sum().item<int>();
    }
    return double(committed) / count;
}

} // namespace untangle
