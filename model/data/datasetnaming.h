#pragma once

#include "coloredmnist.h"

#include <string>
#include <vector>

namespace untangle {

/** Throws DataError unless 0 <= ratio <= 1. */
void checkRatio(double ratio);
/** "1% conflicting, colour noise 0.005, seed 0" */
std::string describeOptions(const ColoringOptions &options);
std::vector<std::string> digitNames();
std::vector<std::string> colourNames();
std::vector<std::string> fashionNames();

} // namespace untangle
