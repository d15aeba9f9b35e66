#include "seedsreport.h"

#include "recordjson.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace untangle::cli {
namespace {

std::string percentSpread(const Spread &s)
{
    if (s.count == 0 || !std::isfinite(s.mean))
        return "-";
    char text[48];
    std::snprintf(text, sizeof text, "%.2f ± %.2f", 100.0 * s.mean, 100.0 * s.std);
    return text;
}

void printGroup(const char *name, const GroupSpread &g)
{
    std::printf("%-22s unbiased %15s  aligned %15s  conflicting %15s  worst %15s\n", name,
        percentSpread(g.unbiased).c_str(), percentSpread(g.aligned).c_str(), percentSpread(g.conflicting).c_str(),
        percentSpread(g.worstGroup).c_str());
}

} // namespace

void printSeedsJson(const SeedsOutcome &outcome)
{
    std::string text = "{\"results\": [";
    for (std::size_t i = 0; i < outcome.results.size(); ++i)
        text += (i ? ", " : "") + resultToJson(outcome.results[i], false);
    const DebiasConfig config = outcome.results.empty() ? DebiasConfig {} : outcome.results.front().config;
    text += "], \"stopped\": " + std::string(outcome.stopped ? "true" : "false")
        + ", \"summary\": " + seedsSummaryToJson(outcome.summary, config) + "}";
    std::printf("%s\n", text.c_str());
}

void printSeedsText(const SeedsOutcome &outcome, void (*printResult)(const DebiasResult &))
{
    for (const DebiasResult &result : outcome.results) {
        printResult(result);
        std::printf("\n");
    }
    const SeedsSummary &s = outcome.summary;
    std::string seeds;
    for (std::uint64_t seed : s.seeds)
        seeds += (seeds.empty() ? "" : ", ") + std::to_string(seed);
    std::printf("%zu seeds (%s): test accuracy, mean ± std over seeds (%%)%s\n", s.seeds.size(), seeds.c_str(),
        outcome.stopped ? " - stopped early, no summary.json written" : "");
    if (s.stage1DeepTest.unbiased.count > 0) {
        printGroup("stage 1 deep", s.stage1DeepTest);
        printGroup("stage 1 shallow", s.stage1ShallowTest);
    }
    printGroup("selected on valid", s.selectedTest);
    printGroup("last epoch", s.lastTest);
    std::printf("hardest-sample precision %s %%; wall time %.1f s for all seeds\n",
        percentSpread(s.hardestPrecision).c_str(), s.wallSeconds);
}

} // namespace untangle::cli
