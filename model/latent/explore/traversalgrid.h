#pragma once
// Traversal grids as in the papers: rows = directions, columns = shifts, the centre column unedited. Std types only.
#include "directions/directionset.h"
#include "imageu8.h"
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

class LatentRenderer;

/** The most directions (rows) one traversal grid shows, and the largest shift, in sigma, its outer columns take. */
constexpr int MaxTraversalRows = 64;
constexpr double MaxTraversalRange = 100.0;

struct TraversalOptions {
    std::uint64_t seed = 0; // the z every row starts from
    int columns = 7; // odd: the centre column is the unedited image
    double range = 2.0; // the outer columns shift by +-range * sigma_k (sigma_k = 1 when a set has none)
    double truncation = 1.0;
    std::vector<int> rows; // direction indices to show; empty = all
    /** Throws std::invalid_argument naming the bad field. */
    void validate(int directionCount) const;
};

/** Shifts of column c: range * sigma * (2c / (columns - 1) - 1), times the direction's display sign. */
std::vector<double> traversalShifts(const TraversalOptions &options, double sigma, int sign);

/** One row image per requested direction: G(w + shift_c * d_k) for every column c. */
std::vector<std::vector<ImageU8>> renderTraversal(
    LatentRenderer &renderer, const DirectionSet &directions, const TraversalOptions &options);

/** Images tiled row-major into a grid with `gap` grey pixels between them (all images the same size). */
ImageU8 tileImageGrid(const std::vector<ImageU8> &images, int columns, int gap = 2);

/** Two images of one height and channel count side by side, `gap` columns of white between them (a traversal before
 *  SRE beside the same traversal after it). Throws std::invalid_argument on mismatched images. */
ImageU8 joinSideBySide(const ImageU8 &left, const ImageU8 &right, int gap);

/** Atomic PNG write (OpenCV). Throws DataError. */
void writePngFile(const std::string &path, const ImageU8 &image);

} // namespace untangle
