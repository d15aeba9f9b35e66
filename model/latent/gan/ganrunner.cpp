#include "gan/ganrunner.h"

#include "atomicfile.h"
#include "checkpointarchive.h"
#include "common/latenttensors.h"
#include "dataerror.h"
#include "datasetfactory.h"
#include "directions/latentdirections.h"
#include "explore/traversalgrid.h"
#include "gan/gantrainer.h"
#include "gan/generatorfile.h"
#include "gan/stylegrowth.h"
#include "gan/stylesampling.h"
#include "jsonlimits.h"
#include "jsonsettings.h"
#include "recordlines.h"
#include "runfolderclaim.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace untangle {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
/** The selection score before any checkpoint was scored (any real score, even -1e9, beats it). */
constexpr double NoSelectionScore = -1e300;

constexpr const char *CheckpointKey = "untangle_gan_checkpoint_v1";
constexpr int StyleHealthSamples = 4096;
constexpr int MinSceneResolution = 16; // the scene renderer's smallest picture
constexpr int GanLogEvery = 10; // loss lines: a live plot gets a point every few seconds, not one per 10 s

nlohmann::json configToJson(const GanConfig &config)
{
    nlohmann::json json = {{"sprites", config.sprites}, {"resolution", config.resolution}, {"batch", config.batch},
        {"learningRate", config.learningRate}, {"beta1", config.beta1}, {"beta2", config.beta2},
        {"emaBeta", config.emaBeta}, {"sampleEvery", config.sampleEvery}, {"checkpointEvery", config.checkpointEvery},
        {"seed", config.seed}, {"latentSize", config.latentSize}, {"styleSize", config.styleSize},
        {"mappingLayers", config.mappingLayers}, {"baseChannels", config.baseChannels},
        {"minChannels", config.minChannels}, {"discriminatorChannels", config.discriminatorChannels}};
    if (config.mappingLrMultiplier != 1.0) // absent in runs from before the option: they resume unchanged
        json["mappingLrMultiplier"] = config.mappingLrMultiplier;
    if (config.convsPerStage != 1) // the same
        json["convsPerStage"] = config.convsPerStage;
    if (config.discriminatorConvsPerStage != 1) // the same
        json["discriminatorConvsPerStage"] = config.discriminatorConvsPerStage;
    if (config.r1Gamma != 0.0) // the same
        json["r1Gamma"] = config.r1Gamma;
    if (config.mirrorNegatives != 0.0) // the same
        json["mirrorNegatives"] = config.mirrorNegatives;
    if (config.viewNegatives != 0.0) // the same
        json["viewNegatives"] = config.viewNegatives;
    if (!config.viewNegativeFactors.empty()) // the same
        json["viewNegativeFactors"] = config.viewNegativeFactors;
    if (config.shapeNegatives != 0.0) // the same
        json["shapeNegatives"] = config.shapeNegatives;
    if (config.renderBack != 0.0) // the same
        json["renderBack"] = config.renderBack;
    if (config.styledInput) // the same
        json["styledInput"] = true;
    if (!config.spectralNorm) // the same
        json["spectralNorm"] = false;
    if (config.synthesis != GanConfig::Synthesis::Style) // the same
        json["synthesis"] = ganSynthesisKey(config.synthesis);
    if (config.loss != GanConfig::Loss::Hinge) // the same
        json["loss"] = ganLossKey(config.loss);
    if (!config.growFrom.empty()) // the same
        json["growFrom"] = config.growFrom;
    if (!config.continueFrom.empty()) // the same
        json["continueFrom"] = config.continueFrom;
    if (!config.variedSceneFactors.empty()) // the same
        json["variedSceneFactors"] = config.variedSceneFactors;
    if (!config.sprites)
        json["dataset"] = {{"kind", datasetKey(config.dataset.kind)}, {"ratio", config.dataset.ratio},
            {"seed", config.dataset.seed}, {"path", config.dataset.path}};
    return json;
}

