#include "atomicfile.h"

#include "dataerror.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <zlib.h>

namespace untangle {
namespace {

// "\nuntangle-crc32 " + 8 hex digits + "\n": fixed size, readable with `tail -c 25`.
constexpr const char *TrailerTag = "\nuntangle-crc32 ";
constexpr std::size_t TrailerTagSize = 16;
constexpr std::size_t TrailerSize = TrailerTagSize + 8 + 1;

std::uint32_t crcOf(const char *data, std::size_t size)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const uInt chunk = uInt(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef *>(data), chunk);
        data += chunk;
        size -= chunk;
    }
    return std::uint32_t(crc);
}

bool writeAll(int fd, const std::string &bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

} // namespace

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path target(path);
    // The rename below replaces what stands at the path: through a symlink to its file, and never a device, a pipe
    // or a folder (`--out /dev/full` made a PNG of the device node).
    if (fs::is_symlink(fs::symlink_status(target, ec))) {
        fs::path linked = fs::read_symlink(target, ec);
        if (!ec && linked.is_relative())
            linked = target.parent_path() / linked;
        if (!ec)
            target = fs::weakly_canonical(linked, ec); // a link whose file does not exist yet is written there too
        if (ec)
            throw DataError(path + ": cannot follow the link (" + ec.message() + ")");
    }
    if (const auto status = fs::status(target, ec); fs::exists(status) && !fs::is_regular_file(status))
        throw DataError(path + ": is not a regular file; give a file to write");
    if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec)
            throw DataError(target.parent_path().string() + ": cannot create folder (" + ec.message() + ")");
    }
    const std::string temp = target.string() + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw DataError(temp + ": cannot open for writing (" + std::strerror(errno) + ")");
    const bool written = writeAll(fd, bytes) && ::fsync(fd) == 0;
    const int writeErrno = errno;
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        fs::remove(temp, ec);
        throw DataError(path + ": write failed (" + std::strerror(written ? errno : writeErrno)
            + "); the previous file, if any, is unchanged");
    }
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw DataError(path + ": cannot move the finished file into place (" + ec.message() + ")");
    }
}

void appendLineToFile(const std::string &path, const std::string &line)
{
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << line << '\n';
    out.flush();
    if (!out)
        throw DataError(path + ": cannot append (disk full or folder removed?)");
}

std::string withChecksum(const std::string &payload)
{
    char trailer[TrailerSize + 1];
    std::snprintf(trailer, sizeof trailer, "%s%08x\n", TrailerTag, unsigned(crcOf(payload.data(), payload.size())));
    return payload + std::string(trailer, TrailerSize);
}

std::string readChecksummedFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path + ": cannot open");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw DataError(path + ": read failed");
    const std::size_t payloadSize = bytes.size() >= TrailerSize ? bytes.size() - TrailerSize : 0;
    if (bytes.size() < TrailerSize || bytes.compare(payloadSize, TrailerTagSize, TrailerTag) != 0
        || bytes.back() != '\n')
        throw DataError(path + ": no checksum at the end of the file (truncated, or not written by this version)");
    const std::string hex = bytes.substr(payloadSize + TrailerTagSize, 8);
    char *end = nullptr;
    const unsigned long stored = std::strtoul(hex.c_str(), &end, 16);
    if (end != hex.c_str() + 8)
        throw DataError(path + ": damaged checksum line");
    if (std::uint32_t(stored) != crcOf(bytes.data(), payloadSize))
        throw DataError(path + ": the file is damaged (its bytes do not match the checksum written with it)");
    bytes.resize(payloadSize);
    return bytes;
}

} // namespace untangle
