#pragma once

#include "idxfile.h"

#include <memory>
#include <string>

namespace untangle {

/**
 * Loads an images/labels IDX pair once per process and hands out the same immutable copy afterwards (thread-safe),
 * so rebuilding a dataset after a slider move costs the colouring only, not the file reading and inflating.
 * A file that changed on disk (size or modification time) is read again.
 */
std::shared_ptr<const GreyImages> loadGreyImagesCached(const std::string &imagesPath, const std::string &labelsPath);

} // namespace untangle
