#pragma once
// Files shipped with the application (resources/: factor readers, generators). Std types only.
#include <string>

namespace untangle {

/**
 * The shipped file at `relative` (e.g. "models/scenes-factors-r64-v1.pt"), or "" when none is installed: looked up in
 * $UNTANGLE_RESOURCE_DIR, the installed share/untangle, then the source tree (a build run in place).
 */
std::string shippedResourcePath(const std::string &relative);

} // namespace untangle
