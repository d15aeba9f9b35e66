#include "ziparchivecheck.h"

#include "dataerror.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

namespace untangle {
namespace {

constexpr std::uint32_t EndOfDirectorySignature = 0x06054b50;
constexpr std::uint32_t Zip64EndSignature = 0x06064b50;
constexpr std::uint32_t Zip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t DirectoryEntrySignature = 0x02014b50;
constexpr std::uint32_t LocalHeaderSignature = 0x04034b50;
constexpr std::size_t EndOfDirectoryBytes = 22;
constexpr std::size_t MaxCommentBytes = 65535;
constexpr std::size_t DirectoryEntryBytes = 46;
constexpr std::size_t LocalHeaderBytes = 30;
constexpr std::size_t ChunkBytes = std::size_t(1) << 20; // CRC and inflate work in 1 MiB pieces
constexpr std::uint16_t Stored = 0, Deflated = 8;

std::uint64_t le(const unsigned char *p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

/** What is wrong with the archive, thrown inside the reader and turned into a message by the public functions. */
struct ZipProblem {
    std::string text;
};

/** Random access to the archive's bytes, from a file (read in chunks) or from memory. */
class ZipReader {
public:
    explicit ZipReader(const std::string &path)
        : m_in(path, std::ios::binary)
    {
        std::error_code error;
        m_size = std::filesystem::file_size(path, error);
        if (error || !m_in)
            fail("cannot be read");
    }

    ZipReader(const char *data, std::size_t size)
        : m_memory(reinterpret_cast<const unsigned char *>(data))
        , m_size(size)
    {
    }

    [[noreturn]] void fail(const std::string &problem) const { throw ZipProblem {problem}; }

    std::vector<unsigned char> read(std::uint64_t offset, std::uint64_t bytes, const char *what)
    {
        if (offset > m_size || bytes > m_size - offset)
            fail(std::string("the zip ") + what + " lies outside the file");
        std::vector<unsigned char> out(bytes);
        if (!readInto(offset, out.data(), out.size()))
            fail(std::string("cannot read the zip ") + what);
        return out;
    }

    /** Feeds [offset, offset + bytes) to sink in chunks. */
    template <typename Sink> void stream(std::uint64_t offset, std::uint64_t bytes, Sink &&sink)
    {
        if (offset > m_size || bytes > m_size - offset)
            fail("an entry's data lies outside the file");
        if (m_memory) {
            for (std::uint64_t done = 0; done < bytes; done += ChunkBytes)
                sink(m_memory + offset + done, std::size_t(std::min<std::uint64_t>(ChunkBytes, bytes - done)));
            return;
        }
        std::vector<unsigned char> chunk(std::size_t(std::min<std::uint64_t>(bytes, ChunkBytes)));
        for (std::uint64_t done = 0; done < bytes;) {
            const auto n = std::size_t(std::min<std::uint64_t>(bytes - done, chunk.size()));
            if (!readInto(offset + done, chunk.data(), n))
                fail("cannot read an entry's data");
            sink(chunk.data(), n);
            done += n;
        }
    }

    std::uint64_t size() const { return m_size; }

private:
    bool readInto(std::uint64_t offset, unsigned char *dst, std::size_t n)
    {
        if (m_memory) {
            std::copy(m_memory + offset, m_memory + offset + n, dst);
            return true;
        }
        m_in.clear();
        m_in.seekg(std::streamoff(offset));
        m_in.read(reinterpret_cast<char *>(dst), std::streamsize(n));
        return std::size_t(m_in.gcount()) == n;
    }

    std::ifstream m_in;
    const unsigned char *m_memory = nullptr;
    std::uint64_t m_size = 0;
};

struct Directory {
    std::uint64_t entries = 0, offset = 0, bytes = 0;
};

Directory findDirectory(ZipReader &zip)
{
    if (zip.size() < EndOfDirectoryBytes)
        zip.fail("too short for a zip archive");
    const std::uint64_t tailBytes = std::min<std::uint64_t>(zip.size(), EndOfDirectoryBytes + MaxCommentBytes);
    const auto tail = zip.read(zip.size() - tailBytes, tailBytes, "end of directory");
    std::int64_t at = std::int64_t(tail.size()) - std::int64_t(EndOfDirectoryBytes);
    while (at >= 0 && le(&tail[std::size_t(at)], 4) != EndOfDirectorySignature)
        --at;
    if (at < 0)
        zip.fail("no zip end-of-directory record");
    const unsigned char *end = &tail[std::size_t(at)];
    Directory directory {le(end + 10, 2), le(end + 16, 4), le(end + 12, 4)};
    const std::uint64_t endOffset = zip.size() - tailBytes + std::uint64_t(at);
    if (directory.entries == 0xFFFF || directory.offset == 0xFFFFFFFF || directory.bytes == 0xFFFFFFFF) {
        // Zip64 (archives over 4 GiB or 65,535 entries): a locator just before the record points at the real one.
        if (endOffset < 20)
            zip.fail("no zip64 locator");
        const auto locator = zip.read(endOffset - 20, 20, "zip64 locator");
        if (le(locator.data(), 4) != Zip64LocatorSignature)
            zip.fail("no zip64 locator");
        const auto record = zip.read(le(locator.data() + 8, 8), 56, "zip64 end of directory");
        if (le(record.data(), 4) != Zip64EndSignature)
            zip.fail("bad zip64 end-of-directory record");
        directory = {le(record.data() + 32, 8), le(record.data() + 48, 8), le(record.data() + 40, 8)};
    }
    if (directory.entries == 0 || directory.entries > MaxZipEntries)
        zip.fail("the zip directory lists " + std::to_string(directory.entries) + " entries");
    if (directory.bytes < directory.entries * DirectoryEntryBytes || directory.offset > zip.size()
        || directory.bytes > zip.size() - directory.offset)
        zip.fail("the zip directory lies outside the file");
    return directory;
}

std::uint32_t storedCrc(ZipReader &zip, std::uint64_t offset, std::uint64_t bytes)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    zip.stream(offset, bytes, [&](const unsigned char *data, std::size_t n) { crc = crc32(crc, data, uInt(n)); });
    return std::uint32_t(crc);
}

std::uint32_t deflatedCrc(
    ZipReader &zip, std::uint64_t offset, std::uint64_t bytes, std::uint64_t expectedSize, const std::string &name)
{
    z_stream inflater {};
    if (inflateInit2(&inflater, -MAX_WBITS) != Z_OK)
        zip.fail("cannot start inflating " + name);
    uLong crc = crc32(0L, Z_NULL, 0);
    std::uint64_t produced = 0;
    std::vector<unsigned char> out(ChunkBytes);
    bool ended = false;
    try {
        zip.stream(offset, bytes, [&](const unsigned char *data, std::size_t n) {
            inflater.next_in = const_cast<Bytef *>(data);
            inflater.avail_in = uInt(n);
            while (inflater.avail_in > 0 && !ended) {
                inflater.next_out = out.data();
                inflater.avail_out = uInt(out.size());
                const int result = inflate(&inflater, Z_NO_FLUSH);
                if (result != Z_OK && result != Z_STREAM_END)
                    zip.fail("entry " + name + " does not inflate");
                const std::size_t got = out.size() - inflater.avail_out;
                produced += got;
                if (produced > expectedSize) // never inflate more than the directory promised
                    zip.fail("entry " + name + " inflates to more than its recorded size");
                crc = crc32(crc, out.data(), uInt(got));
                ended = result == Z_STREAM_END;
            }
        });
    } catch (...) {
        inflateEnd(&inflater);
        throw;
    }
    inflateEnd(&inflater);
    if (!ended || produced != expectedSize)
        zip.fail("entry " + name + " inflates to " + std::to_string(produced) + " bytes, not the recorded "
            + std::to_string(expectedSize));
    return std::uint32_t(crc);
}

void checkEntries(ZipReader &zip)
{
    const Directory directory = findDirectory(zip);
    const auto entries = zip.read(directory.offset, directory.bytes, "directory");
    std::size_t at = 0;
    for (std::uint64_t index = 0; index < directory.entries; ++index) {
        if (at + DirectoryEntryBytes > entries.size() || le(&entries[at], 4) != DirectoryEntrySignature)
            zip.fail("zip directory entry " + std::to_string(index) + " is malformed");
        const unsigned char *entry = &entries[at];
        const auto method = std::uint16_t(le(entry + 10, 2));
        const auto crc = std::uint32_t(le(entry + 16, 4));
        std::uint64_t compressed = le(entry + 20, 4), uncompressed = le(entry + 24, 4);
        const std::size_t nameBytes = le(entry + 28, 2), extraBytes = le(entry + 30, 2),
                          commentBytes = le(entry + 32, 2);
        std::uint64_t localOffset = le(entry + 42, 4);
        if (at + DirectoryEntryBytes + nameBytes + extraBytes + commentBytes > entries.size())
            zip.fail("zip directory entry " + std::to_string(index) + " runs past the directory");
        const std::string name(reinterpret_cast<const char *>(entry + DirectoryEntryBytes), nameBytes);
        // Zip64 sizes and offset sit in extra field 0x0001, each only when its 32-bit field is all ones.
        const unsigned char *extra = entry + DirectoryEntryBytes + nameBytes;
        for (std::size_t e = 0; e + 4 <= extraBytes;) {
            const auto id = le(extra + e, 2), length = le(extra + e + 2, 2);
            if (e + 4 + length > extraBytes)
                zip.fail("entry " + name + " has a malformed extra field");
            if (id == 0x0001) {
                std::size_t field = e + 4;
                for (std::uint64_t *value : {&uncompressed, &compressed, &localOffset})
                    if (*value == 0xFFFFFFFF) {
                        if (field + 8 > e + 4 + length)
                            zip.fail("entry " + name + " has a short zip64 field");
                        *value = le(extra + field, 8);
                        field += 8;
                    }
            }
            e += 4 + length;
        }
        at += DirectoryEntryBytes + nameBytes + extraBytes + commentBytes;

        const auto local = zip.read(localOffset, LocalHeaderBytes, "local header");
        if (le(local.data(), 4) != LocalHeaderSignature)
            zip.fail("entry " + name + " has no local header where the directory says");
        const std::uint64_t dataOffset
            = localOffset + LocalHeaderBytes + le(local.data() + 26, 2) + le(local.data() + 28, 2);
        std::uint32_t actual = 0;
        if (method == Stored) {
            if (compressed != uncompressed)
                zip.fail("stored entry " + name + " has two different sizes");
            actual = storedCrc(zip, dataOffset, compressed);
        } else if (method == Deflated) {
            actual = deflatedCrc(zip, dataOffset, compressed, uncompressed, name);
        } else {
            zip.fail("entry " + name + " uses zip compression method " + std::to_string(method));
        }
        if (actual != crc)
            zip.fail("entry " + name + " does not match its CRC-32");
    }
}

} // namespace

std::string zipArchiveProblem(const std::string &path)
{
    try {
        ZipReader zip(path);
        checkEntries(zip);
    } catch (const ZipProblem &problem) {
        return problem.text;
    }
    return {};
}

std::string zipArchiveProblem(const char *data, std::size_t size)
{
    try {
        ZipReader zip(data, size);
        checkEntries(zip);
    } catch (const ZipProblem &problem) {
        return problem.text;
    }
    return {};
}

void checkZipArchive(const std::string &path, const std::string &what)
{
    if (const std::string problem = zipArchiveProblem(path); !problem.empty())
        throw DataError(what + " " + path + ": " + problem + " (damaged, or not a torch file)");
}

} // namespace untangle
