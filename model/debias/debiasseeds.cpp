#include "debiasseeds.h"

#include "atomicfile.h"
#include "biaseddataset.h"
#include "computeruntime.h"
#include "confidenceinterval.h"
#include "dataerror.h"
#include "datasetspec.h"
#include "debiasconfig.h"
#include "debiasrunner.h"
#include "jsonlimits.h"
#include "linearprobe.h"
#include "recordjson.h"
#include "runfolder.h"
#include "runfolderclaim.h"
#include "systemmemory.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

namespace untangle {
namespace {

using SeedsJson = nlohmann::json;

constexpr const char *SeedsPlanFormat = "untangle-seeds";
constexpr int SeedsPlanVersion = 1;

template <typename Item, typename Pick> Spread spreadOf(const std::vector<Item> &items, Pick pick)
{
    std::vector<double> values;
    for (const Item &item : items)
        if (const double v = pick(item); std::isfinite(v))
            values.push_back(v);
    return Spread {sampleMean(values), sampleStd(values), int(values.size())};
}

template <typename Item, typename Head> GroupSpread groupSpreadOf(const std::vector<Item> &items, Head head)
{
    GroupSpread out;
    out.unbiased = spreadOf(items, [&](const Item &i) { return head(i).unbiased; });
    out.aligned = spreadOf(items, [&](const Item &i) { return head(i).aligned; });
    out.conflicting = spreadOf(items, [&](const Item &i) { return head(i).conflicting; });
    out.worstGroup = spreadOf(items, [&](const Item &i) { return head(i).worstGroup; });
    return out;
}

/** The mean of finite values; NaN when there are none (an empty group in every seed stays empty). */
double finiteMean(const std::vector<double> &values)
{
    double sum = 0.0;
    int count = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++count;
        }
    return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

/** The mean of one head's group accuracies over seeds, cell by cell (the cell counts are the data's, shared). */
GroupAccuracy meanGroupAccuracy(const std::vector<const GroupAccuracy *> &groups)
{
    GroupAccuracy mean = *groups.front();
    const auto meanOf = [&](auto pick) {
        std::vector<double> values;
        for (const GroupAccuracy *g : groups)
            values.push_back(pick(*g));
        return finiteMean(values);
    };
    mean.unbiased = meanOf([](const GroupAccuracy &g) { return g.unbiased; });
    mean.aligned = meanOf([](const GroupAccuracy &g) { return g.aligned; });
    mean.conflicting = meanOf([](const GroupAccuracy &g) { return g.conflicting; });
    mean.worstGroup = meanOf([](const GroupAccuracy &g) { return g.worstGroup; });
    mean.sampleAccuracy = meanOf([](const GroupAccuracy &g) { return g.sampleAccuracy; });
    for (std::size_t t = 0; t < mean.cells.size(); ++t)
        for (std::size_t b = 0; b < mean.cells[t].size(); ++b)
            mean.cells[t][b] = meanOf([&](const GroupAccuracy &g) {
                return t < g.cells.size() && b < g.cells[t].size() ? g.cells[t][b]
                                                                   : std::numeric_limits<double>::quiet_NaN();
            });
    return mean;
}

/** The head of that name in every record; invalid_argument when one lacks it. */
std::vector<const HeadAccuracy *> sameHead(const std::vector<EvaluationRecord> &records, const std::string &name)
{
    std::vector<const HeadAccuracy *> heads;
    for (const EvaluationRecord &r : records) {
        const HeadAccuracy *head = r.findHead(name);
        if (!head)
            throw std::invalid_argument("a seed's evaluation has no " + name + " head");
        heads.push_back(head);
    }
    return heads;
}

void checkSameEvaluation(const std::vector<EvaluationRecord> &records)
{
    if (records.empty())
        throw std::invalid_argument("no evaluations to average");
    for (const EvaluationRecord &r : records)
        if (r.stage != records.front().stage || r.epoch != records.front().epoch)
            throw std::invalid_argument("averaging evaluations of different epochs");
}

SeedsJson spreadJson(const Spread &s)
{
    if (s.count == 0)
        return SeedsJson(nullptr);
    return SeedsJson {{"mean", s.mean}, {"std", s.std}, {"n", s.count}};
}

SeedsJson groupSpreadJson(const GroupSpread &g)
{
    return SeedsJson {{"unbiased", spreadJson(g.unbiased)}, {"aligned", spreadJson(g.aligned)},
        {"conflicting", spreadJson(g.conflicting)}, {"worst_group", spreadJson(g.worstGroup)}};
}

/** A seed's error, rethrown with the seed named and its type kept (the CLI maps types to exit codes). */
[[noreturn]] void rethrowNamingSeed(const std::exception_ptr &error, std::uint64_t seed)
{
    const std::string prefix = "seed " + std::to_string(seed) + ": ";
    try {
        std::rethrow_exception(error);
    } catch (const TrainingError &e) {
        throw TrainingError(prefix + e.what());
    } catch (const DataError &e) {
        throw DataError(prefix + e.what());
    } catch (const std::invalid_argument &e) {
        throw std::invalid_argument(prefix + e.what());
    }
}

std::string gib(std::uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
    return text;
}

void checkSeedsFit(const DebiasConfig &config, const BiasedDataset &dataset, std::size_t seeds)
{
    const std::uint64_t perSeed = estimatedSeedBytes(config, dataset);
    const std::uint64_t available = availableMemoryBytes();
    if (available == 0 || perSeed * seeds <= available)
        return;
    throw DataError(std::to_string(seeds) + " seeds at once need about " + gib(perSeed * seeds) + " (" + gib(perSeed)
        + " each) and this machine has " + gib(available) + " available; at most " + std::to_string(available / perSeed)
        + " fit. Ask for fewer seeds, or run the rest in a second batch.");
}

std::vector<std::uint64_t> checkedSeeds(const std::vector<std::uint64_t> &seeds)
{
    if (seeds.empty())
        throw std::invalid_argument("at least one seed is needed");
    if (std::set<std::uint64_t>(seeds.begin(), seeds.end()).size() != seeds.size())
        throw std::invalid_argument("the seeds must differ from each other");
    return seeds;
}

void writeSeedsPlan(const std::string &parent, const DebiasConfig &config, const std::vector<std::uint64_t> &seeds)
{
    SeedsJson plan {{"format", SeedsPlanFormat}, {"version", SeedsPlanVersion}, {"seeds", seeds},
        {"config", SeedsJson::parse(configToJson(config))}};
    writeFileAtomically(parent + "/seeds.json", plan.dump(1) + "\n");
}

} // namespace

EvaluationRecord meanEvaluation(const std::vector<EvaluationRecord> &records)
{
    checkSameEvaluation(records);
    EvaluationRecord mean = records.front();
    const auto meanOf = [&](double EvaluationRecord::*field) {
        std::vector<double> values;
        for (const EvaluationRecord &r : records)
            values.push_back(r.*field);
        return finiteMean(values);
    };
    for (double EvaluationRecord::*field : {&EvaluationRecord::trainLoss, &EvaluationRecord::trainLossAligned,
             &EvaluationRecord::trainLossConflicting, &EvaluationRecord::poeLoss, &EvaluationRecord::distillLoss,
             &EvaluationRecord::epochSeconds, &EvaluationRecord::evalSeconds, &EvaluationRecord::samplesPerSecond})
        mean.*field = meanOf(field);
    for (HeadAccuracy &head : mean.heads) {
        std::vector<const GroupAccuracy *> valid, test;
        for (const HeadAccuracy *h : sameHead(records, head.head)) {
            valid.push_back(&h->valid);
            test.push_back(&h->test);
        }
        head.valid = meanGroupAccuracy(valid);
        head.test = meanGroupAccuracy(test);
    }
    return mean;
}

std::vector<HeadSpread> evaluationSpread(const std::vector<EvaluationRecord> &records)
{
    checkSameEvaluation(records);
    std::vector<HeadSpread> spreads;
    for (const HeadAccuracy &first : records.front().heads) {
        const std::vector<const HeadAccuracy *> heads = sameHead(records, first.head);
        HeadSpread spread {first.head};
        spread.valid = groupSpreadOf(heads, [](const HeadAccuracy *h) -> const GroupAccuracy & { return h->valid; });
        spread.test = groupSpreadOf(heads, [](const HeadAccuracy *h) -> const GroupAccuracy & { return h->test; });
        spreads.push_back(spread);
    }
    return spreads;
}

ProbeRecord meanProbe(const std::vector<ProbeRecord> &probes)
{
    if (probes.empty())
        throw std::invalid_argument("no probes to average");
    ProbeRecord mean = probes.front();
    for (const ProbeRecord &p : probes)
        if (p.stage != mean.stage || p.epoch != mean.epoch || p.branch != mean.branch || p.iteration != mean.iteration)
            throw std::invalid_argument("averaging probes of different points in training");
    std::vector<double> target, bias;
    for (const ProbeRecord &p : probes) {
        target.push_back(p.targetAccuracy);
        bias.push_back(p.biasAccuracy);
    }
    mean.targetAccuracy = finiteMean(target);
    mean.biasAccuracy = finiteMean(bias);
    return mean;
}

SeedsSummary summarizeSeeds(const std::vector<DebiasResult> &results, double wallSeconds)
{
    SeedsSummary s;
    for (const DebiasResult &r : results)
        s.seeds.push_back(r.config.seed);
    s.selectedTest
        = groupSpreadOf(results, [](const DebiasResult &r) -> const GroupAccuracy & { return r.selected.test; });
    s.selectedValid
        = groupSpreadOf(results, [](const DebiasResult &r) -> const GroupAccuracy & { return r.selected.valid; });
    s.lastTest = groupSpreadOf(results, [](const DebiasResult &r) -> const GroupAccuracy & { return r.last.test; });
    const bool denetdm = !results.empty() && results.front().config.method == DebiasMethod::DeNetDM;
    if (denetdm) {
        s.stage1DeepTest
            = groupSpreadOf(results, [](const DebiasResult &r) -> const GroupAccuracy & { return r.stage1Deep.test; });
        s.stage1ShallowTest = groupSpreadOf(
            results, [](const DebiasResult &r) -> const GroupAccuracy & { return r.stage1Shallow.test; });
    }
    s.hardestPrecision = spreadOf(results, [](const DebiasResult &r) { return r.hardest.precision; });
    s.wallSeconds = wallSeconds;
    return s;
}

std::string seedsSummaryToJson(const SeedsSummary &summary, const DebiasConfig &config)
{
    SeedsJson j {{"format", "untangle-seeds-summary"}, {"version", 1}, {"method", methodKey(config.method)},
        {"dataset", datasetKey(config.dataset.kind)}, {"ratio", config.dataset.ratio},
        {"data_seed", config.dataset.seed}, {"seeds", summary.seeds},
        {"selected",
            {{"test", groupSpreadJson(summary.selectedTest)}, {"valid", groupSpreadJson(summary.selectedValid)}}},
        {"last", {{"test", groupSpreadJson(summary.lastTest)}}},
        {"hardest_precision", spreadJson(summary.hardestPrecision)}, {"wall_seconds", summary.wallSeconds}};
    if (config.method == DebiasMethod::DeNetDM) {
        j["stage1_deep"] = {{"test", groupSpreadJson(summary.stage1DeepTest)}};
        j["stage1_shallow"] = {{"test", groupSpreadJson(summary.stage1ShallowTest)}};
    }
    return j.dump(1);
}

std::string seedRunDir(const std::string &parent, std::uint64_t seed)
{
    return parent + "/seed-" + std::to_string(seed);
}

std::vector<std::uint64_t> consecutiveSeeds(std::uint64_t first, int count)
{
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < count; ++i)
        seeds.push_back(first + std::uint64_t(i));
    return seeds;
}

