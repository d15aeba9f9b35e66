#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

// Largest label accepted from sources that store labels as bare numbers (LfF attrs, BFFHQ-style file names): far
// above any debiasing benchmark's class count, and a bigger number means the field is not a label at all.
constexpr std::int64_t MaxNumberedLabel = 9999;

/** "0", "1", ..., count - 1: the names of labels that come only as numbers. */
std::vector<std::string> numberedNames(std::int64_t count);

} // namespace untangle
