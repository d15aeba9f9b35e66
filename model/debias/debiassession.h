#pragma once
// model-internal: the shared training loop behind runDebias.

#include "debiasrunner.h"
#include "linearprobe.h"
#include "methodtrainer.h"
#include "runfolder.h"
#include "runfolderclaim.h"
#include "splittensors.h"

#include <chrono>
#include <memory>
#include <optional>
#include <random>

namespace untangle {

/**
 * Epochs, shuffling, evaluation, selection on valid, probes, hard-sample ranking, checkpoints and resume, for any
 * MethodTrainer. Everything that must survive a kill lives in SessionState and goes into every checkpoint.
 */
class DebiasSession {
public:
    DebiasSession(const DebiasConfig &config, const BiasedDataset &dataset, const DebiasCallbacks &callbacks,
        const std::string &runDir);

    DebiasResult run(bool resume, bool overwrite = false);

private:
    struct StageBest {
        double score = -1.0;
        int epoch = 0;
        std::vector<torch::Tensor> state; // snapshot of the stage's parameters and buffers
        EvaluationRecord record;
    };

    void trainStage(int stage, int firstEpoch);
    bool trainEpoch(int stage, int epoch, EvaluationRecord &record); // false: stop requested mid-epoch
    void evaluate(int stage, EvaluationRecord &record);
    void runProbes(int stage, int epoch);
    void select(int stage, const EvaluationRecord &record);
    void finishStage(int stage);
    HardSamples rankHardSamples();
    DebiasResult makeResult() const;
    /** The biased branch's probes at the selected stage-1 epoch (unknown before stage 1 ends or with probes off). */
    BranchHealth stage1Health() const;
    bool reportProgress(int stage, int epoch, double withinEpoch, const std::string &what);

    void writeCheckpoint(int stage, int epochsDone);
    /** Reads the checkpoint; returns {stage, epochsDone}. Throws DataError without touching the folder. */
    std::pair<int, int> loadCheckpoint();

    DebiasConfig m_config;
    const BiasedDataset &m_dataset;
    DebiasCallbacks m_callbacks;
    std::optional<RunFolder> m_folder;
    std::unique_ptr<RunFolderClaim> m_claim; // held for the whole run: one writer per folder
    SplitTensors m_train, m_valid, m_test;
    ProbeSets m_probeSets;
    std::unique_ptr<MethodTrainer> m_trainer;
    std::mt19937_64 m_shuffle;
    torch::Tensor m_generatorAfterInit; // torch's global generator right after this session drew its weights

    long long m_iteration = 0; // optimizer steps in the current stage
    int m_evaluations = 0, m_probes = 0;
    std::vector<ProbeRecord> m_stage1Probes; // end-of-epoch probes of stage 1, for the selected epoch's health
    StageBest m_best;
    EvaluationRecord m_lastRecord;
    HeadSnapshot m_stage1Deep, m_stage1Shallow;
    int m_stage1Selected = 0;
    HardSamples m_hardest;
    double m_stageSeconds[2] = {0.0, 0.0};
    int m_stageEpochs[2] = {0, 0};
    double m_priorSeconds = 0.0; // wall time of the run before a resume
    std::chrono::steady_clock::time_point m_start;
    bool m_stopped = false;
    HeadSnapshot m_selectedFinal;
};

} // namespace untangle
