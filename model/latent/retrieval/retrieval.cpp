#include "retrieval/retrieval.h"

#include "dataerror.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace untangle {

RetrievalResult retrieve(
    const Matrix &poolScores, const std::vector<double> &queryScores, int direction, int k, int excludeIndex)
{
    const int n = poolScores.rows;
    // Directions are numbered from 1 wherever a user reads them. One below 1 is a bad request; one above the network's
    // count depends on the network file, so it is reported as a data problem.
    const std::string known = "the score network scores " + std::to_string(poolScores.cols) + " directions (1 to "
        + std::to_string(poolScores.cols) + ")";
    if (direction < 0)
        throw std::invalid_argument("direction " + std::to_string(direction + 1) + " does not exist: " + known);
    if (direction >= poolScores.cols)
        throw DataError("direction " + std::to_string(direction + 1) + " does not exist: " + known);
    if (int(queryScores.size()) != poolScores.cols)
        throw DataError("the query has " + std::to_string(queryScores.size()) + " scores but the pool has "
            + std::to_string(poolScores.cols) + ": encoded by different score networks?");
    if (k < 1)
        throw std::invalid_argument("retrieve at least 1 image, not " + std::to_string(k));
    if (k >= n)
        throw std::invalid_argument("cannot retrieve " + std::to_string(k) + " images from a pool of "
            + std::to_string(n) + " (k must be smaller than the pool)");
    if (poolScores.values.size() != std::size_t(n) * std::size_t(poolScores.cols))
        throw DataError("the pool scores are ragged: " + std::to_string(poolScores.values.size()) + " values for "
            + std::to_string(n) + " images x " + std::to_string(poolScores.cols) + " directions");
    const double query = queryScores[std::size_t(direction)];
    std::vector<std::pair<double, int>> candidates;
    candidates.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i)
        if (i != excludeIndex)
            candidates.emplace_back(std::abs(poolScores.at(i, direction) - query), i);
    // (distance, index) pairs compare lexicographically: ties go to the lower index.
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    RetrievalResult result;
    for (int i = 0; i < k; ++i) {
        result.distances.push_back(candidates[std::size_t(i)].first);
        result.indices.push_back(candidates[std::size_t(i)].second);
    }
    return result;
}

std::vector<double> poolScoresOf(const Matrix &poolScores, int index)
{
    if (index < 0 || index >= poolScores.rows)
        throw std::invalid_argument("pool image " + std::to_string(index) + " does not exist (pool of "
            + std::to_string(poolScores.rows) + ")");
    const auto first = poolScores.values.begin() + long(index) * poolScores.cols;
    return std::vector<double>(first, first + poolScores.cols);
}

namespace {

/** 1-based ranks, ties sharing their average rank. */
std::vector<double> averageRanks(const std::vector<double> &values)
{
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(
        order.begin(), order.end(), [&](int a, int b) { return values[std::size_t(a)] < values[std::size_t(b)]; });
    std::vector<double> ranks(values.size());
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && values[std::size_t(order[end])] == values[std::size_t(order[begin])])
            ++end;
        const double rank = 0.5 * double(begin + end + 1); // mean of ranks begin+1 .. end
        for (std::size_t i = begin; i < end; ++i)
            ranks[std::size_t(order[i])] = rank;
        begin = end;
    }
    return ranks;
}

} // namespace

double spearmanRho(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size() || a.size() < 2)
        throw std::invalid_argument("Spearman's rho needs two series of the same length (at least 2)");
    const auto ra = averageRanks(a);
    const auto rb = averageRanks(b);
    const double mean = 0.5 * double(a.size() + 1); // mean rank, the same on both sides
    double cov = 0, va = 0, vb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        cov += (ra[i] - mean) * (rb[i] - mean);
        va += (ra[i] - mean) * (ra[i] - mean);
        vb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (va <= 0 || vb <= 0)
        return 0.0;
    return cov / std::sqrt(va * vb);
}

} // namespace untangle
