#pragma once

#include "datasetspec.h"

class QSettings;

namespace untangle {

/** The dataset builder's last choices, kept between sessions. */
void saveDatasetSpec(QSettings &settings, const DatasetSpec &spec);
DatasetSpec loadDatasetSpec(const QSettings &settings);

} // namespace untangle
