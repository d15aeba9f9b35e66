// DebiasSession's checkpoints: everything a resumed run needs to continue exactly where the last epoch ended.
#include "debiassession.h"

#include "checkpointarchive.h"
#include "dataerror.h"
#include "recordjson.h"

#include <filesystem>
#include <sstream>

namespace untangle {
namespace {

constexpr std::int64_t CheckpointVersion = 1; // bump when the layout changes; older files are refused clearly

torch::Tensor integer(long long v)
{
    return torch::tensor(std::int64_t(v), torch::kInt64);
}

torch::Tensor real(double v)
{
    return torch::tensor(v, torch::kFloat64);
}

} // namespace

void DebiasSession::writeCheckpoint(int stage, int epochsDone)
{
    torch::serialize::OutputArchive archive;
    archive.write("version", integer(CheckpointVersion));
    archive.write("method", textTensor(methodKey(m_config.method)));
    archive.write("stage", integer(stage));
    archive.write("epochs_done", integer(epochsDone));
    archive.write("iteration", integer(m_iteration));
    std::ostringstream rng;
    rng << m_shuffle;
    archive.write("shuffle_rng", textTensor(rng.str()));
    archive.write("evaluations", integer(m_evaluations));
    archive.write("probes", integer(m_probes));
    archive.write("best_score", real(m_best.score));
    archive.write("best_epoch", integer(m_best.epoch));
    archive.write("best_record", textTensor(m_best.epoch > 0 ? evaluationToJson(m_best.record) : std::string()));
    archive.write("best_state_count", integer(std::int64_t(m_best.state.size())));
    for (std::size_t i = 0; i < m_best.state.size(); ++i)
        archive.write("best_state/" + std::to_string(i), m_best.state[i]);
    archive.write("last_record", textTensor(evaluationToJson(m_lastRecord)));
    archive.write("stage1_selected", integer(m_stage1Selected));
    archive.write("stage1_deep", textTensor(snapshotToJson(m_stage1Deep)));
    archive.write("stage1_shallow", textTensor(snapshotToJson(m_stage1Shallow)));
    archive.write("hardest", textTensor(hardSamplesToJson(m_hardest)));
    archive.write("stage_seconds", torch::tensor({m_stageSeconds[0], m_stageSeconds[1]}, torch::kFloat64));
    archive.write(
        "stage_epochs", torch::tensor({std::int64_t(m_stageEpochs[0]), std::int64_t(m_stageEpochs[1])}, torch::kInt64));
    const double elapsed
        = m_priorSeconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    archive.write("elapsed_seconds", real(elapsed));
    m_trainer->save(archive);

    // A kill or a full disk during the write leaves the previous checkpoint; a damaged file is refused on resume.
    saveCheckpointArchive(archive, m_folder->checkpointPath());
}

std::pair<int, int> DebiasSession::loadCheckpoint()
{
    const std::string path = m_folder->checkpointPath();
    const DebiasConfig stored = m_folder->readConfig();
    // Threads change speed, not what is computed: a run may resume on another machine or thread count.
    if (const std::string differences = configDifferences(stored, m_config); !differences.empty())
        throw DataError(m_folder->dir() + "/config.json: the folder holds a run with other settings (" + differences
            + ", the folder's first); resume without those options or choose another folder");
    torch::serialize::InputArchive archive;
    loadCheckpointArchive(archive, path);
    try {
        torch::Tensor t = readRecord(archive, "version");
        if (t.item<std::int64_t>() != CheckpointVersion)
            throw DataError(path + ": checkpoint version " + std::to_string(t.item<std::int64_t>())
                + ", this build reads " + std::to_string(CheckpointVersion));
        t = readRecord(archive, "method");
        if (tensorText(t) != methodKey(m_config.method))
            throw DataError(path + ": a checkpoint of method " + tensorText(t) + ", not " + methodKey(m_config.method));
        t = readRecord(archive, "stage");
        const int stage = int(t.item<std::int64_t>());
        t = readRecord(archive, "epochs_done");
        const int epochsDone = int(t.item<std::int64_t>());
        t = readRecord(archive, "iteration");
        m_iteration = t.item<std::int64_t>();
        t = readRecord(archive, "shuffle_rng");
        std::istringstream(tensorText(t)) >> m_shuffle;
        t = readRecord(archive, "evaluations");
        m_evaluations = int(t.item<std::int64_t>());
        t = readRecord(archive, "probes");
        m_probes = int(t.item<std::int64_t>());
        t = readRecord(archive, "best_score");
        m_best.score = t.item<double>();
        t = readRecord(archive, "best_epoch");
        m_best.epoch = int(t.item<std::int64_t>());
        t = readRecord(archive, "best_record");
        if (m_best.epoch > 0)
            m_best.record = evaluationFromJson(tensorText(t));
        t = readRecord(archive, "best_state_count");
        const auto count = t.item<std::int64_t>();
        m_best.state.clear();
        for (std::int64_t i = 0; i < count; ++i) {
            torch::Tensor state;
            archive.read("best_state/" + std::to_string(i), state);
            m_best.state.push_back(state);
        }
        t = readRecord(archive, "last_record");
        m_lastRecord = evaluationFromJson(tensorText(t));
        t = readRecord(archive, "stage1_selected");
        m_stage1Selected = int(t.item<std::int64_t>());
        t = readRecord(archive, "stage1_deep");
        m_stage1Deep = snapshotFromJson(tensorText(t));
        t = readRecord(archive, "stage1_shallow");
        m_stage1Shallow = snapshotFromJson(tensorText(t));
        t = readRecord(archive, "hardest");
        m_hardest = hardSamplesFromJson(tensorText(t));
        t = readRecord(archive, "stage_seconds");
        m_stageSeconds[0] = t[0].item<double>();
        m_stageSeconds[1] = t[1].item<double>();
        t = readRecord(archive, "stage_epochs");
        m_stageEpochs[0] = int(t[0].item<std::int64_t>());
        m_stageEpochs[1] = int(t[1].item<std::int64_t>());
        t = readRecord(archive, "elapsed_seconds");
        m_priorSeconds = t.item<double>();
        m_trainer->load(archive, stage, m_train.images);
        if (stage == 2 && m_best.epoch > 0)
            if (const HeadAccuracy *head = m_best.record.findHead(m_trainer->finalHead()))
                m_selectedFinal = HeadSnapshot {m_best.epoch, head->valid, head->test};
        return {stage, epochsDone};
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        std::string what = error.what();
        what = what.substr(0, what.find('\n'));
        throw DataError(path + ": not a readable Untangle checkpoint (" + what + ")");
    }
}

DebiasResult runDebias(const DebiasConfig &config, const BiasedDataset &dataset, const DebiasCallbacks &callbacks,
    const std::string &runDir, bool resume, bool overwrite)
{
    DebiasSession session(config, dataset, callbacks, runDir);
    return session.run(resume, overwrite);
}

} // namespace untangle
