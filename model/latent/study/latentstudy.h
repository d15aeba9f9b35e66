#pragma once
// The issue-5 experiment in one resumable call: {random, SeFa, GANSpace, Voynov-Babenko} x {before SRE, after SRE} on
// one or more generators and several seeds, scored by the paper's disentanglement protocol, the Sprites rescoring
// matrix (ours and the authors' statistic, issue 12) and retrieval, every score beside its noise floor. Std types only.
#include "progress.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace untangle {

struct LatentStudyConfig {
    std::vector<std::string> generators; // >= 1 (2 generator seeds before calling a difference real)
    // "random": seeded random orthonormal directions, the control row (issue 12)
    std::vector<std::string> methods {"random", "sefa", "ganspace", "voynov"};
    int seeds = 3; // SRE seeds; evaluation seed s pairs with SRE seed s
    int directionCount = 10; // K
    int voynovSteps = 2000;
    int sreSteps = 6000; // the authors' budget (docs/methods/sre.md §1.7, §12)
    double sreLearningRate = 1e-4;
    double sreRange = 1.5; // c
    int sreSnapshotEvery = 500;
    std::string sreBackbone = "light"; // the SRE estimator: "light" (our CPU default) or "resnet18" (the paper's)
    // Evaluation counts (the paper's are the defaults of directionevaluation.h; a CPU budget may lower them).
    int evaluationImages = 10000;
    int evaluationEpochs = 20;
    int migPoints = 10000;
    int dciPoints = 5000; // train and test each
    int retrievalPool = 5000;
    int retrievalK = 5;
    std::string outDir;
    /** -1: everything. Otherwise only that generator's stages, and no table: lets two processes share a study. */
    int onlyGenerator = -1;
    /** Compute nothing: the table of the (generator, seed) runs finished so far (a long study's interim result). */
    bool tableOnly = false;
    /** Directions, SRE and the rescoring matrix only: no encoder protocol, no retrieval. What a sweep over SRE's
     *  settings needs (the authors' statistic is read off the generator's world); the same folder can be completed
     *  later without it. */
    bool rescoringOnly = false;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/** One direction set's headline numbers: "mig", "migFloor", "dciD", ..., "spillOver", "retrievalPrecision", .... */
using StudyScores = std::map<std::string, double>;

struct StudyCell {
    std::string method; // "sefa", ...
    bool refined = false; // after SRE
    std::vector<StudyScores> runs; // one per (generator, seed)
};

struct LatentStudyResult {
    std::vector<StudyCell> cells; // method-major, before then after
    std::vector<std::string> generatorSummaries; // W std ratio and coverage per generator
    std::string tableMarkdown; // also written to outDir/table.md
};

/**
 * Runs (or resumes: every finished stage's files are reused) the whole study under outDir:
 * g<i>/<method>/directions.json, g<i>/<method>/sre-s<s>/..., evaluation and rescoring JSON beside them, and
 * outDir/table.md + study.json. Throws what the stages throw; Cancelled on a stop request (finished stages stay).
 */
LatentStudyResult runLatentStudy(const LatentStudyConfig &config, const ProgressFn &progress = {});

/**
 * The table: rows method x {before, after}, columns the scores as mean +- std over runs, the authors' rescoring
 * statistic as mean [95% interval] (a t-interval over runs; with one run, that run's bootstrap interval over z), a
 * floor row.
 */
std::string formatStudyTable(const std::vector<StudyCell> &cells, const std::vector<std::string> &generatorSummaries);

} // namespace untangle
