#pragma once

#include "debiasconfig.h"
#include "groupaccuracy.h"

#include <limits>
#include <string>
#include <vector>

namespace untangle {

/** One head's accuracy on the unbiased splits (valid selects, test reports). */
struct HeadAccuracy {
    std::string head; // "poe", "deep", "shallow", "target" (DeNetDM); "model" (ERM); "debiased", "biased" (LfF)
    GroupAccuracy valid;
    GroupAccuracy test;
};

/** What one evaluation (end of an epoch) reports. Losses are means over the epoch's batches. */
struct EvaluationRecord {
    int stage = 1; // 1 or 2 (DeNetDM); baselines are stage 1
    int epoch = 0; // 1-based within the stage
    long long iteration = 0; // optimizer steps so far in this stage
    double trainLoss = 0.0;
    double trainLossAligned = 0.0; // per-sample CE of the trained objective's prediction, aligned samples
    double trainLossConflicting = 0.0; // the same on conflicting samples
    double poeLoss = 0.0; // stage 2: the PoE term; stage 1: the whole loss
    double distillLoss = 0.0; // stage 2 only
    double epochSeconds = 0.0; // training time of this epoch (evaluation excluded)
    double evalSeconds = 0.0;
    double samplesPerSecond = 0.0;
    std::vector<HeadAccuracy> heads;

    const HeadAccuracy *findHead(const std::string &name) const;
};

/** Linear decodability of the target and the bias attribute from a frozen branch's features (paper Figs. 2-3). */
struct ProbeRecord {
    int stage = 1;
    int epoch = 0; // 0 while inside the first epoch
    long long iteration = 0;
    std::string branch; // "deep", "shallow", "target", "model"
    double targetAccuracy = 0.0; // decoder trained on valid, scored on test
    double biasAccuracy = 0.0;
};

/**
 * How cleanly stage 1's biased branch (DeNetDM's deep branch, LfF's biased model) holds the cue, from the linear
 * probes at the selected stage-1 epoch: the bias should stay decodable from its features while the target fades.
 * Steadier than the branch's own read-out through the shared head, which the PoE loss never trains alone and which
 * swings between epochs. NaN when probes were off.
 */
struct BranchHealth {
    std::string branch;
    int epoch = 0;
    double biasDecodability = std::numeric_limits<double>::quiet_NaN();
    double targetDecodability = std::numeric_limits<double>::quiet_NaN();
    bool known() const { return biasDecodability == biasDecodability; }
    /** bias minus target decodability: near 1 for a clean cue branch, near 0 or below when it learned the target. */
    double split() const { return biasDecodability - targetDecodability; }
};

/** The training samples a biased branch finds hardest: DeNetDM's implicit discovery of bias-conflicting samples. */
struct HardSamples {
    std::string branch;
    std::vector<int> indices; // train indices, hardest first (top k)
    std::vector<double> losses;
    int k = 0; // = number of truly conflicting training samples
    double precision = 0.0; // share of the top k that really are conflicting
    double baseRate = 0.0; // the share of conflicting samples overall (what a random ranking scores)
};

/** Numbers of one head at one epoch. */
struct HeadSnapshot {
    int epoch = 0;
    GroupAccuracy valid;
    GroupAccuracy test;
};

/** The outcome of a run, as the CLI prints it and result.json stores it. */
struct DebiasResult {
    DebiasConfig config;
    std::string finalHead; // the head a user would deploy: target / model / debiased
    HeadSnapshot selected; // the epoch with the best valid unbiased accuracy (never chosen on test)
    HeadSnapshot last;
    // Stage 1 of DeNetDM: both branches at the selected stage-1 epoch (test numbers).
    HeadSnapshot stage1Deep, stage1Shallow;
    int stage1SelectedEpoch = 0;
    HardSamples hardest;
    BranchHealth stage1Health;
    double stage1SecondsPerEpoch = 0.0;
    double stage2SecondsPerEpoch = 0.0;
    double totalSeconds = 0.0;
    bool stopped = false; // stopped by the user before the planned epochs
};

} // namespace untangle
