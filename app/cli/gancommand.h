#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli gan`: trains the built-in style GAN into a run folder. */
int runGanCommand(const QStringList &arguments);
} // namespace untangle::cli
