#include "runfolder.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "jsonlimits.h"
#include "recordjson.h"
#include "recordlines.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace untangle {
namespace {

constexpr const char *ProbeCsvHeader = "stage,epoch,iteration,branch,target_decodability,bias_decodability";

std::vector<std::string> readLines(const std::string &path)
{
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

std::string probeCsvRow(const ProbeRecord &r)
{
    std::ostringstream csv;
    csv << r.stage << ',' << r.epoch << ',' << r.iteration << ',' << r.branch << ',' << r.targetAccuracy << ','
        << r.biasAccuracy;
    return csv.str();
}

} // namespace

RunFolder::RunFolder(std::string dir)
    : m_dir(std::move(dir))
{
}

bool RunFolder::hasCheckpoint() const
{
    return std::filesystem::is_regular_file(checkpointPath());
}

void RunFolder::create(const DebiasConfig &config, const std::vector<std::string> &heads)
{
    m_heads = heads;
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec || !std::filesystem::is_directory(m_dir))
        throw DataError(m_dir + ": cannot create the run folder (" + ec.message() + ")");
    writeFileAtomically(path("config.json"), configToJson(config) + "\n");
    writeFileAtomically(path("metrics.jsonl"), "");
    writeFileAtomically(path("metrics.csv"), evaluationCsvHeader(heads) + "\n");
    writeFileAtomically(path("probes.jsonl"), "");
    writeFileAtomically(path("probes.csv"), std::string(ProbeCsvHeader) + "\n");
    std::filesystem::remove(path("result.json"), ec);
    std::filesystem::remove(path("hardest.json"), ec);
    std::filesystem::remove(checkpointPath(), ec);
}

DebiasConfig RunFolder::readConfig() const
{
    if (!std::filesystem::is_regular_file(path("config.json")))
        throw DataError(path("config.json") + ": not found; is this a run folder?");
    const std::string text = readJsonFile(path("config.json"), MaxSmallJsonBytes); // size bounded before reading
    try {
        return configFromJson(text);
    } catch (const std::exception &error) {
        throw DataError(path("config.json") + ": " + error.what());
    }
}

std::optional<DebiasResult> RunFolder::readResult() const
{
    if (!std::filesystem::is_regular_file(path("result.json")))
        return std::nullopt;
    const std::string text = readJsonFile(path("result.json"), MaxSmallJsonBytes);
    try {
        return resultFromJson(text);
    } catch (const std::exception &error) {
        std::string what = error.what();
        throw DataError(path("result.json") + ": not a result document (" + what.substr(0, what.find('\n')) + ")");
    }
}

void RunFolder::truncateRecords(int evaluations, int probes)
{
    // Parse what is kept before anything is rewritten: a refused resume leaves the folder as it was.
    auto kept = [this](const char *name, std::size_t count, auto parse) {
        auto lines = readLines(path(name));
        if (lines.size() < count)
            throw DataError(path(name) + ": " + std::to_string(lines.size()) + " records, but the checkpoint counts "
                + std::to_string(count) + "; the folder is damaged");
        lines.resize(count);
        std::vector<decltype(parse(lines[0]))> records;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            try {
                records.push_back(parse(lines[i]));
            } catch (const std::exception &error) {
                throw DataError(path(name) + ", line " + std::to_string(i + 1) + ": not a record ("
                    + std::string(error.what()).substr(0, 120) + "); the folder is damaged");
            }
        }
        return std::make_pair(lines, records);
    };
    const auto [evaluationLines, evaluationRecords]
        = kept("metrics.jsonl", std::size_t(evaluations), evaluationFromJson);
    const auto [probeLines, probeRecords] = kept("probes.jsonl", std::size_t(probes), probeFromJson);

    std::string jsonl, csv = evaluationCsvHeader(m_heads) + "\n";
    for (std::size_t i = 0; i < evaluationLines.size(); ++i) {
        jsonl += evaluationLines[i] + '\n';
        csv += evaluationCsvRow(evaluationRecords[i], m_heads) + '\n';
    }
    writeFileAtomically(path("metrics.jsonl"), jsonl);
    writeFileAtomically(path("metrics.csv"), csv);
    jsonl.clear();
    csv = std::string(ProbeCsvHeader) + "\n";
    for (std::size_t i = 0; i < probeLines.size(); ++i) {
        jsonl += probeLines[i] + '\n';
        csv += probeCsvRow(probeRecords[i]) + '\n';
    }
    writeFileAtomically(path("probes.jsonl"), jsonl);
    writeFileAtomically(path("probes.csv"), csv);
}

void RunFolder::appendEvaluation(const EvaluationRecord &record)
{
    appendLineToFile(path("metrics.jsonl"), evaluationToJson(record));
    appendLineToFile(path("metrics.csv"), evaluationCsvRow(record, m_heads));
}

void RunFolder::appendProbe(const ProbeRecord &r)
{
    appendLineToFile(path("probes.jsonl"), probeToJson(r));
    appendLineToFile(path("probes.csv"), probeCsvRow(r));
}

void RunFolder::writeHardest(const HardSamples &hard)
{
    writeFileAtomically(path("hardest.json"), hardSamplesToJson(hard) + "\n");
}

void RunFolder::writeResult(const DebiasResult &result)
{
    writeFileAtomically(path("result.json"), resultToJson(result) + "\n");
}

void RunFolder::removeResult()
{
    std::error_code ec;
    std::filesystem::remove(path("result.json"), ec);
}

namespace {
/** Every record of a .jsonl file, by the shared policy (recordlines.h): damage named, a torn last line left out. */
template <typename Parse> auto readRecordFile(const std::string &file, Parse parse)
{
    std::vector<decltype(parse(std::string()))> records;
    for (auto &[line, record] : parseRecordLines(file, readLines(file), parse))
        records.push_back(std::move(record));
    return records;
}
} // namespace

std::vector<EvaluationRecord> RunFolder::readEvaluations() const
{
    return readRecordFile(path("metrics.jsonl"), evaluationFromJson);
}

std::vector<ProbeRecord> RunFolder::readProbes() const
{
    return readRecordFile(path("probes.jsonl"), probeFromJson);
}

} // namespace untangle
