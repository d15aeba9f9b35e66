#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The contents of an IDX file of unsigned bytes (the MNIST / Fashion-MNIST format). */
struct IdxArray {
    std::vector<int> dims;
    std::vector<std::uint8_t> data;
};

/**
 * Reads an IDX file of type ubyte (0x08), plain or gzip-compressed (detected from the content, not the name).
 * Magic, type, rank, every dimension and the file length are checked before anything large is allocated;
 * any problem throws DataError with the path and what is wrong.
 */
IdxArray readIdx(const std::string &path);

/** Writes a plain IDX ubyte file atomically (temporary file, then rename). Throws DataError on failure. */
void writeIdx(const std::string &path, const std::vector<int> &dims, const std::vector<std::uint8_t> &data);

/** Grey images with one class label each, e.g. MNIST. pixels are count x height x width bytes. */
struct GreyImages {
    int count = 0;
    int height = 0;
    int width = 0;
    std::vector<std::uint8_t> pixels;
    std::vector<std::int64_t> labels;
};

/** Reads an images file (rank 3) and its labels file (rank 1) and checks that they belong together. */
GreyImages readIdxImages(const std::string &imagesPath, const std::string &labelsPath);

} // namespace untangle