/** The metric lines up to `iteration` (a resumed run rewrites what came after its checkpoint), read by the shared
 *  record policy (recordlines.h): a damaged line refuses the resume, a torn last line is dropped. */
std::string metricsUpTo(const std::string &path, int iteration)
{
    std::vector<std::string> lines;
    {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
    }
    const auto iterationOf = [](const std::string &line) {
        if (!jsonWithinLimits(line, MaxSmallJsonBytes))
            throw std::runtime_error("too long or too deep");
        const auto json = nlohmann::json::parse(line);
        return json.at("iteration").get<std::int64_t>();
    };
    std::string kept;
    for (const auto &[line, at] : parseRecordLines(path, lines, iterationOf))
        if (at <= iteration)
            kept += line + "\n";
    return kept;
}

double styleHealth(StyleNetwork network)
{
    torch::NoGradGuard noGrad;
    const auto w = network->mapping->forward(sampleLatents(StyleHealthSamples, network->config.latentSize, 99));
    return principalStdRatio(toMatrix(w));
}

GanImageSource imageSourceOf(const GanConfig &config, const ProgressFn &progress)
{
    if (config.sprites)
        return GanImageSource::sprites(config.resolution);
    // Scenes, like Sprites, stream uniformly drawn factor tuples: a GAN should see every factor combination, not
    // the biased classification set's shape-hue correlation (its ratio is ignored here).
    if (config.dataset.kind == DatasetKind::Scenes)
        return GanImageSource::scenes(config.resolution, variedSceneFactorMask(config.variedSceneFactors));
    const auto dataset = buildDataset(config.dataset, progress);
    return GanImageSource::fromImages(dataset.train, config.resolution);
}

/** Removes what a fresh run wrote when it ends without a checkpoint (its folder then holds no run: the same command
 *  may run again, and the CLI removes a folder it made). Empty dir: a resume, which keeps everything. */
class UnfinishedFreshRun {
public:
    explicit UnfinishedFreshRun(fs::path dir)
        : m_dir(std::move(dir))
    {
    }
    ~UnfinishedFreshRun()
    {
        std::error_code ignored;
        if (m_dir.empty() || fs::exists(m_dir / "checkpoint.pt", ignored))
            return;
        for (const char *name : {"config.json", "metrics.jsonl", "samples.png", "generator.pt"})
            fs::remove(m_dir / name, ignored);
        fs::remove_all(m_dir / "samples", ignored);
        fs::remove_all(m_dir / "snapshots", ignored);
    }
    UnfinishedFreshRun(const UnfinishedFreshRun &) = delete;
    UnfinishedFreshRun &operator=(const UnfinishedFreshRun &) = delete;

private:
    fs::path m_dir;
};

struct RunState {
    int iteration = 0;
    int selectedIteration = 0;
    double selectedScore = NoSelectionScore;
    std::string selectedSummary;
};

void saveCheckpoint(const std::string &path, const GanTrainer &trainer, const RunState &state)
{
    torch::serialize::OutputArchive archive;
    archive.write(CheckpointKey, torch::ones({1}));
    archive.write("iteration", torch::tensor(int64_t(state.iteration)));
    archive.write("selectedIteration", torch::tensor(int64_t(state.selectedIteration)));
    archive.write("selectedScore", torch::tensor(state.selectedScore, torch::kFloat64));
    // The scorer's report of the selected checkpoint: a resumed run reports it as an uninterrupted one does.
    archive.write("selectedSummary", c10::IValue(state.selectedSummary));
    trainer.save(archive);
    saveCheckpointArchive(archive, path);
}

