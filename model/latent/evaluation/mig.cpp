// Mutual Information Gap (Chen et al. 2018) as disentanglement_lib's mig.py computes it: histogram-discretise every
// code dimension, plug-in MI against every factor, and per factor the gap between the two most informative
// dimensions divided by the factor's entropy.
#include "evaluation/disentanglement.h"

#include <stdexcept>

namespace untangle {

MigResult computeMig(const CodeMatrix &codes, const FactorMatrix &factors, int bins)
{
    codes.validate("MIG codes");
    factors.validate("MIG factors");
    if (codes.rows != factors.rows)
        throw std::invalid_argument(
            "MIG: " + std::to_string(codes.rows) + " code rows but " + std::to_string(factors.rows) + " factor rows");
    if (codes.cols < 2)
        throw std::invalid_argument(
            "MIG: needs at least 2 code dimensions (the gap is top1 - top2), got " + std::to_string(codes.cols));
    if (bins < 2)
        throw std::invalid_argument("MIG: needs at least 2 bins, got " + std::to_string(bins));

    const int n = codes.rows, d = codes.cols, f = factors.factorCount();
    MigResult result;
    result.codeDim = d;
    result.factorCount = f;

    std::vector<std::vector<int>> factorColumns(
        static_cast<std::size_t>(f), std::vector<int>(static_cast<std::size_t>(n)));
    for (int k = 0; k < f; ++k) {
        for (int i = 0; i < n; ++i)
            factorColumns[std::size_t(k)][std::size_t(i)] = factors.at(i, k);
        const double h = discreteEntropy(factorColumns[std::size_t(k)]);
        // disentanglement_lib would divide by zero here; a constant factor says nothing about the code anyway.
        if (h <= 0.0)
            throw std::invalid_argument("MIG: factor " + std::to_string(k) + " takes a single value among the "
                + std::to_string(n) + " rows; its entropy is 0");
        result.factorEntropy.push_back(h);
    }

    result.mutualInformation.assign(std::size_t(d) * std::size_t(f), 0.0);
    std::vector<double> column(static_cast<std::size_t>(n));
    for (int j = 0; j < d; ++j) {
        for (int i = 0; i < n; ++i)
            column[std::size_t(i)] = codes.at(i, j);
        const std::vector<int> binned = histogramDiscretize(column, bins);
        for (int k = 0; k < f; ++k)
            result.mutualInformation[std::size_t(j) * f + k] = mutualInformation(binned, factorColumns[std::size_t(k)]);
    }

    double sum = 0.0;
    for (int k = 0; k < f; ++k) {
        int best = -1;
        double top1 = -1.0, top2 = -1.0;
        for (int j = 0; j < d; ++j) {
            const double m = result.mi(j, k);
            if (m > top1) {
                top2 = top1;
                top1 = m;
                best = j;
            } else if (m > top2) {
                top2 = m;
            }
        }
        const double gap = (top1 - top2) / result.factorEntropy[std::size_t(k)];
        result.perFactor.push_back(gap);
        result.topCode.push_back(best);
        sum += gap;
    }
    result.mig = sum / f;
    return result;
}

} // namespace untangle
