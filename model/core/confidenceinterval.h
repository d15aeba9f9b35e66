#pragma once
// 95% intervals for the study's tables (issue 12): a percentile bootstrap over samples (e.g. latents z) and a
// t-interval over a few seeds. Std types only.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace untangle {

/** The mean of values (0 when there are none). */
double sampleMean(const std::vector<double> &values);
/** The sample standard deviation (n - 1; 0 for fewer than two values). */
double sampleStd(const std::vector<double> &values);

/** A point estimate and its interval, low <= mean <= high for the helpers below. */
struct ConfidenceInterval {
    double mean = 0.0;
    double low = 0.0;
    double high = 0.0;
    double halfWidth() const { return 0.5 * (high - low); }
    /** "0.123 [0.100, 0.150]" with the given number of decimals. */
    std::string format(int decimals = 3) const;
};

/** Where one interval lies against another: wholly below it, overlapping it, or wholly above it. Overlapping
 *  intervals are read as "no clear change" (a conservative reading of two 95% intervals). */
enum class IntervalOrder { Below, Overlapping, Above };
IntervalOrder intervalOrder(const ConfidenceInterval &interval, const ConfidenceInterval &reference);

/** Resamples of the percentile bootstrap: 1000 puts the 2.5% and 97.5% quantiles within ~0.01 of their limits. */
constexpr int DefaultBootstrapResamples = 1000;

struct BootstrapOptions {
    int resamples = DefaultBootstrapResamples; // B
    double level = 0.95; // two-sided coverage
    std::uint64_t seed = 0;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/**
 * Percentile bootstrap of a statistic of n samples: B times, draw n indices with replacement (seeded) and evaluate
 * statistic(indices); the interval is the (1 - level) / 2 and (1 + level) / 2 quantiles of those values, mean the
 * statistic on all samples (indices 0..n-1). Deterministic per seed. Throws std::invalid_argument when n < 1.
 */
ConfidenceInterval bootstrapInterval(
    int n, const std::function<double(const std::vector<int> &)> &statistic, const BootstrapOptions &options = {});

/** The percentile bootstrap interval of the mean of samples. Throws std::invalid_argument when samples is empty. */
ConfidenceInterval bootstrapMeanInterval(const std::vector<double> &samples, const BootstrapOptions &options = {});

/**
 * The 95% t-interval of a mean over a few values (e.g. seeds): mean +- t(0.975, n - 1) * s / sqrt(n); with more
 * than 30 values t is 1.96, the normal mean +- 1.96 se. One value gives a zero-width interval (no spread known).
 * Throws std::invalid_argument when values is empty.
 */
ConfidenceInterval meanInterval(const std::vector<double> &values);

} // namespace untangle
