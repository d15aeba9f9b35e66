#include "jsonlimits.h"

#include "dataerror.h"

#include <filesystem>
#include <fstream>

namespace untangle {
namespace {

std::string sizeText(std::uint64_t bytes)
{
    if (bytes >= (std::uint64_t(1) << 20) && bytes % (std::uint64_t(1) << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

/** The offset of the first bracket nested deeper than maxDepth, or npos. Skips strings (escapes included). */
std::size_t tooDeepAt(std::string_view text, int maxDepth) noexcept
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character, a quote included, never ends the string
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return i;
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth; // unbalanced closers are the parser's to report
            break;
        default:
            break;
        }
    }
    return std::string_view::npos;
}

} // namespace

void checkJsonLimits(std::string_view text, const std::string &what, std::uint64_t maxBytes, int maxDepth)
{
    if (text.size() > maxBytes)
        throw DataError(what + ": " + std::to_string(text.size()) + " bytes of JSON, above the limit of "
            + sizeText(maxBytes) + "; not a file Untangle wrote");
    const std::size_t at = tooDeepAt(text, maxDepth);
    if (at != std::string_view::npos)
        throw DataError(what + ": JSON nested deeper than " + std::to_string(maxDepth) + " levels (at byte "
            + std::to_string(at) + "); not a file Untangle wrote");
}

bool jsonWithinLimits(std::string_view text, std::uint64_t maxBytes, int maxDepth) noexcept
{
    return text.size() <= maxBytes && tooDeepAt(text, maxDepth) == std::string_view::npos;
}

std::string readJsonFile(const std::string &path, std::uint64_t maxBytes, int maxDepth)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error)
        throw DataError(path + ": cannot read (" + error.message() + ")");
    if (size > maxBytes)
        throw DataError(path + ": " + std::to_string(size) + " bytes, above the limit of " + sizeText(maxBytes)
            + " for this JSON file; not a file Untangle wrote");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path + ": cannot open for reading");
    std::string text(std::size_t(size), '\0');
    in.read(text.data(), std::streamsize(size));
    text.resize(std::size_t(in.gcount())); // a file that shrank while being read is parsed as it is now
    checkJsonLimits(text, path, maxBytes, maxDepth);
    return text;
}

} // namespace untangle
