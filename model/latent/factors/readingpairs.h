#pragma once
// Samples over what a factor reader read in them: the pictures behind coverage's render-back numbers. Std types only.
#include "factors/factorworld.h"
#include "imageu8.h"

#include <vector>

namespace untangle {

/**
 * Per entry of `rows` (sample indices, at most `columns`), a row of those samples over a row of the world's renders of
 * their readings (`read`: samples x factors, row-major), tiled with 2 px grey gaps; cells of a short row stay black.
 * Throws std::invalid_argument for an index outside the samples or a row longer than `columns`.
 */
ImageU8 readingPairs(const FactorWorld &world, int resolution, const std::vector<ImageU8> &images,
    const std::vector<int> &read, const std::vector<std::vector<int>> &rows, int columns);

/** The first `count` samples, `columns` to a row. */
std::vector<std::vector<int>> firstSampleRows(int count, int columns);

} // namespace untangle