RunState loadCheckpoint(const std::string &path, GanTrainer &trainer)
{
    torch::serialize::InputArchive archive;
    loadCheckpointArchive(archive, path);
    try {
        torch::Tensor marker;
        if (!archive.try_read(CheckpointKey, marker))
            throw DataError(path + " is not a GAN checkpoint");
        RunState state;
        torch::Tensor iteration, selectedIteration, selectedScore;
        archive.read("iteration", iteration);
        archive.read("selectedIteration", selectedIteration);
        archive.read("selectedScore", selectedScore);
        state.iteration = int(iteration.item<int64_t>());
        state.selectedIteration = int(selectedIteration.item<int64_t>());
        state.selectedScore = selectedScore.item<double>();
        c10::IValue summary;
        if (archive.try_read("selectedSummary", summary) && summary.isString())
            state.selectedSummary = summary.toStringRef();
        trainer.load(archive);
        return state;
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        throw DataError("cannot resume from " + path + ": " + std::string(error.what()).substr(0, 300));
    }
}

void checkResumable(const std::string &runDir, const GanConfig &config)
{
    const fs::path configPath = fs::path(runDir) / "config.json";
    if (!fs::is_regular_file(configPath))
        throw DataError(runDir + " has no config.json to resume");
    auto saved = nlohmann::json::parse(readJsonFile(configPath.string(), MaxSmallJsonBytes), nullptr, false);
    if (saved.is_discarded())
        throw DataError(runDir + "/config.json is not valid JSON");
    saved.erase("iterations");
    const auto wanted = configToJson(config);
    if (saved == wanted)
        return;
    // Name what differs, so the user knows which option to change back.
    std::string differences;
    for (const auto &[key, value] : wanted.items()) {
        const auto found = saved.find(key);
        const std::string before = found == saved.end() ? "unset" : found->dump();
        if (found == saved.end() || *found != value)
            differences
                += (differences.empty() ? "" : ", ") + key + " " + before + " in the run, " + value.dump() + " now";
    }
    for (const auto &[key, value] : saved.items())
        if (!wanted.contains(key))
            differences += (differences.empty() ? "" : ", ") + key + " " + value.dump() + " in the run, unset now";
    throw DataError("the run in " + runDir + " was started with different settings (" + differences
        + "); resume needs the same settings (only --iterations may change)");
}

} // namespace

