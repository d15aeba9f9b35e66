#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace untangle {

// Limits on every JSON document Untangle reads (nlohmann in model/, QJsonDocument in app/ and ui/), checked before
// any parser sees the text: a recursive parser turns deep nesting into a stack overflow, and a huge file into a huge
// allocation, long before it can say the file is bad.

/** Deepest nesting of arrays and objects accepted: our own files nest 4 levels at most (result.json). */
constexpr int MaxJsonDepth = 64;
/** Largest JSON file accepted: a directions.json of 512 directions x 512 values is ~6 MB, a GAN's metrics.jsonl
 *  over 100k iterations ~30 MB. */
constexpr std::uint64_t MaxJsonBytes = std::uint64_t(64) << 20;
/** Largest small document (config.json, result.json, one metrics.jsonl line): ours are a few KB. */
constexpr std::uint64_t MaxSmallJsonBytes = std::uint64_t(1) << 20;

/**
 * Throws DataError("<what>: ...") naming the limit when text is longer than maxBytes or nests arrays/objects deeper
 * than maxDepth. A single non-recursive pass that skips strings (escapes included); it checks only the limits, not
 * that the text is JSON: the parser does that once the text is known to be safe to hand it.
 */
void checkJsonLimits(
    std::string_view text, const std::string &what, std::uint64_t maxBytes = MaxJsonBytes, int maxDepth = MaxJsonDepth);

/** The same check without an exception, for readers that skip a bad document (a damaged metrics line, a stale cache).
 */
bool jsonWithinLimits(
    std::string_view text, std::uint64_t maxBytes = MaxJsonBytes, int maxDepth = MaxJsonDepth) noexcept;

/**
 * The whole of a JSON file, refused (DataError naming the file and the limit) when its size on disk is above maxBytes,
 * before reading it, or when its text breaks checkJsonLimits. Throws DataError when it cannot be read.
 */
std::string readJsonFile(const std::string &path, std::uint64_t maxBytes = MaxJsonBytes, int maxDepth = MaxJsonDepth);

} // namespace untangle
