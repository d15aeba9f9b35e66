#include "idxfile.h"

#include "atomicfile.h"
#include "dataerror.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

namespace untangle {
namespace {

constexpr std::uint8_t IdxTypeUnsignedByte = 0x08; // the only element type MNIST-style files use
constexpr int MaxRank = 4; // images are rank 3, labels rank 1; more is not a dataset
// Largest payload we accept: far above full MNIST (47 MB) and any image folder export, far below a bad header's
// 4 GiB x 4 GiB claims; a corrupt header must never turn into a huge allocation.
constexpr std::uint64_t MaxPayloadBytes = std::uint64_t(4) << 30;
// Deflate's best case is 1032:1 (258-byte matches in 2-bit codes, RFC 1951); a gzip file that claims more data than
// its compressed size times this cannot hold it, so the claim is refused before anything is allocated.
constexpr std::uint64_t MaxDeflateRatio = 1032;
// The payload of a gzip file is read in chunks of this size, grown as data really arrives: a forged length that
// passes the ratio check still allocates only what the stream holds (plus one chunk).
constexpr std::size_t GzipReadChunk = std::size_t(16) << 20;

[[noreturn]] void fail(const std::string &path, const std::string &problem)
{
    throw DataError(path + ": " + problem);
}

std::uint32_t bigEndian(const unsigned char *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

bool fileIsGzip(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[2] = {0, 0};
    in.read(reinterpret_cast<char *>(magic), 2);
    return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

/** The gzip trailer's ISIZE: uncompressed length modulo 2^32, readable without inflating anything. */
std::uint32_t gzipStoredLength(const std::string &path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const auto size = static_cast<std::streamoff>(in.tellg());
    if (size < 18) // 10-byte header + 8-byte trailer is the smallest gzip member
        fail(path, "corrupt gzip data (file too short)");
    in.seekg(size - 4);
    unsigned char tail[4];
    in.read(reinterpret_cast<char *>(tail), 4);
    return std::uint32_t(tail[0]) | (std::uint32_t(tail[1]) << 8) | (std::uint32_t(tail[2]) << 16)
        | (std::uint32_t(tail[3]) << 24);
}

/** Byte source over a plain or gzip file with exact-length reads. */
class IdxSource {
public:
    explicit IdxSource(const std::string &path)
        : m_path(path)
        , m_gzip(fileIsGzip(path))
    {
        if (m_gzip) {
            m_gz = gzopen(path.c_str(), "rb");
            if (!m_gz)
                fail(path, "cannot open for reading");
            gzbuffer(m_gz, 1 << 17);
        } else {
            m_file.open(path, std::ios::binary);
            if (!m_file)
                fail(path, "cannot open for reading");
        }
    }
    ~IdxSource()
    {
        if (m_gz)
            gzclose(m_gz);
    }
    IdxSource(const IdxSource &) = delete;
    IdxSource &operator=(const IdxSource &) = delete;

    bool isGzip() const { return m_gzip; }

    /** Reads exactly n bytes or throws, naming what was being read. */
    void read(void *dst, std::size_t n, const char *what)
    {
        auto *out = static_cast<char *>(dst);
        while (n > 0) {
            const std::size_t chunk = std::min<std::size_t>(n, 1u << 30);
            std::size_t got = 0;
            if (m_gzip) {
                const int r = gzread(m_gz, out, unsigned(chunk));
                if (r < 0)
                    fail(m_path, std::string("corrupt gzip data while reading ") + what + " (" + gzipError() + ")");
                got = std::size_t(r);
            } else {
                m_file.read(out, std::streamsize(chunk));
                got = std::size_t(m_file.gcount());
            }
            if (got == 0)
                fail(m_path, std::string("truncated: file ends inside the ") + what);
            out += got;
            n -= got;
        }
    }

    /** True when nothing follows (trailing bytes mean the header lies about the size). */
    bool atEnd()
    {
        char extra;
        if (m_gzip) {
            const int r = gzread(m_gz, &extra, 1);
            if (r < 0)
                fail(m_path, "corrupt gzip data at the end (" + gzipError() + ")");
            return r == 0;
        }
        m_file.read(&extra, 1);
        return m_file.gcount() == 0;
    }

private:
    std::string gzipError()
    {
        int code = 0;
        const char *msg = gzerror(m_gz, &code);
        return msg ? msg : "unknown zlib error";
    }

    std::string m_path;
    bool m_gzip = false;
    gzFile m_gz = nullptr;
    std::ifstream m_file;
};

} // namespace

IdxArray readIdx(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        fail(path, "file not found");

    IdxSource source(path);
    unsigned char magic[4];
    source.read(magic, 4, "header");
    if (magic[0] != 0 || magic[1] != 0)
        fail(path, "not an IDX file (bad magic number)");
    if (magic[2] != IdxTypeUnsignedByte) {
        char type[8];
        std::snprintf(type, sizeof type, "0x%02X", unsigned(magic[2]));
        fail(path, std::string("unsupported IDX element type ") + type + " (only unsigned byte, 0x08, is supported)");
    }
    const int rank = magic[3];
    if (rank < 1 || rank > MaxRank)
        fail(path, "unsupported IDX rank " + std::to_string(rank) + " (expected 1 to " + std::to_string(MaxRank) + ")");

    IdxArray array;
    std::uint64_t payload = 1;
    for (int i = 0; i < rank; ++i) {
        unsigned char raw[4];
        source.read(raw, 4, "header");
        const std::uint32_t dim = bigEndian(raw);
        if (dim == 0 || dim > std::uint32_t(std::numeric_limits<int>::max()))
            fail(path, "invalid dimension " + std::to_string(i) + " = " + std::to_string(dim));
        payload *= dim;
        if (payload > MaxPayloadBytes)
            fail(path,
                "dimensions claim more than " + std::to_string(MaxPayloadBytes >> 30)
                    + " GiB of data; the header is corrupt");
        array.dims.push_back(int(dim));
    }
    const std::uint64_t headerBytes = 4 + 4 * std::uint64_t(rank);
    const std::uint64_t expected = headerBytes + payload;

    // Check the length the file really has before allocating what the header claims.
    if (source.isGzip()) {
        const auto compressed = std::filesystem::file_size(path, ec);
        if (ec || expected > std::uint64_t(compressed) * MaxDeflateRatio)
            fail(path,
                "the header describes " + std::to_string(expected) + " bytes, more than a gzip file of "
                    + std::to_string(compressed) + " bytes can hold (at most " + std::to_string(MaxDeflateRatio)
                    + " times its size); the header is corrupt");
        if (gzipStoredLength(path) != std::uint32_t(expected & 0xffffffffu))
            fail(path,
                "length mismatch: the header describes " + std::to_string(expected)
                    + " bytes but the gzip stream holds a different amount (truncated or corrupt)");
    } else {
        const auto size = std::filesystem::file_size(path, ec);
        if (size < expected)
            fail(path, "truncated: " + std::to_string(size) + " bytes, the header needs " + std::to_string(expected));
        if (size > expected)
            fail(path,
                "length mismatch: " + std::to_string(size - expected) + " bytes after the data the header describes");
    }

    if (source.isGzip()) {
        // The trailer's length is only modulo 2^32 and may be forged: grow the buffer as data really arrives.
        for (std::uint64_t done = 0; done < payload;) {
            const std::size_t chunk = std::size_t(std::min<std::uint64_t>(GzipReadChunk, payload - done));
            array.data.resize(std::size_t(done) + chunk);
            source.read(array.data.data() + done, chunk, "data");
            done += chunk;
        }
    } else {
        array.data.resize(std::size_t(payload));
        source.read(array.data.data(), array.data.size(), "data");
    }
    if (!source.atEnd())
        fail(path, "length mismatch: data continues after what the header describes");
    return array;
}

void writeIdx(const std::string &path, const std::vector<int> &dims, const std::vector<std::uint8_t> &data)
{
    if (dims.empty() || int(dims.size()) > MaxRank)
        throw DataError(path + ": cannot write IDX of rank " + std::to_string(dims.size()));
    std::string bytes;
    bytes.reserve(4 + 4 * dims.size() + data.size());
    bytes.append({0, 0, char(IdxTypeUnsignedByte), char(dims.size())});
    std::uint64_t payload = 1;
    for (int d : dims) {
        payload *= std::uint64_t(d);
        bytes.push_back(char((d >> 24) & 0xff));
        bytes.push_back(char((d >> 16) & 0xff));
        bytes.push_back(char((d >> 8) & 0xff));
        bytes.push_back(char(d & 0xff));
    }
    if (payload != data.size())
        throw DataError(path + ": IDX dimensions do not match the data size");
    bytes.append(reinterpret_cast<const char *>(data.data()), data.size());
    writeFileAtomically(path, bytes);
}

GreyImages readIdxImages(const std::string &imagesPath, const std::string &labelsPath)
{
    IdxArray images = readIdx(imagesPath);
    if (images.dims.size() != 3)
        fail(imagesPath,
            "expected an images file of rank 3 (count x height x width), found rank "
                + std::to_string(images.dims.size()));
    IdxArray labels = readIdx(labelsPath);
    if (labels.dims.size() != 1)
        fail(labelsPath, "expected a labels file of rank 1, found rank " + std::to_string(labels.dims.size()));
    if (labels.dims[0] != images.dims[0])
        fail(labelsPath,
            std::to_string(labels.dims[0]) + " labels for " + std::to_string(images.dims[0]) + " images in "
                + imagesPath);

    GreyImages out;
    out.count = images.dims[0];
    out.height = images.dims[1];
    out.width = images.dims[2];
    out.pixels = std::move(images.data);
    out.labels.assign(labels.data.begin(), labels.data.end());
    return out;
}

} // namespace untangle