void GanConfig::validate() const
{
    if (resolution != 32 && resolution != 64
        && !(resolution >= 8 && resolution <= 128 && (resolution & (resolution - 1)) == 0))
        throw std::invalid_argument("resolution must be a power of two from 8 to 128");
    // Checked here, not first when the image source is built, so a bad run never creates its folder.
    if (sprites && resolution != 32 && resolution != 64)
        throw std::invalid_argument(
            "Sprites render at 32 or 64 pixels, not " + std::to_string(resolution) + " (resolution)");
    if (!sprites && dataset.kind == DatasetKind::Scenes && resolution < MinSceneResolution)
        throw std::invalid_argument(
            "Scenes render at 16 pixels or more, not " + std::to_string(resolution) + " (resolution)");
    if (!variedSceneFactors.empty()) {
        if (sprites || dataset.kind != DatasetKind::Scenes)
            throw std::invalid_argument("varied scene factors are for the Scenes world only");
        variedSceneFactorMask(variedSceneFactors); // names each unknown or repeated factor
    }
    if (iterations < 1)
        throw std::invalid_argument("iterations must be at least 1");
    if (batch < 4 || batch % 4 != 0)
        throw std::invalid_argument(
            "batch must be a multiple of 4 (minibatch-stddev groups of 4), got " + std::to_string(batch));
    if (!(learningRate > 0) || !std::isfinite(learningRate))
        throw std::invalid_argument("learning rate must be positive");
    if (!(mappingLrMultiplier > 0 && mappingLrMultiplier <= 1))
        throw std::invalid_argument("mapping learning-rate multiplier must be in (0, 1]");
    // 0 failed deep in torch ("select(): index 0 out of range"), a negative count as a negative tensor dimension.
    if (discriminatorChannels < 1 || discriminatorChannels > MaxDiscriminatorChannels)
        throw std::invalid_argument("critic channels must be 1 to " + std::to_string(MaxDiscriminatorChannels)
            + ", got " + std::to_string(discriminatorChannels));
    if (discriminatorConvsPerStage < 1 || discriminatorConvsPerStage > DiscriminatorConfig::MaxConvsPerStage)
        throw std::invalid_argument("critic convolutions per stage must be 1 to "
            + std::to_string(DiscriminatorConfig::MaxConvsPerStage) + ", got "
            + std::to_string(discriminatorConvsPerStage));
    if (!(r1Gamma >= 0 && r1Gamma <= 1000))
        throw std::invalid_argument("R1 gamma must be in [0, 1000]");
    if (!(mirrorNegatives >= 0 && mirrorNegatives <= MaxMirrorNegatives))
        throw std::invalid_argument("mirror negatives weight must be in [0, 100]");
    if (!(viewNegatives >= 0 && viewNegatives <= MaxMirrorNegatives))
        throw std::invalid_argument("view negatives weight must be in [0, 100]");
    if (viewNegatives > 0 && (sprites || dataset.kind != DatasetKind::Scenes))
        throw std::invalid_argument(
            "view negatives are for the Scenes world only (they render a room from several orientations)");
    if (!viewNegativeFactors.empty()) {
        if (!(viewNegatives > 0))
            throw std::invalid_argument("view negative factors need view negatives (a weight above 0)");
        variedSceneFactorMask(viewNegativeFactors); // names each unknown or repeated factor
    }
    // Averaged over a factor the world holds, a negative would show the critic objects the stream never draws.
    if (viewNegatives > 0 && !variedSceneFactors.empty()) {
        const unsigned held = viewNegativeFactorMask(viewNegativeFactors) & ~variedSceneFactorMask(variedSceneFactors);
        for (const auto &name : sceneFactorNames())
            if (held & (1u << int(sceneFactorFromName(name))))
                throw std::invalid_argument("view negatives average over " + name
                    + ", which this world holds (varied scene factors): they would draw rooms it never shows");
    }
    if (!(shapeNegatives >= 0 && shapeNegatives <= MaxMirrorNegatives))
        throw std::invalid_argument("shape negatives weight must be in [0, 100]");
    if (shapeNegatives > 0 && !sprites)
        throw std::invalid_argument(
            "shape negatives are for the Sprites world only (they draw a sprite halfway between two shapes)");
    if (!(renderBack >= 0 && renderBack <= MaxRenderBack))
        throw std::invalid_argument("render-back weight must be in [0, 1000]");
    if (renderBack > 0 && !sprites && dataset.kind != DatasetKind::Scenes)
        throw std::invalid_argument("the render-back pull is for the Sprites and Scenes worlds only (it renders what "
                                    "the factor reader reads, and a dataset has no renderer)");
    if (!spectralNorm && !(r1Gamma > 0))
        throw std::invalid_argument("a critic without spectral norm needs the R1 penalty (r1Gamma > 0)");
    if (synthesis != Synthesis::Style && synthesis != Synthesis::ProGan)
        throw std::invalid_argument("unknown synthesis " + std::to_string(int(synthesis)));
    if (loss != Loss::Hinge && loss != Loss::Logistic)
        throw std::invalid_argument("unknown loss " + std::to_string(int(loss)));
    if (!(emaBeta >= 0 && emaBeta < 1))
        throw std::invalid_argument("EMA beta must be in [0, 1)");
    if (!growFrom.empty() && !continueFrom.empty())
        throw std::invalid_argument(
            "a run grows from a generator or continues from another run's checkpoint, not both");
    if (sampleEvery < 1 || checkpointEvery < 1)
        throw std::invalid_argument("sample and checkpoint intervals must be at least 1");
    styleConfigOf(*this, 1).validate();
}

const char *ganSynthesisKey(GanConfig::Synthesis synthesis)
{
    return synthesis == GanConfig::Synthesis::ProGan ? "progan" : "style";
}

bool parseGanSynthesis(const std::string &key, GanConfig::Synthesis &value)
{
    for (auto candidate : {GanConfig::Synthesis::Style, GanConfig::Synthesis::ProGan})
        if (key == ganSynthesisKey(candidate)) {
            value = candidate;
            return true;
        }
    return false;
}

