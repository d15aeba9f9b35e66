#pragma once
// model-internal: the render-back pull's target (GanConfig::renderBack): what a factor reader sees in each generated
// image, drawn clean by the world's own renderer.
#include "gan/ganrunner.h"

#include <torch/torch.h>

#include <functional>

namespace untangle {

/** Images (N, C, R, R) in [-1, 1] -> the renders of the factors read in them, the same shape; no autograd. */
using RenderBackTarget = std::function<torch::Tensor(const torch::Tensor &images)>;

/**
 * The target for a run's world: Sprites through the shipped (or cached) Sprites factor model, Scenes through the
 * Scenes factor reader. Loading may train a missing reader (a minute or two). Throws std::invalid_argument for a
 * dataset world, which has no renderer to draw back with.
 */
RenderBackTarget renderBackTargetFor(const GanConfig &config);

/**
 * How far generated images (N, C, R, R) are from their targets, differentiable in `generated`. Sprites (one channel,
 * a white shape on black): one minus the soft intersection over union of the shapes, per image, averaged, the
 * quantity coverage's render-back IoU reads; a mean over all pixels would let the black background, nearly every
 * pixel and already right, drown the shape's edge. Scenes (three channels, every pixel part of the room): the mean
 * absolute difference.
 */
torch::Tensor renderBackLoss(const torch::Tensor &generated, const torch::Tensor &target);

} // namespace untangle
