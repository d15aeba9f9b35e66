#pragma once

#include <functional>
#include <string>

namespace untangle {

/**
 * Progress report from a long model/ operation: fraction in [0, 1] and what is being done. Returning false asks
 * the operation to stop; it then throws Cancelled at the next safe point. An empty function means "no reports".
 */
using ProgressFn = std::function<bool(double fraction, const std::string &what)>;

/** Calls progress if set; throws Cancelled when it asks to stop. */
void reportProgress(const ProgressFn &progress, double fraction, const std::string &what);

} // namespace untangle
