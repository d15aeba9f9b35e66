#include "study/latentstudy.h"

#include "atomicfile.h"
#include "confidenceinterval.h"
#include "dataerror.h"
#include "directions/directionfinder.h"
#include "directions/latentdirections.h"
#include "evaluation/directionevaluation.h"
#include "explore/latentrenderer.h"
#include "factors/factorrescoring.h"
#include "factors/factorworld.h"
#include "factors/worldcoverage.h"
#include "jsonlimits.h"
#include "retrieval/retrieval.h"
#include "runfolderclaim.h"
#include "sprites/spritecoverage.h"
#include "sre/srerunner.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace untangle {

namespace {

namespace fs = std::filesystem;

constexpr int HealthSamples = 4096;

/** The table's columns: score key, floor key (empty: none), header, and whether it shows a 95% interval. */
struct Column {
    const char *key;
    const char *floor;
    const char *header;
    bool interval = false;
};
/** A rescoring file without this key predates the authors' statistic and per-seed "before": it is computed again. */
constexpr const char *AuthorsRescoringKey = "authorsDiagonal";
constexpr Column Columns[] = {
    {"mig", "migFloor", "MIG"},
    {"dciD", "dciDFloor", "DCI D"},
    {"dciC", "dciCFloor", "DCI C"},
    {"dciI", "dciIFloor", "DCI I"},
    {"factorVae", "factorVaeFloor", "FactorVAE"},
    {"betaVae", "betaVaeFloor", "beta-VAE"},
    {"spillOver", "spillOverFloor", "spill-over (lower is better)"},
    {"onTarget", "onTargetFloor", "on-target"},
    {"spillRatio", "spillRatioFloor", "spill-over / on-target"},
    {"authorsDiagonal", "authorsDiagonalFloor", "matched diagonal (+eps, authors')", true},
    {"authorsOffDiagonal", "authorsOffDiagonalFloor", "matched off-diagonal (+eps, authors'; lower is better)", true},
    {"retrievalPrecision", "retrievalPrecisionChance", "retrieval P@k"},
    {"retrievalMap", "retrievalMapChance", "retrieval mAP"},
};

std::string methodTitle(const std::string &method)
{
    if (method == "sefa")
        return "SeFa";
    if (method == "ganspace")
        return "GANSpace";
    if (method == "voynov")
        return "Voynov-Babenko";
    if (method == "random")
        return "Random orthonormal";
    return method;
}

bool readScores(const fs::path &path, StudyScores &scores)
{
    std::string text;
    try {
        text = readJsonFile(path.string(), MaxSmallJsonBytes);
    } catch (const DataError &) {
        return false; // missing, unreadable or out of bounds: the scores are computed again
    }
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return false;
    for (const auto &[key, value] : json.items())
        if (value.is_number())
            scores[key] = value.get<double>();
    return true;
}

void writeScores(const fs::path &path, const StudyScores &scores)
{
    writeFileAtomically(path.string(), nlohmann::json(scores).dump(1) + "\n");
}

StudyScores evaluationScores(const DirectionEvaluation &e)
{
    return {{"mig", e.mig.mig}, {"migFloor", e.migFloor.mig}, {"dciD", e.dci.disentanglement},
        {"dciDFloor", e.dciFloor.disentanglement}, {"dciC", e.dci.completeness}, {"dciCFloor", e.dciFloor.completeness},
        {"dciI", e.dci.informativeness}, {"dciIFloor", e.dciFloor.informativeness},
        {"factorVae", e.factorVae.evalAccuracy}, {"factorVaeFloor", e.factorVaeFloor.evalAccuracy},
        {"betaVae", e.betaVae.evalAccuracy}, {"betaVaeFloor", e.betaVaeFloor.evalAccuracy},
        {"encoderHeldOutMse", e.distillation.heldOutMse}, {"evaluationSeconds", e.timings.total}};
}

StudyScores rescoringScores(const FactorRescoring &r)
{
    return {{"spillOver", r.summary.meanSpillOver}, {"spillOverFloor", r.floor.meanSpillOver},
        {"onTarget", r.summary.meanOnTarget}, {"onTargetFloor", r.floor.meanOnTarget},
        {"matchedDiagonal", r.summary.matchedDiagonal}, {"matchedOffDiagonal", r.summary.matchedOffDiagonal},
        {"authorsDiagonal", r.authors.diagonal.mean}, {"authorsDiagonalLow", r.authors.diagonal.low},
        {"authorsDiagonalHigh", r.authors.diagonal.high}, {"authorsOffDiagonal", r.authors.offDiagonal.mean},
        {"authorsOffDiagonalLow", r.authors.offDiagonal.low}, {"authorsOffDiagonalHigh", r.authors.offDiagonal.high},
        {"authorsDiagonalFloor", r.authorsFloor.diagonal.mean},
        {"authorsOffDiagonalFloor", r.authorsFloor.offDiagonal.mean}};
}

/** Rescoring of evaluation seed s: its own latents and floor directions, so "before" varies over seeds too. */
FactorRescoringOptions rescoringOptionsOf(int seed)
{
    FactorRescoringOptions options;
    options.seed = RescoringSeed + std::uint64_t(seed);
    options.floorSeed = RescoringFloorSeed + std::uint64_t(seed);
    return options;
}

StudyScores retrievalScores(const RetrievalTable &table)
{
    double chanceP = 0.0, chanceMap = 0.0;
    for (const auto &row : table.rows) {
        chanceP += row.precisionChance / double(table.rows.size());
        chanceMap += row.mapChance / double(table.rows.size());
    }
    return {{"retrievalPrecision", table.meanPrecision()}, {"retrievalMap", table.meanAveragePrecision()},
        {"retrievalPrecisionChance", chanceP}, {"retrievalMapChance", chanceMap}};
}

struct Stage {
    const ProgressFn &progress;
    int done = 0;
    int total = 1;
    void report(const std::string &what) { reportProgress(progress, double(done) / total, what); }
};

std::string generatorSummary(const std::string &path, int index)
{
    LatentRenderer renderer(path);
    std::vector<std::uint64_t> seeds(static_cast<std::size_t>(HealthSamples));
    std::iota(seeds.begin(), seeds.end(), 1000000);
    const double ratio = principalStdRatio(renderer.styles(seeds));
    if (LatentRenderer(path).info().channels == 1) { // Sprites: the shipped Sprites factor model's coverage
        const auto sprites = measureSpriteCoverage(path, SpriteCoverageSamples, 1, 1.0);
        char line[320];
        std::snprintf(line, sizeof line,
            "g%d: %s (sprites); W std ratio %.2f; coverage score %.3f (entropy %.2f, realism %.2f, mean coverage "
            "%.2f)",
            index, path.c_str(), ratio, sprites.score, sprites.meanEntropy, sprites.realism, sprites.meanCoverage);
        return line;
    }
    const auto coverage = measureWorldCoverage(path);
    char line[320];
    std::snprintf(line, sizeof line,
        "g%d: %s (%s); W std ratio %.2f; mean coverage %.2f, entropy %.2f, realism %.2f (per factor:", index,
        path.c_str(), coverage.world.c_str(), ratio, coverage.meanCoverage, coverage.meanEntropy, coverage.realism);
    std::string text = line;
    for (const auto &factor : coverage.factors) {
        std::snprintf(line, sizeof line, " %s %.2f", factor.name.c_str(), factor.coverage);
        text += line;
    }
    return text + ")";
}

EvaluationOptions evaluationOptionsOf(const LatentStudyConfig &config, int seed)
{
    EvaluationOptions options;
    options.images = config.evaluationImages;
    options.epochs = config.evaluationEpochs;
    options.migPoints = config.migPoints;
    options.dciTrainPoints = options.dciTestPoints = config.dciPoints;
    options.seed = std::uint64_t(seed);
    return options;
}

bool hasAuthorsRescoring(const fs::path &path)
{
    StudyScores scores;
    return readScores(path, scores) && scores.count(AuthorsRescoringKey) > 0;
}

/** What makes two studies the same experiment (seeds may grow; threads, the generator filter and rescoring-only do
 *  not count). */
nlohmann::json studySettings(const LatentStudyConfig &config)
{
    nlohmann::json settings = {{"generators", config.generators}, {"methods", config.methods},
        {"count", config.directionCount}, {"voynovSteps", config.voynovSteps}, {"sreSteps", config.sreSteps},
        {"sreLearningRate", config.sreLearningRate}, {"sreRange", config.sreRange},
        {"sreSnapshotEvery", config.sreSnapshotEvery}, {"evaluationImages", config.evaluationImages},
        {"evaluationEpochs", config.evaluationEpochs}, {"migPoints", config.migPoints}, {"dciPoints", config.dciPoints},
        {"retrievalPool", config.retrievalPool}, {"retrievalK", config.retrievalK}};
    // Recorded only when not the default, so folders from before the option still match.
    if (config.sreBackbone != "light")
        settings["sreBackbone"] = config.sreBackbone;
    return settings;
}

/** A study folder records its settings; another experiment in it would mix runs, so it is refused by name. */
void requireSameStudy(const LatentStudyConfig &config)
{
    const fs::path path = fs::path(config.outDir) / "study-config.json";
    const auto wanted = studySettings(config);
    if (fs::exists(path)) {
        const auto stored = nlohmann::json::parse(readJsonFile(path.string(), MaxSmallJsonBytes), nullptr, false);
        if (stored.is_discarded() || !stored.is_object())
            throw DataError(path.string() + " is damaged; choose another folder for the study");
        std::string differences;
        for (const auto &[key, value] : wanted.items()) {
            const auto found = stored.find(key);
            if (found == stored.end() || *found != value)
                differences += (differences.empty() ? "" : "; ") + key + ": stored "
                    + (found == stored.end() ? std::string("(none)") : found->dump()).substr(0, 200) + " vs given "
                    + value.dump().substr(0, 200);
        }
        if (!differences.empty())
            throw DataError(config.outDir + " holds a study with other settings (" + differences
                + "); use the same options to resume it, or another folder");
        return;
    }
    // A folder from before settings were recorded: adopt the given ones.
    writeFileAtomically(path.string(), wanted.dump(1) + "\n");
}

} // namespace

