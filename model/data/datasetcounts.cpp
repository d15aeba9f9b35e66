#include "datasetcounts.h"

namespace untangle {

SplitCounts countSplit(const LabeledImages &split, int numTargets, int numBiases)
{
    SplitCounts counts;
    counts.total = split.count;
    counts.perTarget.assign(numTargets, 0);
    counts.conflictingPerTarget.assign(numTargets, 0);
    counts.cells.assign(numTargets, std::vector<int>(numBiases, 0));
    for (int i = 0; i < split.count; ++i) {
        const auto t = split.targets[i];
        const auto b = split.biases[i];
        const bool aligned = t == b;
        counts.aligned += aligned ? 1 : 0;
        counts.conflicting += aligned ? 0 : 1;
        if (t < 0 || t >= numTargets || b < 0 || b >= numBiases)
            continue;
        counts.perTarget[t] += 1;
        counts.conflictingPerTarget[t] += aligned ? 0 : 1;
        counts.cells[t][b] += 1;
    }
    return counts;
}

} // namespace untangle
