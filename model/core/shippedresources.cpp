#include "shippedresources.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace untangle {

namespace {

/** Where shipped files are looked up, first match wins. */
std::vector<std::filesystem::path> resourceFolders()
{
    std::vector<std::filesystem::path> folders;
    if (const char *dir = std::getenv("UNTANGLE_RESOURCE_DIR"); dir && *dir)
        folders.emplace_back(dir);
    folders.emplace_back(UNTANGLE_INSTALLED_RESOURCES); // the .deb's share/untangle
    folders.emplace_back(UNTANGLE_SOURCE_RESOURCES); // a build run from its source tree
    return folders;
}

} // namespace

std::string shippedResourcePath(const std::string &relative)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto &folder : resourceFolders())
        if (fs::is_regular_file(folder / relative, ec))
            return (folder / relative).string();
    return {};
}

std::vector<std::string> shippedGeneratorNames()
{
    namespace fs = std::filesystem;
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto &folder : resourceFolders()) {
        const fs::path generators = folder / "generators";
        if (!fs::is_directory(generators, ec))
            continue;
        std::error_code fileError; // a file that cannot be read is skipped, not the end of the listing
        for (fs::directory_iterator it(generators, ec), end; !ec && it != end; it.increment(ec))
            if (fs::is_regular_file(it->path() / "generator.pt", fileError))
                names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

} // namespace untangle
