#pragma once
// The renderer sanity check: before any direction is rescored, the reader must read pure renderer edits right.

#include "factors/factorrescoring.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The renderer sanity check: each factor edited alone in the renderer, rescored by the reader. */
struct OracleRescoring {
    std::string world;
    int resolution = 0;
    std::vector<std::string> factorNames;
    /** F x F: row e = the edit of factor e (ordinal +1 class, circular +1 class, categorical: every image to class
     *  0 from the others), column f = |mean change| of factor f: the authors' statistic with one "direction" per
     *  factor. */
    MatchedRescoring authors;
    /** What a perfect reader would read on the diagonal (1/(size-1), 2/size, 1 for the categorical edit). */
    std::vector<double> expectedDiagonal;
    int samples = 0;
    std::string reader;
    double seconds = 0.0;
    /** Passes when the mean diagonal is at least 10x the mean off-diagonal and every diagonal cell is at least half
     *  its expected value (every factor is read, not only one). */
    bool passes() const;
    std::string report() const;
};

OracleRescoring oracleRescoring(const FactorWorld &world, int resolution, int samples = RescoringSamples,
    std::uint64_t seed = RescoringSeed, const std::string &readerPath = {});

} // namespace untangle
