#include "runfolderclaim.h"

#include "dataerror.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace untangle {
namespace {

namespace fs = std::filesystem;

constexpr int ListedFiles = 3; // names quoted in a refusal; the rest are counted

const char *markerText(RunKind kind)
{
    switch (kind) {
    case RunKind::Debias:
        return "debias";
    case RunKind::Gan:
        return "gan";
    case RunKind::Directions:
        return "directions";
    case RunKind::Sre:
        return "sre";
    case RunKind::Study:
        return "study";
    case RunKind::DebiasSeeds:
        return "debias-seeds";
    }
    return "";
}

std::string readSmallFile(const fs::path &path, std::size_t limit = 4096)
{
    std::ifstream in(path, std::ios::binary);
    std::string text(limit, '\0');
    in.read(text.data(), std::streamsize(limit));
    text.resize(std::size_t(std::max<std::streamsize>(0, in.gcount())));
    return text;
}

/**
 * The entries of dir but our bookkeeping (the lock file and the kind marker, which a run that failed before writing
 * anything leaves behind), sorted by name.
 */
std::vector<std::string> entriesOf(const fs::path &dir)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name != RunLockFileName && name != RunMarkerFileName)
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string describeEntries(const std::vector<std::string> &names)
{
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < std::size_t(ListedFiles); ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > std::size_t(ListedFiles))
        text += " and " + std::to_string(names.size() - ListedFiles) + " more";
    return text;
}

std::string lockHolder(int fd)
{
    std::string text(512, '\0');
    const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
    text.resize(std::size_t(std::max<ssize_t>(0, n)));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0'))
        text.pop_back();
    return text.empty() ? std::string("another process") : text;
}

std::string ownerLine()
{
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    const std::time_t now = std::time(nullptr);
    char when[64] = {};
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    return "process " + std::to_string(::getpid()) + " on " + host + " since " + when + "\n";
}

} // namespace

const char *runKindName(RunKind kind)
{
    switch (kind) {
    case RunKind::Debias:
        return "debias run";
    case RunKind::Gan:
        return "GAN run";
    case RunKind::Directions:
        return "directions folder";
    case RunKind::Sre:
        return "SRE run";
    case RunKind::Study:
        return "latent study";
    case RunKind::DebiasSeeds:
        return "multi-seed debias run";
    }
    return "run";
}

std::optional<RunKind> detectRunKind(const std::string &dir)
{
    const fs::path folder(dir);
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return std::nullopt;
    const std::string marker = readSmallFile(folder / RunMarkerFileName, 64);
    for (RunKind kind :
        {RunKind::Debias, RunKind::Gan, RunKind::Directions, RunKind::Sre, RunKind::Study, RunKind::DebiasSeeds})
        if (marker.rfind(markerText(kind), 0) == 0
            && (marker.size() == std::strlen(markerText(kind)) || marker[std::strlen(markerText(kind))] == '\n'))
            return kind;
    // Folders written before the marker existed: recognised by the files only that kind writes.
    auto has = [&](const char *name) { return fs::exists(folder / name, ec); };
    if (has("seeds.json"))
        return RunKind::DebiasSeeds;
    if (has("study.json") || has("table.md"))
        return RunKind::Study;
    if (has("samples") && has("snapshots"))
        return RunKind::Gan;
    if (has("estimator.pt") || (has("snapshots") && has("config.json")))
        return RunKind::Sre;
    if (has("config.json") && has("metrics.jsonl")
        && readSmallFile(folder / "config.json").find("\"method\"") != std::string::npos)
        return RunKind::Debias;
    if (has("directions.json"))
        return RunKind::Directions;
    return std::nullopt;
}

RunFolderClaim::RunFolderClaim(const std::string &dir, RunKind kind, RunFolderMode mode)
    : m_dir(dir)
{
    const fs::path folder(dir);
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw DataError(dir + " is a file, not a folder; choose a folder for the " + runKindName(kind));
    const bool existed = fs::is_directory(folder, ec);
    const auto existing = existed ? entriesOf(folder) : std::vector<std::string> {};
    const auto found = detectRunKind(dir);

    // Every refusal below happens before the folder is touched.
    if (mode == RunFolderMode::Resume) {
        if (!existed)
            throw DataError(dir + ": no such folder (no checkpoint.pt to resume from)");
        if (!found || existing.empty())
            throw DataError(dir + " holds no run to resume (no checkpoint.pt; "
                + (existing.empty() ? std::string("it is empty") : "it holds " + describeEntries(existing)) + ")");
        if (*found != kind)
            throw DataError(dir + " holds a " + runKindName(*found) + ", not a " + runKindName(kind)
                + "; resume it with the command that made it");
    } else if (mode == RunFolderMode::Fresh && !existing.empty()) {
        const std::string what = found ? std::string("a ") + runKindName(*found) : "files";
        // --overwrite is offered where the command has it, and never over another kind of run (below).
        const bool overwritable = kind != RunKind::Gan && kind != RunKind::Study;
        std::string next = found && *found == kind ? "continue it with --resume, " : std::string();
        if (overwritable && (!found || *found == kind))
            next += "replace it with --overwrite, or choose an empty folder";
        else if (overwritable)
            next += "choose an empty folder (--overwrite replaces only a " + std::string(runKindName(kind)) + ")";
        else
            next += next.empty() ? "choose an empty folder" : "or choose an empty folder";
        throw DataError(dir + " already holds " + what + " (" + describeEntries(existing) + "); " + next);
    } else if (mode == RunFolderMode::Overwrite && found && *found != kind) {
        // The user's word covers a run of this kind: taken over, a GAN run could no longer be resumed.
        throw DataError(dir + " holds a " + runKindName(*found) + "; --overwrite replaces only a " + runKindName(kind)
            + ": choose another folder");
    }

    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder, ec))
        throw DataError(dir + ": cannot create the folder (" + ec.message() + ")");
    const std::string lockPath = (folder / RunLockFileName).string();
    m_fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw DataError(lockPath + ": cannot open the lock file (" + std::strerror(errno) + ")");
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const std::string holder = lockHolder(m_fd);
        ::close(m_fd);
        m_fd = -1;
        throw DataError(dir + " is in use by " + holder + "; wait for it to finish or choose another folder");
    }
    const std::string owner = ownerLine();
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, owner.data(), owner.size(), 0) != ssize_t(owner.size())) {
        // The lock itself holds; only the holder's description could not be written (e.g. a full disk).
    }
    removeUnfinishedWrites(dir);
    std::ofstream marker(folder / RunMarkerFileName, std::ios::trunc);
    marker << markerText(kind) << '\n';
}

RunFolderClaim::~RunFolderClaim()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing releases the flock; the file stays so a waiting claimant locks the same inode
}

int removeUnfinishedWrites(const std::string &dir)
{
    static const std::regex unfinished(R"(.+\.tmp-[0-9]+)");
    int removed = 0;
    std::error_code ec;
    for (const fs::path folder : {fs::path(dir), fs::path(dir) / "snapshots"}) {
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec) && std::regex_match(it->path().filename().string(), unfinished)) {
                std::error_code removeError;
                removed += fs::remove(it->path(), removeError) ? 1 : 0;
            }
        }
        ec.clear();
    }
    return removed;
}

} // namespace untangle
