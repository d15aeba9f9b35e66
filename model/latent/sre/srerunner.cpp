// runSre: SreTrainer's loop with logs, snapshots, selection, checkpoints and the run folder's files.
#include "sre/srerunner.h"

#include "atomicfile.h"
#include "checkpointarchive.h"
#include "confidenceinterval.h"
#include "dataerror.h"
#include "gan/generatorfile.h"
#include "jsonlimits.h"
#include "jsonsettings.h"
#include "recordlines.h"
#include "runfolderclaim.h"
#include "sre/sretrainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace untangle {

namespace fs = std::filesystem;

void SreConfig::validate() const
{
    auto require = [](bool ok, const std::string &message) {
        if (!ok)
            throw std::invalid_argument(message);
    };
    require(!generatorPath.empty(), "SRE needs a generator");
    require(!directionsPath.empty(), "SRE needs an initial direction file");
    require(steps >= 1, "steps must be at least 1");
    require(
        batch >= 4 && batch % 2 == 0, "batch must be even and at least 4 (two pairs), got " + std::to_string(batch));
    require(batch <= MaxSreBatch,
        "batch (images per step) is too large: " + std::to_string(batch) + " (at most " + std::to_string(MaxSreBatch)
            + ")");
    require(learningRate > 0.0, "the learning rate must be positive");
    require(rangeScale > 0.0 && std::isfinite(rangeScale),
        "the eps range scale c must be a positive number (eps_k ~ U(-c sigma_k, c sigma_k)), got "
            + std::to_string(rangeScale));
    require(truncation > 0.0 && truncation <= 1.0, "truncation psi must be in (0, 1]");
    require(logEvery >= 1, "logEvery must be at least 1");
    require(snapshotEvery >= 1, "snapshotEvery must be at least 1");
    require(heldOutPairs >= 1, "heldOutPairs must be at least 1");
}

