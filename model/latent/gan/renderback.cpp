#include "gan/renderback.h"

#include "factors/factorreadernet.h"
#include "factors/worldimages.h"
#include "sprites/spritefactorclassifier.h"

#include <stdexcept>

namespace untangle {

RenderBackTarget renderBackTargetFor(const GanConfig &config)
{
    const int resolution = config.resolution;
    if (config.sprites) {
        // The Sprites-specific model: it ships at 32 and 64 px, and its render-back agreement is what coverage reads.
        auto reader = spriteFactorClassifier(resolution);
        return [reader, resolution](
                   const torch::Tensor &images) { return renderNearestSprites(images, reader->predict(images)); };
    }
    if (config.dataset.kind != DatasetKind::Scenes)
        throw std::invalid_argument("the render-back pull needs a world with a renderer (Sprites or Scenes)");
    const FactorWorld &world = FactorWorld::of(WorldKind::Scenes);
    auto reader = factorReader(world, resolution);
    return [reader, &world, resolution](const torch::Tensor &images) {
        const auto indices = readFactorIndices(reader->predict(images)).to(torch::kInt32).contiguous();
        const auto *values = indices.data_ptr<std::int32_t>();
        return renderWorldImages(world, std::vector<int>(values, values + indices.numel()), resolution);
    };
}

torch::Tensor renderBackLoss(const torch::Tensor &generated, const torch::Tensor &target)
{
    if (generated.size(1) != 1)
        return (generated - target).abs().mean();
    // Clamped to [0, 1] forward, but a generator's output is linear and overshoots +-1, and a plain clamp would pass
    // no gradient to a white pixel that should turn black (a heart's cleft): the very pixels the pull is for. So the
    // gradient passes where the pixel lies inside, or outside on the wrong side of its target; a pixel already past
    // its target (black below -1) is left alone rather than pushed further from the values real images take.
    const auto raw = ((generated + 1.0) * 0.5).flatten(1);
    const auto white = target.flatten(1).gt(0.0);
    const auto passes = (raw.ge(0.0) & raw.le(1.0)) | (raw.gt(1.0) & ~white) | (raw.lt(0.0) & white);
    const auto shape = raw.clamp(0.0, 1.0).detach() + (raw - raw.detach()) * passes.to(raw.scalar_type());
    const auto wanted = ((target + 1.0) * 0.5).flatten(1);
    const auto both = (shape * wanted).sum(1);
    const auto either = shape.sum(1) + wanted.sum(1) - both;
    return (1.0 - (both + 1.0) / (either + 1.0)).mean(); // +1: two empty images agree
}

} // namespace untangle
