#pragma once

#include <string>
#include <vector>

namespace untangle {

/**
 * A dense row-major matrix of doubles (values[row * cols + col]): the one std-only form latent data (codes,
 * sampled latents, weights, directions) crosses the model/ facade in.
 */
struct Matrix {
    int rows = 0;
    int cols = 0;
    std::vector<double> values;

    double at(int row, int col) const { return values[std::size_t(row) * std::size_t(cols) + std::size_t(col)]; }
    /** Throws std::invalid_argument naming `what` if empty, ragged, or not finite. */
    void validate(const std::string &what) const;

    /** Throws std::invalid_argument if the rows differ in length. */
    static Matrix fromRows(const std::vector<std::vector<double>> &rows);
};

} // namespace untangle
