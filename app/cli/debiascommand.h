#pragma once

#include <QStringList>

namespace untangle::cli {

/**
 * `untangle-cli debias|erm|lff ...`: trains one method on a dataset into a run folder and prints the result
 * (text, or one JSON document with --json); a progress line on stderr.
 */
int runDebiasCommand(const QString &method, const QStringList &arguments);

} // namespace untangle::cli