namespace {

constexpr std::int64_t SreCheckpointVersion = 1;

std::vector<double> toVector(const torch::Tensor &t)
{
    const auto d = t.to(torch::kFloat64).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

std::string shortNumber(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

/** The settings that decide what a run computes (threads only change speed, so a resume may differ there). */
nlohmann::json configJson(const SreConfig &config)
{
    return {{"generator", config.generatorPath}, {"directions", config.directionsPath}, {"steps", config.steps},
        {"batch", config.batch}, {"learningRate", config.learningRate}, {"rangeScale", config.rangeScale},
        {"truncation", config.truncation},
        {"backbone", config.backbone == SreBackbone::ResNet18 ? "resnet18" : "light-cnn"}, {"seed", config.seed},
        {"logEvery", config.logEvery}, {"snapshotEvery", config.snapshotEvery}, {"heldOutPairs", config.heldOutPairs}};
}

nlohmann::json logJson(const SreLog &log)
{
    return {{"step", log.step}, {"lossS", log.lossS}, {"lossD", log.lossD}, {"accuracy", log.accuracy},
        {"heldOutAccuracy", log.heldOutAccuracy}, {"heldOutMean", log.heldOutMean}, {"seconds", log.seconds}};
}

SreLog logFromJson(const nlohmann::json &json)
{
    return {json.at("step").get<int>(), json.at("lossS").get<double>(), json.at("lossD").get<double>(),
        json.at("accuracy").get<std::vector<double>>(), json.at("heldOutAccuracy").get<std::vector<double>>(),
        json.at("heldOutMean").get<double>(), json.at("seconds").get<double>()};
}

/** "steps: the run has 6000, asked 1000; seed: ..." for every setting that differs (empty when none). */
std::string settingDifferences(const nlohmann::json &run, const nlohmann::json &asked)
{
    std::string text;
    for (const auto &[key, value] : asked.items()) {
        const auto stored = run.find(key);
        if (stored != run.end() && *stored == value)
            continue;
        text += (text.empty() ? "" : "; ") + key + ": the run has "
            + (stored == run.end() ? std::string("none") : stored->dump()) + ", asked " + value.dump();
    }
    return text;
}

/** A metrics file's text, refused (DataError) above MaxJsonBytes before it is read; empty when there is none. */
std::string readMetricsText(const std::string &path)
{
    std::error_code error;
    if (!fs::is_regular_file(path, error))
        return {};
    const auto size = fs::file_size(path, error);
    if (error || size > MaxJsonBytes)
        throw DataError(path + ": above " + std::to_string(MaxJsonBytes >> 20) + " MiB, not an SRE metrics file");
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/** One metrics line as a log, or none when the line is damaged (too long, too deep, not a log). */
std::optional<SreLog> parseLogLine(const std::string &line)
{
    if (line.empty() || !jsonWithinLimits(line, MaxSmallJsonBytes))
        return std::nullopt;
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return std::nullopt;
    try {
        return logFromJson(json);
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

class SreSession {
public:
    SreSession(const SreConfig &config, const SreCallbacks &callbacks, const std::string &outDir)
        : m_config(config)
        , m_callbacks(callbacks)
        , m_dir(outDir)
    {
        m_config.validate();
        auto generator = loadGenerator(config.generatorPath);
        m_initial = loadDirectionSet(config.directionsPath);
        const auto shape = generator->shape();
        const int styleSize = shape.styleSize;
        m_channels = shape.channels;
        m_resolution = shape.resolution;
        m_fingerprint = generator->fingerprint();
        if (m_initial.styleSize != styleSize)
            throw DataError(config.directionsPath + ": the directions have latent size "
                + std::to_string(m_initial.styleSize) + " but the generator " + config.generatorPath
                + " edits a style space of size " + std::to_string(styleSize));
        try { // found on a generator of other images (a Sprites set on a Scenes generator of the same size)
            m_initial.requireGenerator(
                styleSize, shape.channels, shape.resolution, generator->description(), generator->fingerprint());
        } catch (const DataError &problem) {
            throw DataError(config.directionsPath + ": " + problem.what());
        }
        if (m_initial.count() > styleSize)
            throw DataError(config.directionsPath + " holds " + std::to_string(m_initial.count())
                + " directions, more than the generator's style size " + std::to_string(styleSize)
                + ": SRE keeps them orthonormal, so K must not exceed it");
        const auto rows = m_initial.matrix();
        const auto initial = torch::tensor(rows.values, torch::kFloat64).view({rows.rows, rows.cols});
        SreTrainerOptions options;
        options.batch = config.batch;
        options.learningRate = config.learningRate;
        options.rangeScale = config.rangeScale;
        options.truncation = config.truncation;
        options.backbone = config.backbone == SreBackbone::ResNet18 ? ScoreBackbone::ResNet18 : ScoreBackbone::LightCnn;
        options.seed = config.seed;
        options.heldOutPairs = config.heldOutPairs;
        try {
            m_trainer = std::make_unique<SreTrainer>(generator, initial, options);
        } catch (const std::invalid_argument &error) {
            throw DataError(config.directionsPath + ": " + error.what());
        }
    }

    SreResult run(bool resume, bool overwrite)
    {
        // Held for the whole run: a fresh run never lands on an earlier one, and one process writes the folder.
        m_claim = std::make_unique<RunFolderClaim>(m_dir, RunKind::Sre,
            resume          ? RunFolderMode::Resume
                : overwrite ? RunFolderMode::Overwrite
                            : RunFolderMode::Fresh);
        std::error_code error;
        fs::create_directories(fs::path(m_dir) / "snapshots", error);
        if (error)
            throw DataError(m_dir + ": cannot create the SRE output folder (" + error.message() + ")");
        const std::string configText = configJson(m_config).dump(1) + "\n";
        int step = 0;
        if (resume) {
            if (!fs::exists(checkpointPath()))
                throw DataError(m_dir + " has no checkpoint.pt to resume from");
            const std::string stored = readJsonFile(configPath(), MaxSmallJsonBytes);
            if (stored != configText) {
                const auto run = nlohmann::json::parse(stored, nullptr, false);
                const std::string differences = run.is_object() ? settingDifferences(run, configJson(m_config))
                                                                : std::string("its config.json is not valid JSON");
                throw DataError(configPath() + ": the folder holds an SRE run with other settings (" + differences
                    + "); resume with the run's own settings (leave the options out) or choose another folder");
            }
            step = loadCheckpoint();
            restoreMetrics(step);
        } else {
            writeFileAtomically(configPath(), configText);
            writeFileAtomically(metricsPath(), "");
        }

        const auto start = std::chrono::steady_clock::now();
        SreLog log = m_lastLog;
        while (step < m_config.steps) {
            ++step;
            const double lossS = m_trainer->stepEstimator();
            const auto directionStep = m_trainer->stepDirections();
            if (!std::isfinite(lossS) || !std::isfinite(directionStep.loss))
                throw std::runtime_error("SRE diverged at step " + std::to_string(step) + " (loss is not finite)");
            const bool last = step == m_config.steps;
            std::vector<double> heldOut;
            if (step % m_config.logEvery == 0 || last) {
                heldOut = toVector(m_trainer->heldOutAccuracy());
                log = {step, lossS, directionStep.loss, toVector(directionStep.accuracy), heldOut, sampleMean(heldOut),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
                m_lastLog = log;
                appendLineToFile(metricsPath(), logJson(log).dump());
                if (m_callbacks.logged)
                    m_callbacks.logged(log);
            }
            if (step % m_config.snapshotEvery == 0 || last) {
                if (heldOut.empty())
                    heldOut = toVector(m_trainer->heldOutAccuracy());
                snapshot(step, heldOut);
                writeCheckpoint(step);
            }
            if (m_callbacks.live && m_callbacks.liveEvery > 0 && (step % m_callbacks.liveEvery == 0 || last)) {
                // The scores are the last logged ones: a view needs the vectors, not another held-out pass.
                std::vector<double> scores = heldOut.empty() ? m_lastLog.heldOutAccuracy : heldOut;
                scores.resize(m_initial.directions.size(), 0.0);
                m_callbacks.live(step, directionSet(step, scores));
            }
            try {
                reportProgress(m_callbacks.progress, double(step) / m_config.steps,
                    "SRE step " + std::to_string(step) + " of " + std::to_string(m_config.steps));
            } catch (const Cancelled &) {
                writeCheckpoint(step); // a stop keeps every finished step: resume continues from here
                throw;
            }
        }
        return finish();
    }

private:
    std::string configPath() const { return (fs::path(m_dir) / "config.json").string(); }
    std::string metricsPath() const { return (fs::path(m_dir) / "metrics.jsonl").string(); }
    std::string checkpointPath() const { return (fs::path(m_dir) / "checkpoint.pt").string(); }
    std::string estimatorPath() const { return (fs::path(m_dir) / "estimator.pt").string(); }
    std::string snapshotPath(int step) const
    {
        return (fs::path(m_dir) / "snapshots" / ("step-" + std::to_string(step) + ".json")).string();
    }

    DirectionSet directionSet(int step, const std::vector<double> &heldOut) const
    {
        const auto rows = m_trainer->directionRows();
        const auto sigma = toVector(m_trainer->sigmaAlong(rows));
        DirectionSet set;
        set.method = m_initial.method + "+sre";
        set.generator = m_config.generatorPath;
        set.styleSize = int(rows.size(1));
        set.generatorChannels = m_channels;
        set.generatorResolution = m_resolution;
        set.generatorFingerprint = m_fingerprint;
        for (int k = 0; k < int(rows.size(0)); ++k) {
            NamedDirection direction = m_initial.directions[std::size_t(k)];
            direction.vector = toVector(rows[k]);
            direction.score = heldOut[std::size_t(k)]; // held-out ranking accuracy of direction k
            direction.sigma = sigma[std::size_t(k)];
            set.directions.push_back(std::move(direction));
        }
        set.provenance = {{"initial", m_config.directionsPath}, {"initial method", m_initial.method},
            {"generator", m_config.generatorPath}, {"seed", std::to_string(m_config.seed)},
            {"steps", std::to_string(m_config.steps)}, {"step", std::to_string(step)},
            {"learning rate", shortNumber(m_config.learningRate)}, {"range scale c", shortNumber(m_config.rangeScale)},
            {"truncation", shortNumber(m_config.truncation)}, {"batch", std::to_string(m_config.batch)},
            {"estimator", m_config.backbone == SreBackbone::ResNet18 ? "resnet18" : "light-cnn"},
            {"label convention", "y = 1[eps1 > eps2]: the estimator's score rises with eps"}};
        return set;
    }

    void snapshot(int step, const std::vector<double> &heldOut)
    {
        const DirectionSet set = directionSet(step, heldOut);
        saveDirectionSet(set, snapshotPath(step));
        const double score = m_callbacks.selectionScore ? m_callbacks.selectionScore(set) : sampleMean(heldOut);
        m_scores.emplace_back(step, score);
        if (m_bestStep == 0 || score > m_bestScore) {
            m_bestStep = step;
            m_bestScore = score;
            saveScoreFile({m_trainer->estimator(), "sre-estimator", (fs::path(m_dir) / "directions.json").string()},
                estimatorPath());
        }
    }

    void writeCheckpoint(int step)
    {
        torch::serialize::OutputArchive archive;
        archive.write("version", torch::tensor(SreCheckpointVersion));
        archive.write("step", torch::tensor(std::int64_t(step)));
        archive.write("best_step", torch::tensor(std::int64_t(m_bestStep)));
        archive.write("best_score", torch::tensor(m_bestScore, torch::kFloat64));
        nlohmann::json scores = nlohmann::json::array();
        for (const auto &[s, score] : m_scores)
            scores.push_back({s, score});
        archive.write("snapshot_scores", textTensor(scores.dump()));
        archive.write("last_log", textTensor(logJson(m_lastLog).dump()));
        m_trainer->save(archive);
        saveCheckpointArchive(archive, checkpointPath());
    }

    int loadCheckpoint()
    {
        torch::serialize::InputArchive archive;
        loadCheckpointArchive(archive, checkpointPath());
        try {
            if (readRecord(archive, "version").item<std::int64_t>() != SreCheckpointVersion)
                throw DataError(checkpointPath() + ": an SRE checkpoint of another version");
            const int step = int(readRecord(archive, "step").item<std::int64_t>());
            m_bestStep = int(readRecord(archive, "best_step").item<std::int64_t>());
            m_bestScore = readRecord(archive, "best_score").item<double>();
            const std::string scoresText = tensorText(readRecord(archive, "snapshot_scores"));
            checkJsonLimits(scoresText, checkpointPath() + " (snapshot scores)");
            for (const auto &item : nlohmann::json::parse(scoresText))
                m_scores.emplace_back(item.at(0).get<int>(), item.at(1).get<double>());
            const std::string lastText = tensorText(readRecord(archive, "last_log"));
            checkJsonLimits(lastText, checkpointPath() + " (last log)", MaxSmallJsonBytes);
            m_lastLog = logFromJson(nlohmann::json::parse(lastText));
            m_trainer->load(archive);
            return step;
        } catch (const DataError &) {
            throw;
        } catch (const std::exception &error) {
            std::string what = error.what();
            throw DataError(
                checkpointPath() + ": not a readable SRE checkpoint (" + what.substr(0, what.find('\n')) + ")");
        }
    }

    /**
     * Keeps the metrics lines up to the checkpoint's step (later ones are recomputed by the resumed run) and replays
     * them through the logged callback, so a live view of a resumed run draws its whole curve.
     */
    void restoreMetrics(int step)
    {
        std::istringstream text(readMetricsText(metricsPath()));
        std::vector<std::string> lines;
        for (std::string line; std::getline(text, line);)
            lines.push_back(line);
        // The shared record policy (recordlines.h): a damaged line refuses the resume, a torn last line is dropped.
        const auto logOf = [](const std::string &line) {
            auto log = parseLogLine(line);
            if (!log)
                throw std::runtime_error("not a metrics line");
            return *log;
        };
        std::vector<SreLog> kept;
        for (const auto &[line, log] : parseRecordLines(metricsPath(), lines, logOf)) {
            if (log.step > step)
                continue; // later steps are recomputed
            m_metrics += line + "\n";
            kept.push_back(log);
        }
        writeFileAtomically(metricsPath(), m_metrics);
        if (m_callbacks.logged)
            for (const SreLog &log : kept)
                m_callbacks.logged(log);
    }

    SreResult finish()
    {
        SreResult result;
        result.directions = loadDirectionSet(snapshotPath(m_bestStep));
        result.directions.provenance.emplace_back("selected step", std::to_string(m_bestStep));
        result.directions.provenance.emplace_back(
            "selection", m_callbacks.selectionScore ? "caller's score" : "held-out mean ranking accuracy");
        result.directions.provenance.emplace_back("selection score", shortNumber(m_bestScore));
        result.directionsPath = (fs::path(m_dir) / "directions.json").string();
        saveDirectionSet(result.directions, result.directionsPath);
        result.selectedStep = m_bestStep;
        result.selectedScore = m_bestScore;
        result.snapshotScores = m_scores;
        result.lastLog = m_lastLog;
        result.estimatorPath = estimatorPath();
        return result;
    }

    SreConfig m_config;
    SreCallbacks m_callbacks;
    std::string m_dir;
    DirectionSet m_initial;
    int m_channels = 0, m_resolution = 0; // what the generator draws, recorded in every set saved
    std::string m_fingerprint; // and which weights
    std::unique_ptr<SreTrainer> m_trainer;
    std::string m_metrics;
    std::unique_ptr<RunFolderClaim> m_claim;
    SreLog m_lastLog;
    int m_bestStep = 0;
    double m_bestScore = 0.0;
    std::vector<std::pair<int, double>> m_scores;
};

} // namespace

std::vector<SreLog> readSreLogs(const std::string &runDir)
{
    std::vector<SreLog> logs;
    std::istringstream lines(readMetricsText((fs::path(runDir) / "metrics.jsonl").string()));
    for (std::string line; std::getline(lines, line);)
        if (auto log = parseLogLine(line))
            logs.push_back(std::move(*log));
    return logs;
}

SreConfig readSreConfig(const std::string &runDir)
{
    const std::string path = (fs::path(runDir) / "config.json").string();
    if (!fs::is_regular_file(path))
        throw DataError(runDir + " has no config.json: not an SRE run folder");
    const auto json = nlohmann::json::parse(readJsonFile(path, MaxSmallJsonBytes), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw DataError(path + " is not valid JSON");
    if (!json.contains("directions") || !json.contains("rangeScale"))
        throw DataError(path + " is not an SRE run's config (it has no \"directions\" or \"rangeScale\")");
    SreConfig config;
    try {
        config.generatorPath = requiredSetting<std::string>(json, "generator");
        config.directionsPath = requiredSetting<std::string>(json, "directions");
        config.steps = requiredSetting<int>(json, "steps");
        config.batch = requiredSetting<int>(json, "batch");
        config.learningRate = requiredSetting<double>(json, "learningRate");
        config.rangeScale = requiredSetting<double>(json, "rangeScale");
        config.truncation = requiredSetting<double>(json, "truncation");
        const auto backbone = requiredSetting<std::string>(json, "backbone");
        if (backbone != "resnet18" && backbone != "light-cnn")
            throw DataError(path + ": unknown estimator backbone \"" + backbone + "\"");
        config.backbone = backbone == "resnet18" ? SreBackbone::ResNet18 : SreBackbone::LightCnn;
        config.seed = requiredSetting<unsigned long long>(json, "seed");
        config.logEvery = requiredSetting<int>(json, "logEvery");
        config.snapshotEvery = requiredSetting<int>(json, "snapshotEvery");
        config.heldOutPairs = requiredSetting<int>(json, "heldOutPairs");
        config.validate();
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        std::string what = error.what();
        throw DataError(path + ": not a readable SRE config (" + what.substr(0, what.find('\n')) + ")");
    }
    return config;
}

SreResult runSre(
    const SreConfig &config, const SreCallbacks &callbacks, const std::string &outDir, bool resume, bool overwrite)
{
    SreSession session(config, callbacks, outDir);
    return session.run(resume, overwrite);
}

} // namespace untangle
