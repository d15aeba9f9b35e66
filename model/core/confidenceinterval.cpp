#include "confidenceinterval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <stdexcept>

namespace untangle {

namespace {

/** Two-sided 95% Student t quantiles t(0.975, df) for df = 1..30; beyond 30 the normal 1.96 is within 2%. */
constexpr double StudentT975[]
    = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
        2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
constexpr double NormalZ975 = 1.96;

/** Linear interpolation between order statistics (the "type 7" quantile of R and NumPy). */
double sortedQuantile(const std::vector<double> &sorted, double q)
{
    const double position = q * double(sorted.size() - 1);
    const auto below = std::size_t(std::floor(position));
    const auto above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - double(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

} // namespace

double sampleMean(const std::vector<double> &values)
{
    return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

double sampleStd(const std::vector<double> &values)
{
    if (values.size() < 2)
        return 0.0;
    const double m = sampleMean(values);
    double sum = 0.0;
    for (double v : values)
        sum += (v - m) * (v - m);
    return std::sqrt(sum / double(values.size() - 1));
}

std::string ConfidenceInterval::format(int decimals) const
{
    char text[96];
    std::snprintf(text, sizeof text, "%.*f [%.*f, %.*f]", decimals, mean, decimals, low, decimals, high);
    return text;
}

IntervalOrder intervalOrder(const ConfidenceInterval &interval, const ConfidenceInterval &reference)
{
    if (interval.high < reference.low)
        return IntervalOrder::Below;
    if (interval.low > reference.high)
        return IntervalOrder::Above;
    return IntervalOrder::Overlapping;
}

void BootstrapOptions::validate() const
{
    if (resamples < 2)
        throw std::invalid_argument("the bootstrap needs at least 2 resamples, got " + std::to_string(resamples));
    if (!(level > 0.0 && level < 1.0))
        throw std::invalid_argument("the bootstrap level must be in (0, 1)");
}

ConfidenceInterval bootstrapInterval(
    int n, const std::function<double(const std::vector<int> &)> &statistic, const BootstrapOptions &options)
{
    options.validate();
    if (n < 1)
        throw std::invalid_argument("a bootstrap needs at least one sample");
    std::vector<int> indices(static_cast<std::size_t>(n));
    std::iota(indices.begin(), indices.end(), 0);
    ConfidenceInterval interval;
    interval.mean = statistic(indices);
    std::mt19937_64 rng(options.seed);
    std::vector<double> values(static_cast<std::size_t>(options.resamples));
    for (double &value : values) {
        for (int &index : indices)
            index = int(rng() % std::uint64_t(n)); // modulo bias ~n / 2^64: negligible
        value = statistic(indices);
    }
    std::sort(values.begin(), values.end());
    interval.low = sortedQuantile(values, 0.5 * (1.0 - options.level));
    interval.high = sortedQuantile(values, 0.5 * (1.0 + options.level));
    return interval;
}

ConfidenceInterval bootstrapMeanInterval(const std::vector<double> &samples, const BootstrapOptions &options)
{
    if (samples.empty())
        throw std::invalid_argument("a bootstrap needs at least one sample");
    return bootstrapInterval(
        int(samples.size()),
        [&samples](const std::vector<int> &indices) {
            double sum = 0.0;
            for (int i : indices)
                sum += samples[std::size_t(i)];
            return sum / double(indices.size());
        },
        options);
}

ConfidenceInterval meanInterval(const std::vector<double> &values)
{
    if (values.empty())
        throw std::invalid_argument("an interval of a mean needs at least one value");
    const double n = double(values.size());
    ConfidenceInterval interval;
    interval.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    interval.low = interval.high = interval.mean;
    if (values.size() < 2)
        return interval;
    double squares = 0.0;
    for (double v : values)
        squares += (v - interval.mean) * (v - interval.mean);
    const double se = std::sqrt(squares / (n - 1.0) / n);
    const std::size_t df = values.size() - 1;
    const double t = df <= std::size(StudentT975) ? StudentT975[df - 1] : NormalZ975;
    interval.low = interval.mean - t * se;
    interval.high = interval.mean + t * se;
    return interval;
}

} // namespace untangle
