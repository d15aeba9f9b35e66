#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace untangle {

/** Most entries a torch archive may list: a large TorchScript model has a few thousand; more is a damaged directory. */
constexpr std::uint64_t MaxZipEntries = 1u << 20;

/**
 * Checks that path is an intact zip file, as every torch archive (.pt written by torch::save, torch::jit::save,
 * torch.save) is: the central directory is well formed and inside the file, and every entry's bytes match the CRC-32
 * the directory records (stored entries directly, deflated ones after inflating). Throws DataError("<what> <path>:
 * ...") naming the damaged entry otherwise.
 *
 * Why: libtorch 1.13 checks no CRC when it reads an archive, and its TorchScript class parser recurses without end on
 * some damaged code entries (a single flipped bit in `__parameters__`): SIGSEGV instead of an error. Call this before
 * handing any user-supplied torch file to torch. Reads the file once, in chunks (no whole-file copy in memory).
 */
void checkZipArchive(const std::string &path, const std::string &what);

/** The same check, returning what is wrong ("entry archive/code/x.py does not match its CRC-32"), empty when intact. */
std::string zipArchiveProblem(const std::string &path);
/** The same for an archive in memory (e.g. a checkpoint's payload once its own checksum is verified). */
std::string zipArchiveProblem(const char *data, std::size_t size);

} // namespace untangle
