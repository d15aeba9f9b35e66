#include "biasassignment.h"

#include "seededrandom.h"

#include <cmath>
#include <numeric>

namespace untangle {

int alignedCount(int n, double rho)
{
    return int(std::floor(double(n) * (1.0 - rho) + 0.5));
}

std::vector<int> assignBiasLabels(int n, int target, int numBiases, double rho, std::uint64_t seed)
{
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    SeededRandom random(seed);
    random.shuffle(order);

    std::vector<int> bias(n, target);
    const int aligned = alignedCount(n, rho);
    for (int k = aligned; k < n; ++k) {
        const int conflictingIndex = k - aligned;
        bias[order[k]] = (target + 1 + conflictingIndex % (numBiases - 1)) % numBiases;
    }
    return bias;
}

} // namespace untangle
