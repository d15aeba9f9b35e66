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

/**
 * archive.load_from(path), then checkStoredTensors on everything it holds. Every torch file Untangle reads goes
 * through here or loadCheckpointArchive. Throws what load_from throws, or DataError.
 */
void loadArchiveFile(torch::serialize::InputArchive &archive, const std::string &path);

/**
 * Throws DataError naming the file and the tensor when a tensor in `value` (recursing into objects, lists, tuples
 * and dicts: a module, an archive's records) has less storage than its shape and strides reach. Torch's reader takes
 * a record's bytes as they are and its shape from the pickle, so a record cut short (with a valid CRC) became a
 * tensor that read past its buffer: directions built from garbage, or a factor reader scoring 0.0.
 */
void checkStoredTensors(const c10::IValue &value, const std::string &path);

} // namespace untangle