std::uint64_t estimatedSeedBytes(const DebiasConfig &config, const BiasedDataset &dataset)
{
    // Float copies of every split (toSplitTensors), the probe sets' copies, and a margin for the models, their
    // optimiser state, a batch's activations and the evaluation's feature chunks.
    const auto splitBytes = [](const LabeledImages &split) {
        return std::uint64_t(split.count) * std::uint64_t(split.channels) * split.height * split.width * sizeof(float);
    };
    const std::uint64_t splits = splitBytes(dataset.train) + splitBytes(dataset.valid) + splitBytes(dataset.test);
    const std::uint64_t perImage = dataset.train.count > 0 ? splitBytes(dataset.train) / dataset.train.count : 0;
    const std::uint64_t probes = std::uint64_t(2 * ProbeSamples) * perImage;
    const std::uint64_t margin = config.architecture == BranchArchitecture::Cnn ? (256ull << 20) : (64ull << 20);
    return splits + probes + margin;
}

SeedsPlan readSeedsPlan(const std::string &parent)
{
    const std::string path = parent + "/seeds.json";
    if (!std::filesystem::is_regular_file(path))
        throw DataError(path + ": missing; " + parent + " is not a multi-seed run folder");
    try {
        const SeedsJson j = SeedsJson::parse(readJsonFile(path, MaxSmallJsonBytes));
        if (j.value("format", "") != SeedsPlanFormat || j.value("version", 0) != SeedsPlanVersion)
            throw std::runtime_error("not an untangle-seeds document of version 1");
        SeedsPlan plan;
        plan.seeds = checkedSeeds(j.at("seeds").get<std::vector<std::uint64_t>>());
        plan.config = configFromJson(j.at("config").dump());
        return plan;
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        std::string what = error.what();
        throw DataError(path + ": damaged multi-seed plan (" + what.substr(0, what.find('\n')) + ")");
    }
}

