#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

// Largest label accepted from sources that store labels as bare numbers (LfF attrs, BFFHQ-style file names): 1,000
// classes (ImageNet's count), far above any debiasing benchmark's. Every (target, bias) cell is counted, evaluated and
// drawn, so the cost grows with the square of the label range: 9999 made a dataset take 14.5 GB and 160 s.
constexpr std::int64_t MaxNumberedLabel = 999;

/** "0", "1", ..., count - 1: the names of labels that come only as numbers. */
std::vector<std::string> numberedNames(std::int64_t count);

} // namespace untangle
