#include "groupaccuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {

GroupAccuracy groupAccuracy(const std::vector<std::int64_t> &predictions, const std::vector<std::int64_t> &targets,
    const std::vector<std::int64_t> &biases, int numTargets, int numBiases)
{
    GroupAccuracy result;
    std::vector<std::vector<int>> correct(numTargets, std::vector<int>(numBiases, 0));
    result.cellCounts.assign(numTargets, std::vector<int>(numBiases, 0));
    int totalCorrect = 0;
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        const auto t = targets[i], b = biases[i];
        if (t < 0 || t >= numTargets || b < 0 || b >= numBiases)
            continue;
        result.cellCounts[t][b] += 1;
        const bool hit = predictions[i] == t;
        correct[t][b] += hit ? 1 : 0;
        totalCorrect += hit ? 1 : 0;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.cells.assign(numTargets, std::vector<double>(numBiases, nan));
    double sumAll = 0, sumAligned = 0, sumConflicting = 0;
    int nAll = 0, nAligned = 0, nConflicting = 0;
    result.worstGroup = predictions.empty() ? 0.0 : 1.0;
    for (int t = 0; t < numTargets; ++t)
        for (int b = 0; b < numBiases; ++b) {
            if (result.cellCounts[t][b] == 0)
                continue;
            const double accuracy = double(correct[t][b]) / result.cellCounts[t][b];
            result.cells[t][b] = accuracy;
            sumAll += accuracy;
            ++nAll;
            (t == b ? sumAligned : sumConflicting) += accuracy;
            ++(t == b ? nAligned : nConflicting);
            result.worstGroup = std::min(result.worstGroup, accuracy);
        }
    result.unbiased = nAll ? sumAll / nAll : nan;
    result.aligned = nAligned ? sumAligned / nAligned : nan;
    result.conflicting = nConflicting ? sumConflicting / nConflicting : nan;
    result.sampleAccuracy = predictions.empty() ? nan : double(totalCorrect) / double(predictions.size());
    return result;
}

} // namespace untangle
