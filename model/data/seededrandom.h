#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace untangle {

/**
 * Deterministic random numbers for dataset building. std::mt19937_64's output is fixed by the standard, but
 * the std distributions are not (they differ between standard libraries), so the transforms are our own:
 * the same seed gives the same bytes with any compiler.
 */
class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed);

    /** Uniform in [0, 1) with 53 random bits. */
    double uniform();
    /** Standard normal (Box-Muller). */
    double normal();
    /** Uniform integer in [0, n), unbiased. n must be positive. */
    int below(int n);
    /** Fisher-Yates shuffle. */
    void shuffle(std::vector<int> &values);

    /** A well-mixed seed for an independent stream (splitmix64 of seed and stream id). */
    static std::uint64_t derive(std::uint64_t seed, std::uint64_t stream);

private:
    std::mt19937_64 m_engine;
    bool m_hasSpare = false;
    double m_spare = 0.0;
};

} // namespace untangle
