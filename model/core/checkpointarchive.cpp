#include "checkpointarchive.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "ziparchivecheck.h"

#include <sstream>

namespace untangle {

torch::Tensor textTensor(const std::string &text)
{
    return torch::from_blob(const_cast<char *>(text.data()), {std::int64_t(text.size())}, torch::kUInt8).clone();
}

std::string tensorText(const torch::Tensor &tensor)
{
    if (tensor.scalar_type() != torch::kUInt8 || tensor.dim() != 1)
        throw DataError("a text record is not a byte vector");
    const auto bytes = tensor.contiguous();
    return std::string(reinterpret_cast<const char *>(bytes.data_ptr<std::uint8_t>()), std::size_t(bytes.numel()));
}

torch::Tensor readRecord(torch::serialize::InputArchive &archive, const std::string &key)
{
    torch::Tensor t;
    archive.read(key, t);
    return t;
}

void saveCheckpointArchive(torch::serialize::OutputArchive &archive, const std::string &path)
{
    std::ostringstream bytes;
    try {
        archive.save_to(bytes);
    } catch (const std::exception &error) {
        const std::string what = error.what();
        throw DataError(path + ": cannot serialise the checkpoint (" + what.substr(0, what.find('\n')) + ")");
    }
    writeFileAtomically(path, withChecksum(bytes.str()));
}

void loadCheckpointArchive(torch::serialize::InputArchive &archive, const std::string &path)
{
    const std::string payload = readChecksummedFile(path);
    // The CRC-32 above catches damage; a payload with a forged checksum must still not reach torch's reader, which
    // checks no entry CRC and recursed into SIGSEGV on two such files in bench_mutation.
    if (const std::string problem = zipArchiveProblem(payload.data(), payload.size()); !problem.empty())
        throw DataError(path + ": not a readable checkpoint (" + problem + ")");
    try {
        archive.load_from(payload.data(), payload.size());
    } catch (const std::exception &error) {
        const std::string what = error.what();
        throw DataError(path + ": not a readable checkpoint (" + what.substr(0, what.find('\n')) + ")");
    }
}

} // namespace untangle
