#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The element types Untangle reads and writes: images are bytes, labels 64-bit integers (what torch saves). */
enum class NpyDtype { UInt8, Int64 };

/** A validated .npy header: the shape, and where the C-order data sits in the file. */
struct NpyInfo {
    NpyDtype dtype = NpyDtype::UInt8;
    std::vector<std::int64_t> shape;
    std::uint64_t dataOffset = 0;
    std::uint64_t dataBytes = 0;
};

/**
 * Reads and checks a .npy header (versions 1.0, 2.0 and 3.0) without touching the data: magic, version, header
 * length, the dictionary, that descr is the one for dtype ('|u1' or '<i8'), C order, every dimension positive, the
 * total size within a sane limit, and that the file length is exactly header + data. Throws DataError naming path.
 */
NpyInfo readNpyInfo(const std::string &path, NpyDtype dtype);

/** Reads the data readNpyInfo described; a uint8 array. */
std::vector<std::uint8_t> readNpyUInt8(const std::string &path, const NpyInfo &info);
/** Reads the data readNpyInfo described; an int64 array, decoded from little-endian. */
std::vector<std::int64_t> readNpyInt64(const std::string &path, const NpyInfo &info);

/**
 * A complete file as numpy 1.23+ writes it (version 1.0 unless the header needs more room): header padded so the
 * data starts at a multiple of 64. data is already in file byte order (little-endian for Int64).
 */
std::string encodeNpy(NpyDtype dtype, const std::vector<std::int64_t> &shape, const void *data, std::size_t bytes);

/** encodeNpy, written atomically. Throws DataError when the shape does not match the data. */
void writeNpyUInt8(
    const std::string &path, const std::vector<std::int64_t> &shape, const std::vector<std::uint8_t> &data);
void writeNpyInt64(
    const std::string &path, const std::vector<std::int64_t> &shape, const std::vector<std::int64_t> &data);

} // namespace untangle
