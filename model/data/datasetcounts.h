#pragma once

#include "labeledimages.h"

#include <vector>

namespace untangle {

/** How a split's samples fall into (target, bias) cells. */
struct SplitCounts {
    int total = 0;
    int aligned = 0; // target == bias
    int conflicting = 0; // target != bias
    std::vector<int> perTarget;
    std::vector<int> conflictingPerTarget;
    std::vector<std::vector<int>> cells; // cells[target][bias]
};

/** Counts one split; labels outside the given ranges are ignored in cells but still counted in total. */
SplitCounts countSplit(const LabeledImages &split, int numTargets, int numBiases);

} // namespace untangle
