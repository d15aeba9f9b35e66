#pragma once
// model-internal: conversions between torch tensors and the std types the latent facade speaks.
#include "common/latentmatrix.h"
#include "imageu8.h"
#include <torch/torch.h>

namespace untangle {

/** A 2-D tensor as a Matrix (doubles, row-major). */
Matrix toMatrix(const torch::Tensor &tensor);
/** A Matrix as a (rows, cols) tensor, float32 unless asked (SeFa and PCA work in float64). */
torch::Tensor toTensor(const Matrix &matrix, torch::Dtype dtype = torch::kFloat32);
/** One image (C, R, R) in [-1, 1] as 8-bit HWC. */
ImageU8 toImage(const torch::Tensor &image);
/** Images (N, C, R, R) in [-1, 1] tiled into a columns-wide grid with `gap` grey pixels between them. */
ImageU8 tileImages(const torch::Tensor &images, int columns, int gap = 2);

} // namespace untangle
