#include "npyfile.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "npyheader.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace untangle {
namespace {

constexpr char Magic[] = "\x93NUMPY";
constexpr std::size_t MagicBytes = 6;
constexpr std::size_t PrefixBytesV1 = MagicBytes + 2 + 2; // magic, version, uint16 header length
constexpr std::size_t PrefixBytesV2 = MagicBytes + 2 + 4; // versions 2.0 and 3.0 use a uint32 header length
constexpr std::uint64_t ArrayAlign = 64; // numpy aligns the data so it can be memory-mapped for SIMD
constexpr std::size_t GrowthAxisMaxDigits = 21; // numpy >= 1.23 leaves room to grow the first dimension in place
constexpr std::uint32_t MaxHeaderBytes = 10000; // numpy's own default max_header_size for files it does not trust
constexpr std::size_t MaxRank = 8; // images are rank 4 and labels rank 2; more is not a dataset
// Largest payload accepted: above a 224-pixel BFFHQ export (19,200 x 224 x 224 x 3 = 2.9 GB), far below what a
// corrupt shape can claim; a bad header must never turn into a huge allocation.
constexpr std::uint64_t MaxPayloadBytes = std::uint64_t(8) << 30;

[[noreturn]] void fail(const std::string &path, const std::string &problem)
{
    throw DataError(path + ": " + problem);
}

const char *descrFor(NpyDtype dtype)
{
    return dtype == NpyDtype::UInt8 ? "|u1" : "<i8";
}

std::uint64_t elementBytes(NpyDtype dtype)
{
    return dtype == NpyDtype::UInt8 ? 1 : 8;
}

std::string describeShape(const std::vector<std::int64_t> &shape)
{
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + ")";
}

std::uint32_t littleEndian(const unsigned char *p, int bytes)
{
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

/** Product of the dimensions in bytes, or a DataError once it passes the limit (checked per step, so no overflow). */
std::uint64_t payloadBytes(const std::string &path, const std::vector<std::int64_t> &shape, NpyDtype dtype)
{
    std::uint64_t bytes = elementBytes(dtype);
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] <= 0)
            fail(path, "dimension " + std::to_string(i) + " of shape " + describeShape(shape) + " is not positive");
        if (shape[i] > std::numeric_limits<int>::max())
            fail(path, "dimension " + std::to_string(i) + " of shape " + describeShape(shape) + " is too large");
        bytes *= std::uint64_t(shape[i]);
        if (bytes > MaxPayloadBytes)
            fail(path,
                "shape " + describeShape(shape) + " claims more than " + std::to_string(MaxPayloadBytes >> 30)
                    + " GiB of data; the header is corrupt");
    }
    return bytes;
}

void readExactly(const std::string &path, const NpyInfo &info, char *dst)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, "cannot open for reading");
    in.seekg(std::streamoff(info.dataOffset));
    in.read(dst, std::streamsize(info.dataBytes));
    if (std::uint64_t(in.gcount()) != info.dataBytes)
        fail(path, "truncated: the file ended while reading the data");
}

} // namespace

NpyInfo readNpyInfo(const std::string &path, NpyDtype dtype)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        fail(path, "file not found");
    const std::uint64_t fileBytes = std::filesystem::file_size(path, ec);
    if (ec)
        fail(path, "cannot read the file size (" + ec.message() + ")");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, "cannot open for reading");

    unsigned char prefix[PrefixBytesV2] = {};
    in.read(reinterpret_cast<char *>(prefix), PrefixBytesV1);
    if (std::size_t(in.gcount()) != PrefixBytesV1
        || std::string(reinterpret_cast<char *>(prefix), MagicBytes) != std::string(Magic, MagicBytes))
        fail(path, "not a .npy file (bad magic string)");
    const int major = prefix[MagicBytes];
    const int minor = prefix[MagicBytes + 1];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        fail(path,
            "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor)
                + " (1.0, 2.0 and 3.0 are supported)");
    std::size_t prefixBytes = PrefixBytesV1;
    std::uint32_t headerBytes = littleEndian(prefix + MagicBytes + 2, 2);
    if (major > 1) {
        in.read(reinterpret_cast<char *>(prefix + PrefixBytesV1), PrefixBytesV2 - PrefixBytesV1);
        if (std::size_t(in.gcount()) != PrefixBytesV2 - PrefixBytesV1)
            fail(path, "truncated: the file ends inside the header");
        prefixBytes = PrefixBytesV2;
        headerBytes = littleEndian(prefix + MagicBytes + 2, 4);
    }
    if (headerBytes > MaxHeaderBytes)
        fail(path,
            "header length " + std::to_string(headerBytes) + " exceeds " + std::to_string(MaxHeaderBytes)
                + " bytes; the file is corrupt");
    if (prefixBytes + headerBytes > fileBytes)
        fail(path, "truncated: the file ends inside the header");

    std::string text(headerBytes, '\0');
    in.read(text.data(), std::streamsize(headerBytes));
    if (std::uint32_t(in.gcount()) != headerBytes)
        fail(path, "truncated: the file ends inside the header");
    NpyDict dict;
    try {
        dict = parseNpyDict(text);
    } catch (const std::invalid_argument &e) {
        fail(path, e.what());
    }

    if (dict.descr != descrFor(dtype))
        fail(path,
            "dtype '" + dict.descr + "' is not supported here; expected '" + descrFor(dtype) + "' ("
                + (dtype == NpyDtype::UInt8 ? "uint8" : "little-endian int64") + ")");
    if (dict.fortranOrder)
        fail(path, "fortran_order is True; only C-order arrays are supported (save with np.ascontiguousarray)");
    if (dict.shape.empty() || dict.shape.size() > MaxRank)
        fail(path,
            "unsupported rank " + std::to_string(dict.shape.size()) + " (shape " + describeShape(dict.shape) + ")");

    NpyInfo info;
    info.dtype = dtype;
    info.shape = dict.shape;
    info.dataOffset = prefixBytes + headerBytes;
    info.dataBytes = payloadBytes(path, dict.shape, dtype);
    const std::uint64_t expected = info.dataOffset + info.dataBytes;
    if (fileBytes < expected)
        fail(path,
            "truncated: " + std::to_string(fileBytes) + " bytes, but shape " + describeShape(dict.shape) + " needs "
                + std::to_string(expected));
    if (fileBytes > expected)
        fail(path,
            "length mismatch: " + std::to_string(fileBytes - expected) + " bytes after the data shape "
                + describeShape(dict.shape) + " describes");
    return info;
}

