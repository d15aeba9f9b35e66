#pragma once

#include "datasethandle.h"

#include <QJsonObject>
#include <QString>

namespace untangle {

/**
 * A built dataset's counts as JSON: {dataset, description, spec, numTargets, numBiases, targetNames, biasNames,
 * splits: {train|valid|test: {total, aligned, conflicting, perClass, conflictingPerClass, cells}}, factors:
 * [{name, count}] (the ground-truth factors of procedural datasets, else empty), buildSeconds, warnings}. The CLI
 * prints it; run folders store it.
 */
QJsonObject datasetReportJson(const BuiltDataset &built);

/** The same counts as a table for people (the CLI's default output). */
QString datasetReportText(const BuiltDataset &built);

} // namespace untangle