void LatentStudyConfig::validate() const
{
    if (generators.empty())
        throw std::invalid_argument("the study needs at least one generator");
    if (methods.empty())
        throw std::invalid_argument("the study needs at least one direction method");
    for (const auto &method : methods) {
        DirectionMethod parsed;
        if (!parseDirectionMethod(method, parsed))
            throw std::invalid_argument("unknown direction method '" + method + "'");
    }
    if (seeds < 1)
        throw std::invalid_argument("the study needs at least one seed");
    if (directionCount < 2)
        throw std::invalid_argument("the metrics compare directions: K must be at least 2");
    if (sreSteps < 1 || voynovSteps < 1 || sreSnapshotEvery < 1)
        throw std::invalid_argument("step counts must be at least 1");
    if (!(sreRange > 0.0) || !std::isfinite(sreRange))
        throw std::invalid_argument("the SRE eps range scale c must be a positive number (eps_k ~ U(-c sigma_k, c "
                                    "sigma_k)), got "
            + std::to_string(sreRange));
    if (!(sreLearningRate > 0.0) || !std::isfinite(sreLearningRate))
        throw std::invalid_argument("the SRE learning rate must be positive");
    if (sreBackbone != "light" && sreBackbone != "resnet18")
        throw std::invalid_argument("the SRE estimator must be light or resnet18, got '" + sreBackbone + "'");
    if (evaluationImages < 100 || evaluationEpochs < 1 || migPoints < 100 || dciPoints < 100)
        throw std::invalid_argument("evaluation counts are too small (images and points >= 100, epochs >= 1)");
    if (evaluationImages > MaxDistillationImages)
        throw std::invalid_argument("the evaluation images (--eval-images) are too many: "
            + std::to_string(evaluationImages) + " (at most " + std::to_string(MaxDistillationImages) + ")");
    if (retrievalPool < 10 || retrievalK < 1 || retrievalK >= retrievalPool)
        throw std::invalid_argument("retrieval needs a pool of at least 10 and 1 <= k < pool");
    if (retrievalPool > MaxRetrievalPoolImages)
        throw std::invalid_argument("the retrieval pool (--pool) is too large: " + std::to_string(retrievalPool)
            + " images (at most " + std::to_string(MaxRetrievalPoolImages) + ")");
    if (outDir.empty())
        throw std::invalid_argument("the study needs an output folder");
    if (onlyGenerator >= int(generators.size()))
        throw std::invalid_argument(
            "--only-generator must index one of the " + std::to_string(generators.size()) + " generators");
}

