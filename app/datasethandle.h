#pragma once

#include "biaseddataset.h"
#include "datasetcounts.h"
#include "datasetspec.h"
#include "progress.h"

#include <QMetaType>

#include <memory>

namespace untangle {

/** A built dataset with what every view needs to know about it. Immutable once built, so sharing is safe. */
struct BuiltDataset {
    DatasetSpec spec;
    BiasedDataset dataset;
    SplitCounts train, valid, test;
    double buildSeconds = 0.0;
};

/** How a built dataset crosses threads: a shared pointer to const, never a copy of the pixels. */
using DatasetHandle = std::shared_ptr<const BuiltDataset>;

/** Builds and counts, timing the build; throws what buildDataset throws. */
DatasetHandle buildDatasetHandle(const DatasetSpec &spec, const ProgressFn &progress = {});

} // namespace untangle

Q_DECLARE_METATYPE(untangle::DatasetHandle)
