#pragma once

#include <cstdint>
#include <vector>

namespace untangle {

/**
 * Accuracy per (target, bias) cell and its summaries, as the DeNetDM code reports them: aligned = mean of the
 * diagonal cells, conflicting = mean of the off-diagonal cells, unbiased = mean of all cells (group-balanced, not
 * sample-weighted), worst group = the lowest cell. Empty cells (no samples) are NaN and left out of every mean.
 */
struct GroupAccuracy {
    double unbiased = 0.0;
    double aligned = 0.0;
    double conflicting = 0.0;
    double worstGroup = 0.0;
    double sampleAccuracy = 0.0; // plain accuracy over samples
    std::vector<std::vector<double>> cells; // [target][bias], in [0, 1] or NaN
    std::vector<std::vector<int>> cellCounts; // [target][bias]
};

GroupAccuracy groupAccuracy(const std::vector<std::int64_t> &predictions, const std::vector<std::int64_t> &targets,
    const std::vector<std::int64_t> &biases, int numTargets, int numBiases);

} // namespace untangle
