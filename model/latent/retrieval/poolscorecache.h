#pragma once

#include "common/latentmatrix.h"
#include "progress.h"
#include "retrieval/retrievalpool.h"

#include <string>

namespace untangle {

/** A pool's scores and where they came from. */
struct EncodedPool {
    Matrix scores; // pool.count() x K
    bool fromCache = false; // true when a valid cache file was read instead of running the network
    std::string cachePath; // the cache file read or (re)written
};

/**
 * Where the scores of `pool` under `scoreFile` are cached: next to the score file when cacheDir is empty
 * (<scorefile>.pool-<hash>.scores), else in cacheDir (<stem>-<hash of its absolute path>-<hash>.scores). The name
 * depends only on the score file's path and the pool's key, so a stale cache is overwritten, not left beside a new one.
 */
std::string poolCachePath(const std::string &scoreFile, const RetrievalPool &pool, const std::string &cacheDir = {});

/** Where the app and the CLI keep pool scores: retrieval-pools in the user's cache folder (cacheHome()), never beside
 *  the score file, which may be a shipped, read-only resource. */
std::string defaultPoolCacheDir();

/**
 * Encodes the pool with the score network, or reads the cache when it is valid for exactly this score file (size,
 * modification time and a hash of its bytes) and this pool (key and a hash of its pixels). A cache that is stale,
 * truncated, corrupt (checksum) or holds non-finite values is rebuilt, never trusted; written atomically. A cache
 * that cannot be written is skipped (cachePath empty): the scores are returned all the same.
 * Throws DataError (score file), Cancelled.
 */
EncodedPool encodePoolCached(const std::string &scoreFile, const RetrievalPool &pool, const std::string &cacheDir = {},
    const ProgressFn &progress = {});

} // namespace untangle
