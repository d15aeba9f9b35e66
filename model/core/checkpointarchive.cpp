#include "checkpointarchive.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "ziparchivecheck.h"

#include <sstream>

namespace untangle {

namespace {

constexpr int MaxStoredValueDepth = 64; // modules nest a few levels; deeper is not a file we wrote

void checkTensorStorage(const torch::Tensor &tensor, const std::string &name, const std::string &path)
{
    if (!tensor.defined() || tensor.numel() == 0 || tensor.layout() != torch::kStrided)
        return;
    const auto damaged = [&](const std::string &why) { throw DataError(path + ": tensor " + name + " " + why); };
    if (!tensor.has_storage())
        damaged("has no storage (damaged file)");
    // The farthest element a strided view reaches, in elements past the storage's start (long double: a hostile
    // shape must not overflow the sum).
    long double last = tensor.storage_offset();
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        if (tensor.stride(d) < 0)
            damaged("has a negative stride (damaged file)");
        last += (long double)(tensor.size(d) - 1) * (long double)tensor.stride(d);
    }
    const long double needed = (last + 1) * (long double)tensor.element_size();
    const auto stored = tensor.storage().nbytes();
    if (tensor.storage_offset() < 0 || needed > (long double)stored)
        damaged("needs " + std::to_string((unsigned long long)needed) + " bytes, the file stores "
            + std::to_string(stored) + " (damaged)");
}

void checkValue(const c10::IValue &value, const std::string &name, const std::string &path, int depth)
{
    if (depth > MaxStoredValueDepth)
        throw DataError(path + ": records nested deeper than " + std::to_string(MaxStoredValueDepth) + " levels");
    if (value.isTensor()) {
        checkTensorStorage(value.toTensor(), name, path);
    } else if (value.isObject()) {
        const auto object = value.toObject();
        const auto type = object->type();
        for (std::size_t i = 0; i < object->slots().size(); ++i)
            checkValue(
                object->getSlot(i), name + (name.empty() ? "" : ".") + type->getAttributeName(i), path, depth + 1);
    } else if (value.isList()) {
        for (const c10::IValue &item : value.toListRef())
            checkValue(item, name + "[]", path, depth + 1);
    } else if (value.isTuple()) {
        for (const c10::IValue &item : value.toTupleRef().elements())
            checkValue(item, name + "()", path, depth + 1);
    } else if (value.isGenericDict()) {
        for (const auto &entry : value.toGenericDict())
            checkValue(entry.value(), name + "{}", path, depth + 1);
    }
}

void checkArchive(torch::serialize::InputArchive &archive, const std::string &path)
{
    for (const std::string &key : archive.keys()) {
        c10::IValue value;
        if (archive.try_read(key, value))
            checkValue(value, key, path, 0);
    }
}

} // namespace

void checkStoredTensors(const c10::IValue &value, const std::string &path)
{
    checkValue(value, "", path, 0);
}

void loadArchiveFile(torch::serialize::InputArchive &archive, const std::string &path)
{
    archive.load_from(path);
    checkArchive(archive, path);
}

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
    checkArchive(archive, path);
}

} // namespace untangle
