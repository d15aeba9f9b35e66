#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace untangle::bench {

/** Seconds of `repeats` runs of fn, sorted. */
inline std::vector<double> timeRuns(int repeats, const std::function<void()> &fn)
{
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        fn();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds;
}

inline double median(const std::vector<double> &sorted)
{
    if (sorted.empty())
        return 0.0;
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/** One table row: name, median, min, target (0 = none), baseline median, and the pass/fail against the target. */
inline void printRow(const std::string &name, const std::vector<double> &runs, double target, double baseline,
    const char *unit = "s", double scale = 1.0)
{
    const double med = median(runs) * scale;
    std::printf("%-34s %10.3f %10.3f %10s %10.3f %8.1fx %6s\n", name.c_str(), med, runs.front() * scale,
        target > 0 ? std::to_string(target).substr(0, 5).c_str() : "-", baseline * scale,
        baseline > 0 ? median(runs) / baseline : 0.0, target <= 0 ? "" : (med <= target ? "ok" : "SLOW"));
    (void)unit;
}

inline void printHeader(const char *unit)
{
    std::printf("%-34s %10s %10s %10s %10s %9s %6s\n", "case", ("median " + std::string(unit)).c_str(),
        ("min " + std::string(unit)).c_str(), "target", "baseline", "ratio", "");
}

} // namespace untangle::bench