LatentStudyResult runLatentStudy(const LatentStudyConfig &config, const ProgressFn &progress)
{
    config.validate();
    const fs::path root(config.outDir);
    // Shared between processes by design (one generator each), so no exclusive claim here; the SRE runs inside
    // claim their own folders. But the root must be a study or new.
    if (const auto kind = detectRunKind(config.outDir); kind && *kind != RunKind::Study)
        throw DataError(
            config.outDir + " holds a " + runKindName(*kind) + ", not a latent study; choose another folder");
    else if (!kind && fs::is_directory(root) && !fs::is_empty(root) && !fs::exists(root / "g0"))
        throw DataError(config.outDir + " is not empty and holds no study; choose an empty folder");
    fs::create_directories(root);
    if (!config.tableOnly)
        requireSameStudy(config);
    std::ofstream(root / RunMarkerFileName) << "study\n";
    const int generatorCount = int(config.generators.size());
    const int methodCount = int(config.methods.size());
    Stage stage {progress, 0, generatorCount * (methodCount * (1 + config.seeds) + config.seeds * 3 + 1)};
    LatentStudyResult result;
    for (const auto &method : config.methods)
        for (bool refined : {false, true})
            result.cells.push_back({method, refined, {}});

    for (int g = 0; g < generatorCount; ++g) {
        if (config.onlyGenerator >= 0 && g != config.onlyGenerator)
            continue;
        const std::string &generator = config.generators[std::size_t(g)];
        const fs::path gdir = root / ("g" + std::to_string(g));
        fs::create_directories(gdir);
        stage.report("generator " + std::to_string(g) + ": health");
        result.generatorSummaries.push_back(generatorSummary(generator, g));
        ++stage.done;
        const auto info = LatentRenderer(generator).info();
        const int resolution = info.resolution;
        const FactorWorld *world = FactorWorld::forImages(info.channels, resolution);
        if (!world)
            throw DataError(generator
                + " makes images no factor world draws: the study needs a Sprites or Scenes "
                  "generator");

        if (!config.tableOnly) {
            // 1. Initial directions of every method (each stage skipped when its output exists).
            for (const auto &method : config.methods) {
                const fs::path mdir = gdir / method;
                const fs::path initial = mdir / "directions.json";
                if (!fs::exists(initial)) {
                    stage.report("g" + std::to_string(g) + " " + method + ": directions");
                    DirectionsRequest request;
                    request.generatorPath = generator;
                    parseDirectionMethod(method, request.method);
                    request.count = config.directionCount;
                    request.voynovSteps = config.voynovSteps;
                    auto set = findDirections(request);
                    fs::create_directories(mdir);
                    saveDirectionSet(set, initial.string());
                }
                ++stage.done;
            }

            RetrievalPoolSpec poolSpec;
            poolSpec.source = world->kind == WorldKind::Sprites ? PoolSource::Sprites : PoolSource::Scenes;
            poolSpec.count = config.retrievalPool;
            poolSpec.resolution = resolution;
            std::optional<RetrievalPool> pool; // built when a seed first needs it
            RetrievalScoringOptions retrievalOptions;
            retrievalOptions.k = config.retrievalK;
            // 2. Seed by seed (so an interrupted study has whole seeds to show): SRE of every method, then every
            // method's before and after set through one shared protocol run, the rescoring and retrieval.
            for (int s = 0; s < config.seeds; ++s) {
                const std::string seed = std::to_string(s);
                for (const auto &method : config.methods) {
                    const fs::path mdir = gdir / method;
                    const fs::path sdir = mdir / ("sre-s" + seed);
                    if (!fs::exists(sdir / "directions.json")) {
                        stage.report("g" + std::to_string(g) + " " + method + ": SRE seed " + seed);
                        SreConfig sre;
                        sre.generatorPath = generator;
                        sre.directionsPath = (mdir / "directions.json").string();
                        sre.steps = config.sreSteps;
                        sre.learningRate = config.sreLearningRate;
                        sre.rangeScale = config.sreRange;
                        sre.snapshotEvery = config.sreSnapshotEvery;
                        sre.backbone = config.sreBackbone == "resnet18" ? SreBackbone::ResNet18 : SreBackbone::LightCnn;
                        sre.seed = std::uint64_t(s);
                        SreCallbacks callbacks;
                        callbacks.progress = [&](double fraction, const std::string &what) {
                            return !progress || progress((stage.done + fraction) / stage.total, what);
                        };
                        // The study owns its sub-folders: one left without a checkpoint by a killed run is started
                        // over.
                        const bool resumable = fs::exists(sdir / "checkpoint.pt");
                        runSre(sre, callbacks, sdir.string(), resumable, !resumable);
                    }
                    ++stage.done;
                }
                std::vector<EvaluationJob> jobs;
                std::vector<fs::path> outputs;
                // A rescoring-only study (a sweep) has no encoder protocol: no evaluation jobs (both sides are
                // lvalues, so the method list is not copied).
                const std::vector<std::string> none;
                for (const auto &method : config.rescoringOnly ? none : config.methods) {
                    const fs::path mdir = gdir / method;
                    const fs::path sdir = mdir / ("sre-s" + seed);
                    if (!fs::exists(mdir / ("eval-before-s" + seed + ".json"))) {
                        jobs.push_back({loadDirectionSet((mdir / "directions.json").string()),
                            (mdir / ("encoder-s" + seed + ".pt")).string(), (mdir / "directions.json").string()});
                        outputs.push_back(mdir / ("eval-before-s" + seed + ".json"));
                    }
                    if (!fs::exists(sdir / "eval.json")) {
                        jobs.push_back({loadDirectionSet((sdir / "directions.json").string()), {},
                            (sdir / "directions.json").string()});
                        outputs.push_back(sdir / "eval.json");
                    }
                }
                if (!jobs.empty()) {
                    stage.report("g" + std::to_string(g) + ": evaluation seed " + seed);
                    const auto evaluations = evaluateDirectionSets(generator, jobs, evaluationOptionsOf(config, s));
                    for (std::size_t j = 0; j < evaluations.size(); ++j)
                        writeScores(outputs[j], evaluationScores(evaluations[j]));
                }
                ++stage.done;
                stage.report("g" + std::to_string(g) + ": rescoring and retrieval seed " + seed);
                for (const auto &method : config.methods) {
                    const fs::path mdir = gdir / method;
                    const fs::path sdir = mdir / ("sre-s" + seed);
                    const std::pair<fs::path, fs::path> rescorings[]
                        = {{mdir / "directions.json", mdir / ("rescoring-s" + seed + ".json")},
                            {sdir / "directions.json", sdir / "rescoring.json"}};
                    for (const auto &[directions, out] : rescorings)
                        if (!hasAuthorsRescoring(out))
                            writeScores(out,
                                rescoringScores(rescoreDirections(
                                    generator, loadDirectionSet(directions.string()), rescoringOptionsOf(s))));
                    const std::pair<fs::path, fs::path> retrievals[]
                        = {{mdir / ("encoder-s" + seed + ".pt"), mdir / ("retrieval-before-s" + seed + ".json")},
                            {sdir / "estimator.pt", sdir / "retrieval.json"}};
                    for (const auto &[scoreFile, out] : retrievals)
                        if (!config.rescoringOnly && !fs::exists(out)) {
                            if (!pool)
                                pool = buildRetrievalPool(poolSpec);
                            writeScores(
                                out, retrievalScores(retrievalTable(scoreFile.string(), *pool, retrievalOptions)));
                        }
                }
                stage.done += 2;
            }
        }
        // 3. Collect this generator's runs into the cells (with tableOnly, the finished ones).
        for (auto &cell : result.cells) {
            const fs::path mdir = gdir / cell.method;
            for (int s = 0; s < config.seeds; ++s) {
                const std::string seed = std::to_string(s);
                const fs::path sdir = mdir / ("sre-s" + seed);
                StudyScores scores;
                const bool rescored = readScores(
                    cell.refined ? sdir / "rescoring.json" : mdir / ("rescoring-s" + seed + ".json"), scores);
                // Rescoring-only: the protocol's and retrieval's files are not written, and not asked for.
                const bool ok = rescored
                    && (config.rescoringOnly
                        || (cell.refined
                                ? readScores(sdir / "eval.json", scores) && readScores(sdir / "retrieval.json", scores)
                                : readScores(mdir / ("eval-before-s" + seed + ".json"), scores)
                                    && readScores(mdir / ("retrieval-before-s" + seed + ".json"), scores)));
                if (!ok && config.tableOnly)
                    continue;
                if (!ok)
                    throw DataError("study file missing or unreadable under " + mdir.string());
                // Random directions move every factor less, so their raw spill-over is low too: the ratio to the
                // on-target effect is what says whether a direction is selective.
                scores["spillRatio"] = scores["spillOver"] / std::max(1e-9, scores["onTarget"]);
                scores["spillRatioFloor"] = scores["spillOverFloor"] / std::max(1e-9, scores["onTargetFloor"]);
                cell.runs.push_back(scores);
            }
        }
    }
    if (config.onlyGenerator >= 0)
        return result;
    result.tableMarkdown = formatStudyTable(result.cells, result.generatorSummaries);
    writeFileAtomically((root / "table.md").string(), result.tableMarkdown);
    nlohmann::json json = nlohmann::json::array();
    for (const auto &cell : result.cells)
        json.push_back({{"method", cell.method}, {"refined", cell.refined}, {"runs", cell.runs}});
    writeFileAtomically((root / "study.json").string(), json.dump(1) + "\n");
    reportProgress(progress, 1.0, "study done");
    return result;
}

