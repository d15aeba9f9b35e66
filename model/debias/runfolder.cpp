#include "runfolder.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "recordjson.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace untangle {
namespace {

constexpr const char *ProbeCsvHeader = "stage,epoch,iteration,branch,target_decodability,bias_decodability";

void appendLine(const std::string &path, const std::string &line)
{
    std::ofstream out(path, std::ios::app);
    out << line << '\n';
    out.flush();
    if (!out)
        throw DataError(path + ": cannot append (disk full or folder removed?)");
}

std::vector<std::string> readLines(const std::string &path)
{
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

/** Keeps the first `keep` lines (a partly written last line from a killed run goes too). */
void keepLines(const std::string &path, std::size_t keep)
{
    auto lines = readLines(path);
    if (lines.size() > keep)
        lines.resize(keep);
    std::string text;
    for (const auto &line : lines)
        text += line + '\n';
    writeFileAtomically(path, text);
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
    std::ifstream in(path("config.json"));
    if (!in)
        throw DataError(path("config.json") + ": not found; is this a run folder?");
    std::stringstream text;
    text << in.rdbuf();
    try {
        return configFromJson(text.str());
    } catch (const std::exception &error) {
        throw DataError(path("config.json") + ": " + error.what());
    }
}

void RunFolder::truncateRecords(int evaluations, int probes)
{
    keepLines(path("metrics.jsonl"), std::size_t(evaluations));
    keepLines(path("metrics.csv"), std::size_t(evaluations) + 1);
    keepLines(path("probes.jsonl"), std::size_t(probes));
    keepLines(path("probes.csv"), std::size_t(probes) + 1);
}

void RunFolder::appendEvaluation(const EvaluationRecord &record)
{
    appendLine(path("metrics.jsonl"), evaluationToJson(record));
    appendLine(path("metrics.csv"), evaluationCsvRow(record, m_heads));
}

void RunFolder::appendProbe(const ProbeRecord &r)
{
    appendLine(path("probes.jsonl"), probeToJson(r));
    std::ostringstream csv;
    csv << r.stage << ',' << r.epoch << ',' << r.iteration << ',' << r.branch << ',' << r.targetAccuracy << ','
        << r.biasAccuracy;
    appendLine(path("probes.csv"), csv.str());
}

void RunFolder::writeHardest(const HardSamples &hard)
{
    writeFileAtomically(path("hardest.json"), hardSamplesToJson(hard) + "\n");
}

void RunFolder::writeResult(const DebiasResult &result)
{
    writeFileAtomically(path("result.json"), resultToJson(result) + "\n");
}

std::vector<EvaluationRecord> RunFolder::readEvaluations() const
{
    std::vector<EvaluationRecord> records;
    for (const auto &line : readLines(path("metrics.jsonl")))
        records.push_back(evaluationFromJson(line));
    return records;
}

std::vector<ProbeRecord> RunFolder::readProbes() const
{
    std::vector<ProbeRecord> records;
    for (const auto &line : readLines(path("probes.jsonl")))
        records.push_back(probeFromJson(line));
    return records;
}

} // namespace untangle
