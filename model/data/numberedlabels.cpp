#include "numberedlabels.h"

namespace untangle {

std::vector<std::string> numberedNames(std::int64_t count)
{
    std::vector<std::string> names;
    names.reserve(std::size_t(count));
    for (std::int64_t i = 0; i < count; ++i)
        names.push_back(std::to_string(i));
    return names;
}

} // namespace untangle