const char *ganLossKey(GanConfig::Loss loss)
{
    return loss == GanConfig::Loss::Logistic ? "logistic" : "hinge";
}

bool parseGanLoss(const std::string &key, GanConfig::Loss &value)
{
    for (auto candidate : {GanConfig::Loss::Hinge, GanConfig::Loss::Logistic})
        if (key == ganLossKey(candidate)) {
            value = candidate;
            return true;
        }
    return false;
}

namespace {
/** Image channels a GAN of this config makes: Sprites 1, Scenes 3, other datasets as their images (counted as 3:
 *  only the last 1x1 layer and the critic's first layer depend on it). */
int ganChannels(const GanConfig &config)
{
    return config.sprites ? 1 : 3;
}
/** snapshots/iter-NNNNNN.pt: the EMA generator saved at a checkpoint. */
fs::path snapshotPath(const fs::path &dir, int iteration)
{
    char name[32];
    std::snprintf(name, sizeof name, "iter-%06d.pt", iteration);
    return dir / "snapshots" / name;
}

/** The generator a fresh run grows from (GanConfig::growFrom), or none. Throws DataError naming the file and why it
 *  does not fit. */
StyleNetwork smallerGeneratorOf(const GanConfig &config)
{
    if (config.growFrom.empty())
        return StyleNetwork(nullptr);
    auto smaller = loadStyleNetwork(config.growFrom);
    if (const auto problem = styleGrowthProblem(smaller->config, styleConfigOf(config, ganChannels(config)));
        !problem.empty())
        throw DataError("cannot grow from " + config.growFrom + ": " + problem);
    return smaller;
}

/** The checkpoint a fresh run continues from (GanConfig::continueFrom): the file, or a run folder's checkpoint.pt. */
fs::path continuedCheckpointOf(const GanConfig &config)
{
    const fs::path from(config.continueFrom);
    return fs::is_directory(from) ? from / "checkpoint.pt" : from;
}

/** Loads the run `config` continues into `trainer` (its networks and moments, this run's optimiser settings) and
 *  returns where this run starts: at that run's iteration, with a selection of its own. Throws DataError. */
RunState continueRun(const GanConfig &config, GanTrainer &trainer)
{
    const fs::path from = continuedCheckpointOf(config);
    if (!fs::is_regular_file(from))
        throw DataError("cannot continue from " + config.continueFrom + ": no GAN checkpoint there");
    const RunState saved = loadCheckpoint(from.string(), trainer);
    if (config.iterations <= saved.iteration)
        throw DataError(from.string() + " is at iteration " + std::to_string(saved.iteration)
            + ": a run that continues it needs more iterations than that, not " + std::to_string(config.iterations));
    trainer.applyConfiguredOptimiserSettings();
    RunState state;
    state.iteration = saved.iteration;
    return state;
}
} // namespace

double ganGeneratorFlops(const GanConfig &config)
{
    return 2.0 * styleNetworkMacs(styleConfigOf(config, ganChannels(config)));
}

double ganIterationFlops(const GanConfig &config)
{
    const double g = styleNetworkMacs(styleConfigOf(config, ganChannels(config)));
    const double d = discriminatorMacs(criticConfigOf(config, ganChannels(config)));
    // Backward ~ 2 x forward. D step: G fwd, D fwd + bwd on 2B images. G step: G fwd + bwd, D fwd + bwd.
    return 2.0 * config.batch * (g + 2.0 * 3.0 * d + 3.0 * g + 3.0 * d);
}

std::string ganConfigJson(const GanConfig &config)
{
    auto json = configToJson(config);
    json["iterations"] = config.iterations;
    return json.dump(2);
}

