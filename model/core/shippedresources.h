#pragma once
// Files shipped with the application (resources/: factor readers, generators). Std types only.
#include <string>
#include <vector>

namespace untangle {

/**
 * The shipped file at `relative` (e.g. "models/scenes-factors-r64-v1.pt"), or "" when none is installed: looked up in
 * $UNTANGLE_RESOURCE_DIR, the installed share/untangle, then the source tree (a build run in place).
 */
std::string shippedResourcePath(const std::string &relative);

/**
 * The generators shipped with the application: the names of the folders generators/NAME that hold a generator.pt, in
 * any of the places shippedResourcePath looks, sorted ("scenes-64", "sprites-64"). Empty when none is installed.
 */
std::vector<std::string> shippedGeneratorNames();

} // namespace untangle