std::string formatStudyTable(const std::vector<StudyCell> &cells, const std::vector<std::string> &generatorSummaries)
{
    std::string text = "| directions | runs |";
    std::string rule = "|---|---|";
    for (const auto &column : Columns) {
        text += std::string(" ") + column.header + " |";
        rule += "---|";
    }
    text += "\n" + rule + "\n";
    char buffer[96];
    std::map<std::string, std::vector<double>> floors;
    for (const auto &cell : cells) {
        text += "| " + methodTitle(cell.method) + (cell.refined ? " + SRE" : "") + " | "
            + std::to_string(cell.runs.size()) + " |";
        for (const auto &column : Columns) {
            std::vector<double> values;
            for (const auto &run : cell.runs) {
                if (const auto it = run.find(column.key); it != run.end())
                    values.push_back(it->second);
                if (const auto it = run.find(column.floor); it != run.end())
                    floors[column.key].push_back(it->second);
            }
            if (values.empty()) {
                text += " - |";
                continue;
            }
            if (column.interval) {
                // Over runs when there are several; one run's own bootstrap interval over z otherwise.
                ConfidenceInterval interval = meanInterval(values);
                const auto &run = cell.runs.front();
                const auto low = run.find(std::string(column.key) + "Low");
                const auto high = run.find(std::string(column.key) + "High");
                if (values.size() == 1 && low != run.end() && high != run.end()) {
                    interval.low = low->second;
                    interval.high = high->second;
                }
                text += " " + interval.format() + " |";
                continue;
            }
            std::snprintf(buffer, sizeof buffer, " %.3f ± %.3f |", sampleMean(values), sampleStd(values));
            text += buffer;
        }
        text += "\n";
    }
    text += "| noise floor / chance | |";
    for (const auto &column : Columns) {
        if (floors[column.key].empty()) { // not measured (a rescoring-only study has no protocol or retrieval)
            text += " - |";
            continue;
        }
        std::snprintf(buffer, sizeof buffer, " %.3f |", sampleMean(floors[column.key]));
        text += buffer;
    }
    text
        += "\n\nMean ± std over generators x seeds; the authors' rescoring statistic (|mean change| of each factor for "
           "a +eps shift, on each factor's best direction) as mean [95% t-interval over generators x seeds; with one "
           "run, its 95% bootstrap interval over z]. \"Before\" is rescored per seed (its own latents). Floors: the "
           "same metric on random Gaussian codes (MIG, DCI, FactorVAE, beta-VAE), random orthonormal directions "
           "(rescoring), a random ranking (retrieval).\n";
    for (const auto &line : generatorSummaries)
        text += "\n- " + line;
    return text + "\n";
}

} // namespace untangle
