#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli retrieve`: images like a query along one direction (attribute), with ground-truth scoring. */
int runRetrieveCommand(const QStringList &arguments);
} // namespace untangle::cli
