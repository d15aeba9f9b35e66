#pragma once

#include "progress.h"
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <optional>

class QCommandLineParser;

namespace untangle::cli {

/** Process exit codes shared by every command. */
enum ExitCode { Success = 0, BadInput = 1, UsageError = 2 };

/** Prints "untangle-cli: message" on stderr and returns code (so commands can `return fail(...)`). */
int fail(ExitCode code, const QString &message);

/**
 * Parses a command's arguments; returns the exit code when the command must end here (a usage error, reported
 * on stderr, or --help, printed on stdout) and nothing when it should go on.
 */
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);

/** Exit code after a second Ctrl-C ended the process at once (128 + SIGINT, as a shell reports it). */
constexpr int InterruptedExit = 130;

/** Makes Ctrl-C and SIGTERM ask the running job to stop at its next safe point (it keeps its last checkpoint); a
 *  second one quits at once with InterruptedExit (for work that cannot poll, e.g. a generator that never returns). */
void installInterruptHandler();
bool interrupted();

/**
 * Progress on stderr: on a terminal one line updated in place; in a log, one line per report whose text contains
 * `logWhen` (every report when empty). Returns false once interrupted, which stops the job.
 */
ProgressFn stderrProgress(const std::string &logWhen = {});

/** The most --threads a command takes (or the machine's core count, if larger); parseCommandLine refuses more. */
constexpr int MaxThreads = 256;
/** The --threads option (0 or absent = every core: the CLI has no window to keep responsive). */
int threadsOption(const QCommandLineParser &parser);

/**
 * Runs a command's work (which returns its exit code) and maps what it throws to the shared exit codes:
 * std::invalid_argument -> UsageError, any other exception -> BadInput, each printed as "untangle-cli: message" after
 * ending a progress line.
 */
int runReportingErrors(const std::function<int()> &work);

/** Creates dir and checks it is writable; on failure sets problem and returns false. */
bool folderWritable(const QString &dir, QString &problem);

/**
 * Reads a command's settings into a config that, on --resume, already holds the run's own: an option is read when
 * the run is fresh or when it is given, so a resumed run keeps its settings and an option given anyway is checked
 * against them by the engine. Numbers that do not parse are remembered (ok()).
 */
class SettingOptions {
public:
    SettingOptions(const QCommandLineParser &parser, bool resume);
    bool given(const char *name) const;
    QString value(const char *name) const;
    /** Sets field from the option when given; int, std::uint64_t or double. */
    void number(const char *name, int &field);
    void number(const char *name, std::uint64_t &field);
    void number(const char *name, double &field);
    bool ok() const { return m_ok; }

private:
    const QCommandLineParser &m_parser;
    bool m_resume;
    bool m_ok = true;
};

} // namespace untangle::cli
