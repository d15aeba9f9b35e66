#include "retrieval/poolscorecache.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "datalocations.h"
#include "jsonlimits.h"
#include "sre/scoreencoder.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace untangle {

namespace {

namespace fs = std::filesystem;

constexpr const char *CacheMagic = "untangle-pool-scores-v1\n";

/** FNV-1a over 64-bit words (tail bytes one by one): detects any changed byte, ~1 GB/s, no dependency. */
std::uint64_t hashBytes(const void *data, std::size_t size, std::uint64_t hash = 1469598103934665603ULL)
{
    constexpr std::uint64_t Prime = 1099511628211ULL;
    const auto *bytes = static_cast<const unsigned char *>(data);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes + i, 8);
        hash = (hash ^ word) * Prime;
    }
    for (; i < size; ++i)
        hash = (hash ^ bytes[i]) * Prime;
    return hash;
}

std::string hex(std::uint64_t value)
{
    std::ostringstream text;
    text << std::hex << value;
    return text.str();
}

std::string readWholeFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/** Everything the cached scores depend on; a cache is valid only when its header equals this exactly. */
nlohmann::json cacheKey(const std::string &scoreFile, const RetrievalPool &pool)
{
    std::error_code error;
    const auto size = fs::file_size(scoreFile, error);
    if (error)
        throw DataError("score network " + scoreFile + " does not exist");
    const auto modified = fs::last_write_time(scoreFile, error).time_since_epoch().count();
    const std::string bytes = readWholeFile(scoreFile);
    const auto &pixels = pool.images.pixels;
    return {{"score_size", std::uint64_t(size)}, {"score_mtime", std::int64_t(modified)},
        {"score_hash", hex(hashBytes(bytes.data(), bytes.size()))}, {"pool_key", pool.key},
        {"pool_shape", {pool.images.count, pool.images.height, pool.images.width, pool.images.channels}},
        {"pool_hash", hex(hashBytes(pixels.data(), pixels.size()))}};
}

/** The cached matrix when the file is intact and made for `key`; false otherwise (never throws). */
bool readCache(const std::string &path, const nlohmann::json &key, Matrix &scores)
{
    const std::string file = readWholeFile(path);
    const std::size_t magicSize = std::strlen(CacheMagic);
    if (file.compare(0, magicSize, CacheMagic) != 0)
        return false;
    const auto headerEnd = file.find('\n', magicSize);
    if (headerEnd == std::string::npos)
        return false;
    const std::string_view headerText(file.data() + magicSize, headerEnd - magicSize);
    if (!jsonWithinLimits(headerText, MaxSmallJsonBytes))
        return false;
    const auto header = nlohmann::json::parse(headerText.begin(), headerText.end(), nullptr, false);
    if (header.is_discarded() || !header.is_object() || header.value("key", nlohmann::json()) != key)
        return false;
    const int rows = header.value("rows", -1);
    const int cols = header.value("cols", -1);
    if (rows != key["pool_shape"][0].get<int>() || cols < 1)
        return false;
    const std::size_t payload = std::size_t(rows) * std::size_t(cols) * sizeof(double);
    const std::size_t start = headerEnd + 1;
    if (file.size() != start + payload + sizeof(std::uint64_t))
        return false;
    std::uint64_t checksum;
    std::memcpy(&checksum, file.data() + start + payload, sizeof checksum);
    if (checksum != hashBytes(file.data() + start, payload))
        return false;
    Matrix matrix;
    matrix.rows = rows;
    matrix.cols = cols;
    matrix.values.resize(std::size_t(rows) * cols);
    std::memcpy(matrix.values.data(), file.data() + start, payload);
    for (double value : matrix.values)
        if (!std::isfinite(value))
            return false;
    scores = std::move(matrix);
    return true;
}

void writeCache(const std::string &path, const nlohmann::json &key, const Matrix &scores)
{
    const nlohmann::json header = {{"key", key}, {"rows", scores.rows}, {"cols", scores.cols}};
    std::string bytes = CacheMagic + header.dump() + "\n";
    const std::size_t payload = scores.values.size() * sizeof(double);
    const std::size_t start = bytes.size();
    bytes.resize(start + payload + sizeof(std::uint64_t));
    std::memcpy(bytes.data() + start, scores.values.data(), payload);
    const std::uint64_t checksum = hashBytes(bytes.data() + start, payload);
    std::memcpy(bytes.data() + start + payload, &checksum, sizeof checksum);
    writeFileAtomically(path, bytes);
}

} // namespace

std::string poolCachePath(const std::string &scoreFile, const RetrievalPool &pool, const std::string &cacheDir)
{
    const std::string poolHash = hex(hashBytes(pool.key.data(), pool.key.size()));
    if (cacheDir.empty())
        return scoreFile + ".pool-" + poolHash + ".scores";
    std::error_code error;
    auto absolute = fs::absolute(scoreFile, error).lexically_normal().string();
    if (error)
        absolute = scoreFile;
    const std::string pathHash = hex(hashBytes(absolute.data(), absolute.size()));
    return (fs::path(cacheDir) / (fs::path(scoreFile).stem().string() + "-" + pathHash + "-" + poolHash + ".scores"))
        .string();
}

std::string defaultPoolCacheDir()
{
    return (fs::path(cacheHome()) / "retrieval-pools").string();
}

EncodedPool encodePoolCached(
    const std::string &scoreFile, const RetrievalPool &pool, const std::string &cacheDir, const ProgressFn &progress)
{
    EncodedPool result;
    result.cachePath = poolCachePath(scoreFile, pool, cacheDir);
    const auto key = cacheKey(scoreFile, pool);
    if (readCache(result.cachePath, key, result.scores)) {
        result.fromCache = true;
        reportProgress(progress, 1.0, "Read cached scores of " + pool.description);
        return result;
    }
    const ScoreEncoder encoder(scoreFile);
    result.scores = encoder.encodePool(pool, progress);
    for (double value : result.scores.values)
        if (!std::isfinite(value))
            throw DataError("score network " + scoreFile + " gives non-finite scores on " + pool.description);
    try {
        writeCache(result.cachePath, key, result.scores);
    } catch (const std::exception &) {
        // The cache is a shortcut: a folder that cannot be written (an installed, read-only estimator's, say) costs
        // the next query the encoding, not this one its answer.
        result.cachePath.clear();
    }
    return result;
}

} // namespace untangle
