#pragma once
// Several training seeds of one debias run at once, in one process (issue 14): the spread over seeds is the number a
// user needs, and one seed tells little. Std types only.

#include "debiasrecords.h"
#include "debiasrunner.h"
#include "progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace untangle {

struct BiasedDataset;

/** The mean and sample standard deviation (n - 1) of one statistic over seeds; NaN values (empty groups) left out. */
struct Spread {
    double mean = 0.0;
    double std = 0.0;
    int count = 0;
};

/** A head's test and valid accuracies as spreads over seeds. */
struct GroupSpread {
    Spread unbiased, aligned, conflicting, worstGroup;
};

/** What `--seeds N` reports beside the N results: every headline number as mean and std over the seeds. */
struct SeedsSummary {
    std::vector<std::uint64_t> seeds;
    GroupSpread selectedTest, selectedValid, lastTest;
    GroupSpread stage1DeepTest, stage1ShallowTest; // DeNetDM only (count 0 otherwise)
    Spread hardestPrecision;
    double wallSeconds = 0.0; // the whole batch, start to end (a resumed batch: this process only)
};

SeedsSummary summarizeSeeds(const std::vector<DebiasResult> &results, double wallSeconds);

/** One head's accuracies at one evaluation as spreads over seeds (the band around a mean curve). */
struct HeadSpread {
    std::string head;
    GroupSpread valid, test;
};

/**
 * The same evaluation (stage and epoch) of several seeds as one record: every loss, timing, summary and cell is the
 * mean over the seeds (a cell empty in every seed stays NaN), so heat maps and curves of the mean read like a run's.
 * Heads are the first record's. Throws invalid_argument for no records or records of different evaluations.
 */
EvaluationRecord meanEvaluation(const std::vector<EvaluationRecord> &records);
/** The heads' spreads over the same records (sample std, n - 1), in the first record's head order. */
std::vector<HeadSpread> evaluationSpread(const std::vector<EvaluationRecord> &records);
/** The same probe of several seeds as one: mean decodabilities. Throws invalid_argument as meanEvaluation. */
ProbeRecord meanProbe(const std::vector<ProbeRecord> &probes);
std::string seedsSummaryToJson(const SeedsSummary &summary, const DebiasConfig &config);

/** The run folder of one seed inside a multi-seed folder: parent/seed-<seed>. */
std::string seedRunDir(const std::string &parent, std::uint64_t seed);

/** The seeds --seeds N trains: first, first + 1, ..., first + count - 1. */
std::vector<std::uint64_t> consecutiveSeeds(std::uint64_t first, int count);

/**
 * Bytes one seed's training holds beyond what the seeds share (float copies of the three splits, probe sets, the
 * models and their optimiser state), an upper estimate for refusing a --seeds count that would not fit.
 */
std::uint64_t estimatedSeedBytes(const DebiasConfig &config, const BiasedDataset &dataset);

/** The plan of a multi-seed folder (seeds.json): the shared config (its seed is the first one) and the seeds. */
struct SeedsPlan {
    DebiasConfig config;
    std::vector<std::uint64_t> seeds;
};
/** Reads parent/seeds.json. Throws DataError naming the file when it is missing, damaged or foreign. */
SeedsPlan readSeedsPlan(const std::string &parent);

/**
 * Trains config once per seed, all seeds at the same time: one thread per seed, config.threads compute threads
 * shared out among them (a seed's numbers equal that seed run alone on the same thread count; tested). Writes
 * parent/seeds.json at the start, one run folder per seed (seedRunDir, each as runDebias writes it) and
 * parent/summary.json once every seed finished. The parent is claimed like any run folder: a fresh batch refuses a
 * non-empty one unless overwrite; resume continues every unfinished seed from its checkpoint (a seed with a
 * result.json is read, not retrained; a seed never started starts) with the plan's config.
 * seedCallbacks, when given, hands each seed its own record callbacks (a seed read back from its result.json reports
 * nothing). progress gets the mean fraction over seeds and each seed's status; returning false stops every seed at its
 * last complete epoch (no summary then). Throws the first seed's error after every other seed has ended (their
 * folders stay as they are), and DataError when the seeds would not fit in the available memory, before anything
 * is written.
 */
struct SeedsOutcome {
    std::vector<DebiasResult> results; // in the order of the seeds asked
    SeedsSummary summary; // written to summary.json unless stopped
    bool stopped = false;
};
/** The evaluated / probed / hardSamples callbacks of the seed at an index (called from that seed's thread). */
using SeedCallbacksFn = std::function<DebiasCallbacks(std::size_t seedIndex)>;
SeedsOutcome runDebiasSeeds(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds,
    const BiasedDataset &dataset, const ProgressFn &progress, const std::string &parent, bool resume = false,
    bool overwrite = false, const SeedCallbacksFn &seedCallbacks = {});

} // namespace untangle
