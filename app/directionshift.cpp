#include "directionshift.h"

#include <algorithm>

namespace untangle {

std::vector<double> directionShift(const DirectionSet &set, const std::vector<double> &amounts)
{
    std::vector<double> shift(std::size_t(set.styleSize), 0.0);
    const std::size_t count = std::min(amounts.size(), set.directions.size());
    for (std::size_t k = 0; k < count; ++k) {
        const NamedDirection &direction = set.directions[k];
        const double unit = direction.sigma > 0.0 ? direction.sigma : 1.0;
        const double amount = amounts[k] * direction.sign * unit;
        if (amount == 0.0)
            continue;
        for (std::size_t i = 0; i < shift.size() && i < direction.vector.size(); ++i)
            shift[i] += amount * direction.vector[i];
    }
    return shift;
}

} // namespace untangle
