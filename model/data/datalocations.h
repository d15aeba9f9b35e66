#pragma once

#include <string>

namespace untangle {

/** Where Untangle keeps its data: $UNTANGLE_DATA_DIR, else $XDG_DATA_HOME/untangle, else ~/.local/share/untangle. */
std::string dataHome();

/** Where new run folders go by default (the GUI's runs): dataHome()/runs, beside the data, one place for both. */
std::string runsHome();

/** Untangle's cache (rebuildable files): $XDG_CACHE_HOME/untangle (absolute values only), else ~/.cache/untangle. */
std::string cacheHome();

/** The MNIST-10k IDX files that packaging/fetch-data.sh writes under dataHome(). */
std::string mnist10kImagesPath();
std::string mnist10kLabelsPath();

/** Fashion-MNIST from the Debian package dataset-fashion-mnist ($UNTANGLE_FASHION_DIR overrides the folder). */
std::string fashionMnistDir();

/** The command that installs a missing dataset, quoted in every "data missing" message. */
constexpr const char *FetchMnistCommand = "untangle-cli fetch-data, or Data > Fetch MNIST-10k in the app";
constexpr const char *FetchFashionCommand = "sudo apt-get install dataset-fashion-mnist";

/**
 * Paths of a train/test IDX pair inside dir: the standard names (train-images-idx3-ubyte, t10k-labels-idx1-ubyte, ...)
 * with or without .gz, whichever exists. Throws DataError listing the file names looked for when one is missing.
 */
struct IdxPairPaths {
    std::string trainImages, trainLabels, testImages, testLabels;
};
IdxPairPaths findIdxPair(const std::string &dir, const std::string &fetchHint);

} // namespace untangle
