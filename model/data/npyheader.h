#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The header dictionary of a .npy file: a Python literal such as {'descr': '|u1', 'fortran_order': False, 'shape': (2,
 * 3), }. */
struct NpyDict {
    std::string descr;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
};

/**
 * Parses the dictionary text (trailing spaces and newline allowed). Requires the keys descr (a string),
 * fortran_order (True / False) and shape (a tuple of integers) and, like numpy, no others. Throws
 * std::invalid_argument describing the problem (the caller adds the file name).
 */
NpyDict parseNpyDict(const std::string &text);

/** Formats the dictionary exactly as numpy's writer does, without the padding and the final newline. */
std::string formatNpyDict(const NpyDict &dict);

} // namespace untangle
