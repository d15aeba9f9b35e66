#pragma once
// model-internal: rendered world images as the tensors every latent network reads.
#include "factors/factorworld.h"

#include <torch/torch.h>

namespace untangle {

/** count HWC images of `channels` bytes per pixel (0..255) -> (count, channels, R, R) float in [-1, 1], the range of
 *  generator output. Throws std::invalid_argument when the buffer holds another number of bytes. */
torch::Tensor worldBytesToImages(const std::vector<std::uint8_t> &bytes, int count, int channels, int resolution);

/** Renders tuples (count x factorCount) as (count, C, R, R) in [-1, 1]. */
torch::Tensor renderWorldImages(const FactorWorld &world, const std::vector<int> &tuples, int resolution);

} // namespace untangle
