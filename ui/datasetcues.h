#pragma once

#include "datasetspec.h"

#include <QString>

namespace untangle {

/** What a dataset's target and bias are, in words a sentence can use ("digit", "colour"). */
struct DatasetCues {
    QString target = QStringLiteral("target"); // e.g. "digit", "garment", "shape"
    QString bias = QStringLiteral("bias"); // e.g. "colour", "corruption", "position"
    QString rule; // how the bias follows the target in aligned training images
};

DatasetCues datasetCues(DatasetKind kind);

} // namespace untangle
