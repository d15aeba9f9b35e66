#include "datalocations.h"

#include "dataerror.h"

#include <cstdlib>
#include <filesystem>

namespace untangle {
namespace {

std::string environment(const char *name)
{
    const char *value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

std::string findIdxFile(const std::string &dir, const std::string &stem, const std::string &fetchHint)
{
    for (const std::string &candidate : {dir + "/" + stem, dir + "/" + stem + ".gz"})
        if (std::filesystem::is_regular_file(candidate))
            return candidate;
    throw DataError(dir + "/" + stem + "[.gz]: file not found. Install it with: " + fetchHint);
}

} // namespace

std::string dataHome()
{
    if (auto dir = environment("UNTANGLE_DATA_DIR"); !dir.empty())
        return dir;
    if (auto xdg = environment("XDG_DATA_HOME"); !xdg.empty())
        return xdg + "/untangle";
    return environment("HOME") + "/.local/share/untangle";
}

std::string runsHome()
{
    return dataHome() + "/runs";
}

std::string cacheHome()
{
    namespace fs = std::filesystem;
    if (auto xdg = environment("XDG_CACHE_HOME"); !xdg.empty() && fs::path(xdg).is_absolute())
        return xdg + "/untangle"; // the XDG base-directory spec ignores relative values
    if (auto home = environment("HOME"); !home.empty())
        return home + "/.cache/untangle";
    return (fs::temp_directory_path() / "untangle-cache").string();
}

std::string mnist10kImagesPath()
{
    return dataHome() + "/mnist10k/images-idx3-ubyte";
}

std::string mnist10kLabelsPath()
{
    return dataHome() + "/mnist10k/labels-idx1-ubyte";
}

std::string fashionMnistDir()
{
    if (auto dir = environment("UNTANGLE_FASHION_DIR"); !dir.empty())
        return dir;
    return "/usr/share/datasets/fashion-mnist";
}

IdxPairPaths findIdxPair(const std::string &dir, const std::string &fetchHint)
{
    return {findIdxFile(dir, "train-images-idx3-ubyte", fetchHint),
        findIdxFile(dir, "train-labels-idx1-ubyte", fetchHint), findIdxFile(dir, "t10k-images-idx3-ubyte", fetchHint),
        findIdxFile(dir, "t10k-labels-idx1-ubyte", fetchHint)};
}

} // namespace untangle