SeedsOutcome runDebiasSeeds(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds,
    const BiasedDataset &dataset, const ProgressFn &progress, const std::string &parent, bool resume, bool overwrite,
    const SeedCallbacksFn &seedCallbacks)
{
    checkedSeeds(seeds);
    if (const std::string problem = validateConfig(config); !problem.empty())
        throw std::invalid_argument(problem);
    if (resume && overwrite)
        throw std::invalid_argument("resume and overwrite exclude each other");
    checkSeedsFit(config, dataset, seeds.size());
    const auto start = std::chrono::steady_clock::now();

    RunFolderClaim claim(parent, RunKind::DebiasSeeds,
        resume          ? RunFolderMode::Resume
            : overwrite ? RunFolderMode::Overwrite
                        : RunFolderMode::Fresh);
    if (resume) {
        const SeedsPlan plan = readSeedsPlan(parent);
        if (plan.seeds != seeds)
            throw DataError(parent + "/seeds.json: the folder's seeds differ from the ones asked");
        if (const std::string differences = configDifferences(plan.config, config); !differences.empty())
            throw DataError(parent + "/seeds.json: the settings differ from the folder's: " + differences);
    } else {
        std::error_code ec;
        std::filesystem::remove(parent + "/summary.json", ec); // an overwritten batch's old summary
        writeSeedsPlan(parent, config, seeds);
    }

    const std::size_t n = seeds.size();
    const int threads = config.threads > 0 ? config.threads : defaultComputeThreads();
    // Every seed runs at once: with more seeds than cores each gets one compute thread and the system shares the
    // cores out, which keeps every core busy to the end (waves of seeds would leave cores idle in the last wave).
    const int threadsPerSeed = std::max(1, threads / int(n));
    std::vector<DebiasResult> results(n);
    std::vector<std::exception_ptr> errors(n);
    std::vector<double> fractions(n, 0.0);
    std::mutex reporting;
    std::atomic<bool> stopAsked {false};

    const auto trainSeed = [&](std::size_t i) {
        DebiasConfig own = config;
        own.seed = seeds[i];
        own.threads = threadsPerSeed;
        const std::string dir = seedRunDir(parent, seeds[i]);
        RunFolder folder(dir);
        if (resume)
            if (std::optional<DebiasResult> done = folder.readResult()) {
                std::lock_guard lock(reporting);
                results[i] = *done;
                fractions[i] = 1.0;
                return;
            }
        DebiasCallbacks callbacks = seedCallbacks ? seedCallbacks(i) : DebiasCallbacks {};
        callbacks.progress = [&, i](double fraction, const std::string &what) {
            std::lock_guard lock(reporting);
            fractions[i] = fraction;
            double mean = 0.0;
            for (double f : fractions)
                mean += f / double(n);
            if (progress && !progress(mean, "seed " + std::to_string(seeds[i]) + ": " + what))
                stopAsked = true;
            return !stopAsked.load();
        };
        // A seed folder without a checkpoint never finished an epoch: nothing in it is worth keeping.
        const bool resumeSeed = resume && folder.hasCheckpoint();
        const bool restartSeed = resume && !resumeSeed;
        results[i] = runDebias(own, dataset, callbacks, dir, resumeSeed, overwrite || restartSeed);
    };
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < n; ++i)
        workers.emplace_back([&, i] {
            try {
                trainSeed(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    for (std::thread &worker : workers)
        worker.join();
    for (std::size_t i = 0; i < n; ++i)
        if (errors[i])
            rethrowNamingSeed(errors[i], seeds[i]);

    SeedsOutcome outcome;
    outcome.results = std::move(results);
    for (const DebiasResult &r : outcome.results)
        outcome.stopped = outcome.stopped || r.stopped;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.summary = summarizeSeeds(outcome.results, wall);
    if (!outcome.stopped)
        writeFileAtomically(parent + "/summary.json", seedsSummaryToJson(outcome.summary, config) + "\n");
    return outcome;
}

} // namespace untangle
