#pragma once

#include <string>

namespace untangle {

/**
 * Writes bytes to path through a temporary file in the same folder and a rename, so a crash or a kill never
 * leaves a half-written file under the final name. Creates missing parent folders. Throws DataError.
 */
void writeFileAtomically(const std::string &path, const std::string &bytes);

} // namespace untangle
