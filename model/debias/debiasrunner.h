#pragma once

#include "biaseddataset.h"
#include "debiasrecords.h"
#include "progress.h"

#include <functional>
#include <stdexcept>
#include <string>

namespace untangle {

/** What a running debias job reports, as it happens (called on the training thread). */
struct DebiasCallbacks {
    std::function<void(const EvaluationRecord &)> evaluated;
    std::function<void(const ProbeRecord &)> probed;
    std::function<void(const HardSamples &)> hardSamples;
    /** Fraction of all epochs and a status line; returning false stops the run after the current batch. */
    ProgressFn progress;
};

/** Training went wrong in a way the user must hear about (e.g. the loss became NaN). */
class TrainingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/**
 * Trains config.method on dataset and reports through callbacks. With runDir, everything is also written to that
 * run folder (see RunFolder) and a checkpoint after every epoch; resume continues from the folder's checkpoint
 * (the config must match) and reproduces what an uninterrupted run would have produced. The folder is claimed for
 * the run (RunFolderClaim): a fresh run refuses a non-empty folder unless overwrite, and a folder another process
 * writes is refused. A stop request ends the run at the last complete epoch (result.stopped; no result.json is
 * written for it). Throws TrainingError (NaN, ...), DataError (bad, busy or non-empty folder, damaged checkpoint,
 * with the folder left as it was), std::invalid_argument (bad config).
 */
DebiasResult runDebias(const DebiasConfig &config, const BiasedDataset &dataset, const DebiasCallbacks &callbacks = {},
    const std::string &runDir = {}, bool resume = false, bool overwrite = false);

} // namespace untangle
