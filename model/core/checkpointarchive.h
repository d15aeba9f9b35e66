#pragma once
// The one way Untangle writes and reads its checkpoints (debias, GAN, SRE): a torch archive serialised in memory,
// written atomically with a checksum, verified before a single byte is trusted. Model-internal (torch types).
#include <torch/torch.h>

#include <string>

namespace untangle {

/** Text stored as a uint8 tensor (archives hold tensors only). */
torch::Tensor textTensor(const std::string &text);
std::string tensorText(const torch::Tensor &tensor);

/**
 * One record in a fresh tensor. InputArchive::read into an already defined tensor calls set_(), which keeps that
 * tensor's dtype: reusing one tensor across records of different dtypes fails or silently reinterprets the bytes.
 */
torch::Tensor readRecord(torch::serialize::InputArchive &archive, const std::string &key);

/**
 * Writes archive to path atomically with a checksum (atomicfile.h): a kill or a full disk leaves the previous
 * checkpoint and no temporary file. Throws DataError naming the file and the reason.
 */
void saveCheckpointArchive(torch::serialize::OutputArchive &archive, const std::string &path);

/** Reads a file written by saveCheckpointArchive, refusing damaged or truncated files. Throws DataError. */
void loadCheckpointArchive(torch::serialize::InputArchive &archive, const std::string &path);

} // namespace untangle
