#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli coverage`: Sprites factor coverage of a generator (or of every snapshot of a GAN run). */
int runCoverageCommand(const QStringList &arguments);
} // namespace untangle::cli
