#pragma once

#include <QStringList>

namespace untangle::cli {

/** `untangle-cli dataset ...`: builds a dataset, prints its counts (text or --json), optionally exports it. */
int runDatasetCommand(const QStringList &arguments);

} // namespace untangle::cli