std::vector<std::uint8_t> readNpyUInt8(const std::string &path, const NpyInfo &info)
{
    if (info.dtype != NpyDtype::UInt8)
        fail(path, "internal error: not a uint8 array");
    std::vector<std::uint8_t> data(info.dataBytes);
    readExactly(path, info, reinterpret_cast<char *>(data.data()));
    return data;
}

std::vector<std::int64_t> readNpyInt64(const std::string &path, const NpyInfo &info)
{
    if (info.dtype != NpyDtype::Int64)
        fail(path, "internal error: not an int64 array");
    std::vector<unsigned char> raw(info.dataBytes);
    readExactly(path, info, reinterpret_cast<char *>(raw.data()));
    std::vector<std::int64_t> values(info.dataBytes / 8);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint64_t v = 0;
        for (int b = 7; b >= 0; --b)
            v = (v << 8) | raw[i * 8 + b];
        values[i] = std::int64_t(v);
    }
    return values;
}

std::string encodeNpy(NpyDtype dtype, const std::vector<std::int64_t> &shape, const void *data, std::size_t bytes)
{
    std::string header = formatNpyDict({descrFor(dtype), false, shape});
    if (!shape.empty()) {
        const std::size_t firstDigits = std::to_string(shape[0]).size();
        header.append(GrowthAxisMaxDigits > firstDigits ? GrowthAxisMaxDigits - firstDigits : 0, ' ');
    }
    // Pad with spaces so prefix + header + '\n' is a multiple of ArrayAlign (numpy always adds at least one).
    std::size_t prefixBytes = PrefixBytesV1;
    std::size_t headerBytes = header.size() + 1;
    headerBytes += ArrayAlign - (prefixBytes + headerBytes) % ArrayAlign;
    if (headerBytes > std::numeric_limits<std::uint16_t>::max()) {
        prefixBytes = PrefixBytesV2;
        headerBytes = header.size() + 1;
        headerBytes += ArrayAlign - (prefixBytes + headerBytes) % ArrayAlign;
    }
    header.append(headerBytes - 1 - header.size(), ' ');
    header.push_back('\n');

    std::string out(Magic, MagicBytes);
    out.push_back(char(prefixBytes == PrefixBytesV1 ? 1 : 2));
    out.push_back(0);
    const int lengthBytes = prefixBytes == PrefixBytesV1 ? 2 : 4;
    for (int i = 0; i < lengthBytes; ++i)
        out.push_back(char((headerBytes >> (8 * i)) & 0xff));
    out.reserve(out.size() + header.size() + bytes);
    out += header;
    out.append(static_cast<const char *>(data), bytes);
    return out;
}

void writeNpyUInt8(
    const std::string &path, const std::vector<std::int64_t> &shape, const std::vector<std::uint8_t> &data)
{
    if (payloadBytes(path, shape, NpyDtype::UInt8) != data.size())
        fail(path,
            "cannot write: shape " + describeShape(shape) + " does not match " + std::to_string(data.size())
                + " bytes");
    writeFileAtomically(path, encodeNpy(NpyDtype::UInt8, shape, data.data(), data.size()));
}

void writeNpyInt64(
    const std::string &path, const std::vector<std::int64_t> &shape, const std::vector<std::int64_t> &data)
{
    if (payloadBytes(path, shape, NpyDtype::Int64) != data.size() * 8)
        fail(path,
            "cannot write: shape " + describeShape(shape) + " does not match " + std::to_string(data.size())
                + " values");
    std::string bytes(data.size() * 8, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        for (int b = 0; b < 8; ++b)
            bytes[i * 8 + b] = char((std::uint64_t(data[i]) >> (8 * b)) & 0xff);
    writeFileAtomically(path, encodeNpy(NpyDtype::Int64, shape, bytes.data(), bytes.size()));
}

} // namespace untangle
