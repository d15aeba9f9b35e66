#pragma once

#include "biaseddataset.h"
#include "datasetspec.h"
#include "progress.h"

namespace untangle {

/**
 * Builds the dataset a spec describes, reading sources through the process-wide cache. Deterministic for a spec.
 * Throws DataError with a message for people (missing data names the command that fetches it), Cancelled when
 * progress asks to stop.
 */
BiasedDataset buildDataset(const DatasetSpec &spec, const ProgressFn &progress = {});

} // namespace untangle
