#pragma once

#include <QStringList>

namespace untangle::cli {

/**
 * `untangle-cli table RUN_DIR...`: reads each run folder's result.json and prints one Markdown table, a row per
 * (dataset, method, ratio) with mean and std over the seeds found: selected-epoch and last-epoch unbiased test
 * accuracy, conflicting and worst group, and for DeNetDM the stage-1 branches. --json prints the rows as JSON.
 */
int runTableCommand(const QStringList &arguments);

} // namespace untangle::cli
