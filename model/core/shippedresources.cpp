#include "shippedresources.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace untangle {

std::string shippedResourcePath(const std::string &relative)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> folders;
    if (const char *dir = std::getenv("UNTANGLE_RESOURCE_DIR"); dir && *dir)
        folders.emplace_back(dir);
    folders.emplace_back(UNTANGLE_INSTALLED_RESOURCES); // the .deb's share/untangle
    folders.emplace_back(UNTANGLE_SOURCE_RESOURCES); // a build run from its source tree
    std::error_code ec;
    for (const auto &folder : folders)
        if (fs::is_regular_file(folder / relative, ec))
            return (folder / relative).string();
    return {};
}

} // namespace untangle
