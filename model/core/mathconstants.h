#pragma once
// Constants C++17 lacks (std::numbers is C++20), defined once so unity batches never see two definitions.

namespace untangle {

inline constexpr double Pi = 3.14159265358979323846;

} // namespace untangle
