#pragma once
#include "directions/directionset.h"

#include <vector>

namespace untangle {

/**
 * The style-space shift for slider values in sigma units: sum_k amounts[k] * sign_k * sigma_k * d_k. sigma_k = 1
 * when a set has none, so old files still move. Extra amounts (a set with fewer directions) are ignored, so the
 * same sliders drive a before-SRE and an after-SRE set.
 */
std::vector<double> directionShift(const DirectionSet &set, const std::vector<double> &amounts);

} // namespace untangle
