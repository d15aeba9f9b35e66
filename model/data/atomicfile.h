#pragma once

#include <string>

namespace untangle {

/**
 * Writes bytes to path through a temporary file in the same folder ("<path>.tmp-<pid>"), flushed to disk, and a
 * rename, so a crash, a kill or a full disk never leaves a half-written file under the final name: the previous
 * file stays until the new one is complete. On any failure the temporary file is removed. Creates missing parent
 * folders. Throws DataError naming the file and the reason (e.g. "No space left on device").
 */
void writeFileAtomically(const std::string &path, const std::string &bytes);

/** Appends one line (and '\n') to a record file such as metrics.jsonl. Throws DataError (disk full, folder gone). */
void appendLineToFile(const std::string &path, const std::string &line);

/**
 * payload followed by a one-line trailer holding its CRC-32, so a reader can tell a damaged file (a flipped byte,
 * a truncation) from a good one before trusting any of it. Used for checkpoints, whose payload is a torch archive
 * that itself checks very little.
 */
std::string withChecksum(const std::string &payload);

/**
 * The payload of a file written with withChecksum. Throws DataError naming the file when it cannot be read, has no
 * trailer (truncated, or not written by Untangle) or its bytes do not match the checksum (damaged).
 */
std::string readChecksummedFile(const std::string &path);

} // namespace untangle
