#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli factor-model`: trains the Sprites factor model (the one coverage and rescoring read with) to a file.
 */
int runFactorModelCommand(const QStringList &arguments);
} // namespace untangle::cli
