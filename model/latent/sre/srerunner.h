#pragma once
// The Scale Ranking Estimator (Kappiyath, Sreelatha et al., AAAI 2022; docs/methods/sre.md §1.3-1.6) behind std types.

#include "directions/directionset.h"
#include "progress.h"

#include <functional>
#include <string>
#include <vector>

namespace untangle {

enum class SreBackbone { LightCnn, ResNet18 };

/** Truncation psi of the latents SRE's pairs are drawn from: the authors' synthetic runs use 0.8 (docs/methods/sre.md
 *  §1.8, §4.1). */
constexpr double SreTruncation = 0.8;

/** Most images an SRE step may take: 64x the authors' 32. A step holds the batch's activations through generator and
 *  estimator for the gradients; 2^31 ended in a bare std::bad_alloc. */
constexpr int MaxSreBatch = 2048;

struct SreConfig {
    std::string generatorPath; // anything loadGenerator opens
    std::string directionsPath; // the initial DirectionSet (SeFa, GANSpace, Voynov...): K directions in w
    int steps = 6000; // the synthetic configs' 6001 (docs/methods/sre.md §1.7)
    int batch = 32; // images per step: batch / 2 pairs; even, 4 to MaxSreBatch (docs/methods/sre.md, pitfall 13)
    double learningRate = 1e-4; // Adam for both M and S (the authors', docs/methods/sre.md §1.7)
    // c > 0: eps_k ~ U(-c sigma_k, c sigma_k), sigma_k = w's std on d_k (docs/methods/sre.md §11)
    double rangeScale = 1.5;
    double truncation = SreTruncation; // psi around a fixed mean w when sampling z for pairs (1 = none)
    SreBackbone backbone = SreBackbone::LightCnn; // ResNet-18 is the paper's; the light CNN our CPU default
    unsigned long long seed = 2;
    int logEvery = 50;
    int snapshotEvery = 1000; // directions snapshot, selection score and checkpoint
    int heldOutPairs = 128; // fixed seeded pairs, never trained on: held-out ranking accuracy
    int threads = 0; // recorded only (the caller configures threads); may differ on resume
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/** One log line (also one line of OUT/metrics.jsonl). Accuracy: sign agreement of s1 - s2 with eps1 - eps2. */
struct SreLog {
    int step = 0;
    double lossS = 0.0; // step (a)'s loss
    double lossD = 0.0; // step (b)'s loss
    std::vector<double> accuracy; // per direction, on step (b)'s batch
    std::vector<double> heldOutAccuracy; // per direction, on the held-out pairs
    double heldOutMean = 0.0;
    double seconds = 0.0; // wall time of this run segment so far
};

struct SreCallbacks {
    std::function<void(const SreLog &)> logged;
    /** Fraction of all steps; returning false stops the run (Cancelled) after a checkpoint at the current step. */
    ProgressFn progress;
    /**
     * Selection score of a snapshot (higher is better), e.g. a ground-truth rescoring. Empty: the held-out mean
     * ranking accuracy of that step's estimator on pairs made with that step's directions.
     */
    std::function<double(const DirectionSet &)> selectionScore;
    /** Every liveEvery steps (and at the last), the directions as they stand, for a live view; it must not touch
     *  torch's global RNG (the run's numbers stay those of a run without it). 0 or empty: never. */
    int liveEvery = 0;
    std::function<void(int step, const DirectionSet &)> live;
};

struct SreResult {
    DirectionSet directions; // the selected snapshot, as written to OUT/directions.json
    int selectedStep = 0;
    double selectedScore = 0.0;
    std::vector<std::pair<int, double>> snapshotScores; // every snapshot step and its selection score
    SreLog lastLog;
    std::string directionsPath; // OUT/directions.json
    std::string estimatorPath; // OUT/estimator.pt (the selected step's estimator, kind "sre-estimator")
};

/**
 * Refines the initial directions with SRE on the frozen generator. The label convention is y = 1[eps1 > eps2]
 * everywhere, so the estimator's score for direction k rises with eps_k. Writes into outDir: config.json,
 * metrics.jsonl, snapshots/step-N.json every snapshotEvery steps (and at the last step), checkpoint.pt (atomic, at
 * every snapshot), estimator.pt and directions.json (the snapshot with the best selection score; method
 * "<initial>+sre"; names, notes and signs carried over; sigma = std of w along each refined direction).
 * resume continues from checkpoint.pt and reproduces an uninterrupted run; the metrics lines kept from before are
 * replayed through callbacks.logged first; settings other than the run's are refused, each difference named. outDir is
 * claimed for the run (RunFolderClaim): a fresh run refuses a non-empty folder unless overwrite; a folder in use is
 * refused. Throws std::invalid_argument (bad config), DataError (unreadable or mismatched generator / direction files,
 * a folder holding a different run or in use, K > style size), Cancelled (stop request).
 */
/** The settings of the SRE run in runDir, from its config.json, so a resume needs nothing else. Throws DataError
 *  naming the file when it is missing, not JSON, nested or huge, or holds settings validate() refuses. */
SreConfig readSreConfig(const std::string &runDir);

/** The log lines of the SRE run in runDir (metrics.jsonl), damaged lines left out; none when it has no metrics yet.
 *  Throws DataError when the file is above MaxJsonBytes. */
std::vector<SreLog> readSreLogs(const std::string &runDir);

SreResult runSre(const SreConfig &config, const SreCallbacks &callbacks, const std::string &outDir, bool resume = false,
    bool overwrite = false);

} // namespace untangle
