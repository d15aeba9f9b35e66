#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli sre`: refines a direction file with the Scale Ranking Estimator. */
int runSreCommand(const QStringList &arguments);
} // namespace untangle::cli
