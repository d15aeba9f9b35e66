#pragma once
// Who may write into a run folder, and what a folder already holds. Every writer of a run folder (debias, GAN,
// directions, SRE, study; CLI and GUI alike) claims it first, so a fresh run never overwrites an earlier one and two
// processes never write into one folder at the same time. Std types only.
#include <optional>
#include <string>

namespace untangle {

/** The kinds of run folder Untangle writes. */
enum class RunKind { Debias, Gan, Directions, Sre, Study, DebiasSeeds };

/** "debias run", "GAN run", "directions", "SRE run", "latent study", "multi-seed debias run". */
const char *runKindName(RunKind kind);

/**
 * What kind of run the folder holds: its .untangle-run marker when present (written by every claim since the marker
 * exists), otherwise recognised from the files older versions wrote. Nothing when the folder is missing, empty or
 * holds something else.
 */
std::optional<RunKind> detectRunKind(const std::string &dir);

/** How a writer means to use the folder. */
enum class RunFolderMode {
    Fresh, // the folder must be missing or empty (only a lock file from an earlier claim may be there)
    Resume, // the folder must hold a run of this kind
    Overwrite, // whatever is there may be replaced: the user said so explicitly (--overwrite)
};

/**
 * An exclusive claim on a run folder for the lifetime of the object: a lock file (.untangle.lock, holding the
 * owner's PID, host and start time) locked with flock(2), which the system releases when the process ends however
 * it ends, so a lock left by a killed process is never in the way (no stale locks). On success the folder exists,
 * its marker names the kind, and temporary files left by earlier writers that died mid-write are removed.
 * Throws DataError, naming the folder and what to do: it is locked by another process (naming the holder), it is
 * not empty for a fresh run (naming what is there), it holds no run of this kind for a resume, or it cannot be
 * created. Nothing in the folder changes when the claim is refused.
 */
class RunFolderClaim {
public:
    RunFolderClaim(const std::string &dir, RunKind kind, RunFolderMode mode);
    ~RunFolderClaim();
    RunFolderClaim(const RunFolderClaim &) = delete;
    RunFolderClaim &operator=(const RunFolderClaim &) = delete;

    const std::string &dir() const { return m_dir; }

private:
    std::string m_dir;
    int m_fd = -1;
};

/** The lock file's name inside a run folder. */
constexpr const char *RunLockFileName = ".untangle.lock";
/** The file naming the kind of run a folder holds. */
constexpr const char *RunMarkerFileName = ".untangle-run";

/** Deletes "<name>.tmp-<pid>" files in dir (writes that never finished). Only safe while holding the claim. */
int removeUnfinishedWrites(const std::string &dir);

} // namespace untangle
