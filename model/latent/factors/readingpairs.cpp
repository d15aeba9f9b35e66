#include "factors/readingpairs.h"

#include "explore/traversalgrid.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace untangle {

ImageU8 readingPairs(const FactorWorld &world, int resolution, const std::vector<ImageU8> &images,
    const std::vector<int> &read, const std::vector<std::vector<int>> &rows, int columns)
{
    const std::size_t factors = std::size_t(world.factorCount());
    if (read.size() != images.size() * factors)
        throw std::invalid_argument("reading pairs: " + std::to_string(read.size()) + " read values for "
            + std::to_string(images.size()) + " samples of " + std::to_string(factors) + " factors");
    const ImageU8 black {
        resolution, resolution, world.channels, std::vector<std::uint8_t>(world.imageBytes(resolution), 0)};
    std::vector<ImageU8> cells;
    for (const std::vector<int> &row : rows) {
        if (row.size() > std::size_t(columns))
            throw std::invalid_argument("reading pairs: a row of " + std::to_string(row.size()) + " samples in "
                + std::to_string(columns) + " columns");
        for (int index : row)
            if (index < 0 || std::size_t(index) >= images.size())
                throw std::invalid_argument("reading pairs: no sample " + std::to_string(index));
        for (std::size_t k = 0; k < std::size_t(columns); ++k)
            cells.push_back(k < row.size() ? images[std::size_t(row[k])] : black);
        for (std::size_t k = 0; k < std::size_t(columns); ++k) {
            ImageU8 render = black;
            if (k < row.size()) {
                const auto first = read.begin() + std::ptrdiff_t(std::size_t(row[k]) * factors);
                world.render(std::vector<int>(first, first + std::ptrdiff_t(factors)), resolution, render.bytes.data());
            }
            cells.push_back(std::move(render));
        }
    }
    return tileImageGrid(cells, columns);
}

std::vector<std::vector<int>> firstSampleRows(int count, int columns)
{
    std::vector<std::vector<int>> rows;
    for (int first = 0; first < count; first += columns) {
        rows.emplace_back();
        for (int i = first; i < std::min(count, first + columns); ++i)
            rows.back().push_back(i);
    }
    return rows;
}

} // namespace untangle