GanConfig readGanConfig(const std::string &runDir)
{
    const fs::path configPath = fs::path(runDir) / "config.json";
    if (!fs::is_regular_file(configPath))
        throw DataError(runDir + " has no config.json: not a GAN run folder");
    const auto json = nlohmann::json::parse(readJsonFile(configPath.string(), MaxSmallJsonBytes), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw DataError(configPath.string() + " is not valid JSON");
    GanConfig config;
    try {
        config.sprites = requiredSetting<bool>(json, "sprites");
        config.resolution = requiredSetting<int>(json, "resolution");
        config.iterations = optionalSetting(json, "iterations", config.iterations);
        config.batch = requiredSetting<int>(json, "batch");
        config.learningRate = requiredSetting<double>(json, "learningRate");
        config.beta1 = requiredSetting<double>(json, "beta1");
        config.beta2 = requiredSetting<double>(json, "beta2");
        config.emaBeta = requiredSetting<double>(json, "emaBeta");
        config.sampleEvery = requiredSetting<int>(json, "sampleEvery");
        config.checkpointEvery = requiredSetting<int>(json, "checkpointEvery");
        config.seed = requiredSetting<std::uint64_t>(json, "seed");
        config.latentSize = requiredSetting<int>(json, "latentSize");
        config.styleSize = requiredSetting<int>(json, "styleSize");
        config.mappingLayers = requiredSetting<int>(json, "mappingLayers");
        config.baseChannels = requiredSetting<int>(json, "baseChannels");
        config.minChannels = requiredSetting<int>(json, "minChannels");
        config.discriminatorChannels = requiredSetting<int>(json, "discriminatorChannels");
        config.mappingLrMultiplier = optionalSetting(json, "mappingLrMultiplier", 1.0);
        config.convsPerStage = optionalSetting(json, "convsPerStage", 1);
        config.discriminatorConvsPerStage = optionalSetting(json, "discriminatorConvsPerStage", 1);
        config.r1Gamma = optionalSetting(json, "r1Gamma", 0.0);
        config.mirrorNegatives = optionalSetting(json, "mirrorNegatives", 0.0);
        config.viewNegatives = optionalSetting(json, "viewNegatives", 0.0);
        config.viewNegativeFactors = optionalSetting(json, "viewNegativeFactors", std::vector<std::string>());
        config.shapeNegatives = optionalSetting(json, "shapeNegatives", 0.0);
        config.renderBack = optionalSetting(json, "renderBack", 0.0);
        config.growFrom = optionalSetting(json, "growFrom", std::string());
        config.continueFrom = optionalSetting(json, "continueFrom", std::string());
        config.spectralNorm = optionalSetting(json, "spectralNorm", true);
        config.styledInput = optionalSetting(json, "styledInput", false);
        config.variedSceneFactors = optionalSetting(json, "variedSceneFactors", std::vector<std::string>());
        if (const auto synthesis = optionalSetting<std::string>(json, "synthesis", "style");
            !parseGanSynthesis(synthesis, config.synthesis))
            throw std::invalid_argument("unknown synthesis '" + synthesis.substr(0, 40) + "'");
        if (const auto loss = optionalSetting<std::string>(json, "loss", "hinge"); !parseGanLoss(loss, config.loss))
            throw std::invalid_argument("unknown loss '" + loss.substr(0, 40) + "'");
        if (!config.sprites) {
            const auto &dataset = json.at("dataset");
            if (!parseDatasetKey(dataset.at("kind").get<std::string>(), config.dataset.kind))
                throw std::invalid_argument("unknown dataset '" + dataset.at("kind").get<std::string>() + "'");
            config.dataset.ratio = dataset.at("ratio").get<double>();
            config.dataset.seed = dataset.at("seed").get<std::uint64_t>();
            config.dataset.path = dataset.at("path").get<std::string>();
        }
        config.validate();
    } catch (const std::exception &problem) {
        throw DataError(
            configPath.string() + " does not describe a GAN run: " + std::string(problem.what()).substr(0, 200));
    }
    return config;
}

GanResult trainGan(const GanConfig &config, const GanCallbacks &callbacks, const std::string &runDir, bool resume)
{
    config.validate();
    if (runDir.empty())
        throw std::invalid_argument("a GAN run needs an output folder");
    const fs::path dir(runDir);
    const std::string checkpointPath = (dir / "checkpoint.pt").string();
    const std::string metricsPath = (dir / "metrics.jsonl").string();
    // Read and checked before the folder is claimed, so a run that cannot grow never creates it.
    const StyleNetwork smaller = resume ? StyleNetwork(nullptr) : smallerGeneratorOf(config);
    // The same for the run a fresh run continues: one whose checkpoint does not fit never creates its folder.
    std::optional<GanTrainer> trainerSlot;
    RunState state;
    if (!resume && !config.continueFrom.empty()) {
        trainerSlot.emplace(config, imageSourceOf(config, callbacks.progress));
        state = continueRun(config, *trainerSlot);
    }
    // Held for the whole run: a fresh run never lands on an earlier one, and one process writes the folder.
    const RunFolderClaim claim(runDir, RunKind::Gan, resume ? RunFolderMode::Resume : RunFolderMode::Fresh);
    if (resume) {
        checkResumable(runDir, config);
        if (!fs::exists(checkpointPath))
            throw DataError(runDir + " has no checkpoint.pt to resume from");
    }
    if (!trainerSlot)
        trainerSlot.emplace(config, imageSourceOf(config, callbacks.progress));
    GanTrainer &trainer = *trainerSlot;
    if (smaller)
        trainer.growFrom(smaller);
    // The checkpoint is read before anything in the folder changes: a run that cannot resume stays as it was.
    if (resume)
        state = loadCheckpoint(checkpointPath, trainer);
    // Everything a resume reads is checked before it changes a byte: the metrics, and generator.pt (a damaged one
    // used to surface only after every iteration had trained).
    std::string keptMetrics;
    if (resume) {
        keptMetrics = metricsUpTo(metricsPath, state.iteration);
        if (fs::exists(dir / GeneratorFileName)) {
            try {
                loadStyleNetwork((dir / GeneratorFileName).string());
            } catch (const DataError &problem) {
                throw DataError(std::string(problem.what())
                    + "; remove generator.pt and resume: it comes back from its snapshot, nothing else is lost");
            }
        }
    }
    fs::create_directories(dir / "samples");
    fs::create_directories(dir / "snapshots");
    // A resume records its new length with its first checkpoint: one that fails first leaves config.json as it was.
    bool configRecorded = false;
    const auto recordConfig = [&] {
        if (!configRecorded)
            writeFileAtomically((dir / "config.json").string(), ganConfigJson(config) + "\n");
        configRecorded = true;
    };
    if (resume)
        writeFileAtomically(metricsPath, keptMetrics);
    else
        recordConfig();
    // A fresh run that fails before its first checkpoint takes back what it wrote, so the same command can run again.
    UnfinishedFreshRun unfinished(resume ? fs::path() : dir);
    GanResult result;
    const auto start = Clock::now();
    auto lastLog = start;
    int lastLogIteration = state.iteration;

    const auto checkpoint = [&](int iteration) {
        GanCheckpoint report;
        report.iteration = iteration;
        report.styleStdRatio = styleHealth(trainer.ema());
        // Every checkpoint's EMA generator is kept (a few hundred KB each) so a run can be re-selected later.
        const std::string candidate = snapshotPath(dir, iteration).string();
        saveStyleGenerator(trainer.ema(), candidate);
        report.score
            = callbacks.scoreGenerator ? callbacks.scoreGenerator(candidate, report.summary) : double(iteration);
        if (report.score >= state.selectedScore) {
            fs::copy_file(candidate, dir / GeneratorFileName, fs::copy_options::overwrite_existing);
            state.selectedIteration = iteration;
            state.selectedScore = report.score;
            state.selectedSummary = report.summary;
            report.selected = true;
        }
        state.iteration = iteration;
        recordConfig();
        saveCheckpoint(checkpointPath, trainer, state);
        appendLineToFile(metricsPath,
            nlohmann::json(
                {{"iteration", iteration}, {"checkpoint", true}, {"score", report.score}, {"summary", report.summary},
                    {"styleStdRatio", report.styleStdRatio}, {"selected", report.selected}})
                .dump());
        if (callbacks.checkpointed)
            callbacks.checkpointed(report);
    };

    int completed = state.iteration; // the last iteration whose step finished
    try {
        for (int iteration = state.iteration + 1; iteration <= config.iterations; ++iteration) {
            GanLog log = trainer.step(iteration);
            completed = iteration;
            if (!std::isfinite(log.lossD) || !std::isfinite(log.lossG))
                throw std::runtime_error("GAN training diverged at iteration " + std::to_string(iteration)
                    + " (loss is not a number); the last checkpoint is kept");
            const bool sample = iteration % config.sampleEvery == 0 || iteration == config.iterations;
            const bool logNow = sample || iteration % GanLogEvery == 0 || log.r1Penalty >= 0; // R1's value too
            if (logNow) {
                const auto now = Clock::now();
                log.secondsPerIteration
                    = std::chrono::duration<double>(now - lastLog).count() / std::max(1, iteration - lastLogIteration);
                log.elapsedSeconds = std::chrono::duration<double>(now - start).count();
                lastLog = now;
                lastLogIteration = iteration;
                auto line = nlohmann::json(
                    {{"iteration", iteration}, {"lossD", log.lossD}, {"lossG", log.lossG}, {"realScore", log.realScore},
                        {"fakeScore", log.fakeScore}, {"secondsPerIteration", log.secondsPerIteration}});
                if (log.r1Penalty >= 0)
                    line["r1Penalty"] = log.r1Penalty;
                if (log.renderBack >= 0)
                    line["renderBack"] = log.renderBack;
                appendLineToFile(metricsPath, line.dump());
                if (callbacks.logged)
                    callbacks.logged(log);
            }
            if (sample) {
                const auto grid = tileImages(trainer.gridImages(), 8);
                char name[32];
                std::snprintf(name, sizeof name, "iter-%06d.png", iteration);
                writePngFile((dir / "samples" / name).string(), grid);
                writePngFile((dir / "samples.png").string(), grid);
                if (callbacks.samples)
                    callbacks.samples(iteration, grid);
            }
            if (iteration % config.checkpointEvery == 0 || iteration == config.iterations)
                checkpoint(iteration);
            reportProgress(callbacks.progress, double(iteration) / config.iterations,
                "GAN iteration " + std::to_string(iteration) + " of " + std::to_string(config.iterations));
        }
    } catch (const Cancelled &) {
        result.stopped = true;
        // A stop keeps every finished iteration: the checkpoint is written now (without the selection score, which
        // can take long), and a run stopped before its first checkpoint still leaves a generator to open.
        if (completed > state.iteration) {
            state.iteration = completed;
            recordConfig();
            saveCheckpoint(checkpointPath, trainer, state);
        }
        if (completed > 0 && !fs::exists(dir / GeneratorFileName))
            saveStyleGenerator(trainer.ema(), (dir / GeneratorFileName).string());
    }
    if (!fs::exists(dir / GeneratorFileName) && state.selectedIteration > 0) {
        // Removed by hand before a resume that selected nothing better: it comes back from its snapshot, so the
        // result never names a generator.pt that is not there.
        if (const auto selected = snapshotPath(dir, state.selectedIteration); fs::exists(selected))
            fs::copy_file(selected, dir / GeneratorFileName);
    }
    result.iterations = state.iteration;
    result.selected = state.selectedScore > NoSelectionScore;
    result.selectedIteration = result.selected ? state.selectedIteration : 0;
    result.selectedScore = result.selected ? state.selectedScore : 0.0;
    result.selectedSummary = state.selectedSummary;
    result.generatorPath = (dir / GeneratorFileName).string();
    if (fs::exists(result.generatorPath))
        result.styleStdRatio = styleHealth(loadStyleNetwork(result.generatorPath));
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

} // namespace untangle
