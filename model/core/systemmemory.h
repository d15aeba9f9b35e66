#pragma once
// How much memory this machine can still give a process, for refusing work that would not fit before it starts
// (e.g. `debias --seeds N`). Std types only.
#include <cstdint>

namespace untangle {

/** MemAvailable from /proc/meminfo in bytes: what can be allocated without swapping. 0 when unknown. */
std::uint64_t availableMemoryBytes();

} // namespace untangle
