#include "common/latentmatrix.h"

#include <cmath>
#include <stdexcept>

namespace untangle {

void Matrix::validate(const std::string &what) const
{
    if (rows <= 0 || cols <= 0)
        throw std::invalid_argument(what + " is empty (" + std::to_string(rows) + " x " + std::to_string(cols) + ")");
    if (values.size() != std::size_t(rows) * std::size_t(cols))
        throw std::invalid_argument(what + " holds " + std::to_string(values.size()) + " values but claims "
            + std::to_string(rows) + " x " + std::to_string(cols));
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw std::invalid_argument(what + " has a non-finite value at row " + std::to_string(i / std::size_t(cols))
                + ", column " + std::to_string(i % std::size_t(cols)));
}

Matrix Matrix::fromRows(const std::vector<std::vector<double>> &rows)
{
    Matrix m;
    m.rows = int(rows.size());
    m.cols = rows.empty() ? 0 : int(rows.front().size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (int(rows[r].size()) != m.cols)
            throw std::invalid_argument("row " + std::to_string(r) + " has " + std::to_string(rows[r].size())
                + " values, row 0 has " + std::to_string(m.cols));
        m.values.insert(m.values.end(), rows[r].begin(), rows[r].end());
    }
    return m;
}

} // namespace untangle
