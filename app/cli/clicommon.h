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
 * ending a progress line. Running out of memory (std::bad_alloc, or torch's allocator refusing) is BadInput with a
 * message saying a size option asked for more memory than this machine has, not a bare "std::bad_alloc".
 */
int runReportingErrors(const std::function<int()> &work);

/**
 * A command's output folder, created (with any missing parents) and probed for writing before any work. A command
 * refused after that (a bad generator, --grow-from that cannot apply) used to leave the folder behind, empty: when the
 * object goes, the folders it created are removed again if nothing but Untangle's own bookkeeping (the lock and kind
 * marker of a claim that wrote nothing) is in them. A folder that existed before, or holds anything else, is never
 * touched.
 */
class OutputFolder {
public:
    explicit OutputFolder(const QString &dir);
    ~OutputFolder();
    OutputFolder(const OutputFolder &) = delete;
    OutputFolder &operator=(const OutputFolder &) = delete;

    /** "" when the folder exists and is writable; otherwise what is wrong ("DIR: cannot create the output folder"). */
    const QString &problem() const { return m_problem; }

private:
    QString m_dir;
    QStringList m_created; // the folders this object made, deepest first
    QString m_problem;
};

/**
 * Problem with an output file option, checked before any work (a label run took 12 s before `--out` turned out to be a
 * folder): "" when `file` can be written; otherwise a message naming `option`, for a folder, a missing parent folder,
 * an existing path that is not a regular file, or a parent that is not writable.
 */
QString outputFileProblem(const char *option, const QString &file);
/**
 * The same, and the file is none of the command's `inputs` (files, or run folders naming their main file) and no
 * existing file of a run folder (config.json, checkpoint.pt, ... of a GAN, SRE, debias or directions run), which only
 * that run's own command writes, unless it is `mayReplace` (label writes its set in place). A PNG written over the
 * directions file it was drawn from, or over a running GAN's config.json, used to succeed with exit 0.
 */
QString outputFileProblem(
    const char *option, const QString &file, const QStringList &inputs, const QString &mayReplace = {});

/**
 * Reads a command's numeric and text options, naming the first bad one ("--samples must be a whole number, got
 * 'abc'", "--samples is too large: '99999999999' (at most 2147483647)"), so every command says which option is wrong.
 * On --resume it reads a command's settings into a config that already holds the run's own: an option is read when the
 * run is fresh or when it is given, so a resumed run keeps its settings and an option given anyway is checked against
 * them by the engine. An option without a default that is not given leaves its field unchanged.
 */
class SettingOptions {
public:
    explicit SettingOptions(const QCommandLineParser &parser, bool resume = false);
    bool given(const char *name) const;
    QString value(const char *name) const;
    /** Sets field from the option when given; false (and the problem remembered) when it is not a number of the
     *  field's kind or does not fit it. */
    bool number(const char *name, int &field);
    bool number(const char *name, long long &field);
    bool number(const char *name, unsigned long &field);
    bool number(const char *name, unsigned long long &field);
    bool number(const char *name, double &field);
    bool ok() const { return m_problem.isEmpty(); }
    /** What is wrong with the first bad option; empty when ok(). */
    QString problem() const { return m_problem; }
    /** Prints problem() and returns UsageError: `if (!options.ok()) return options.failure();`. */
    int failure() const;

private:
    /** The text to read for name, or nothing when the option is not to be read. */
    std::optional<QString> textOf(const char *name) const;
    template <typename T> bool wholeNumber(const char *name, T &field);
    void remember(const QString &problem);

    const QCommandLineParser &m_parser;
    bool m_resume;
    QString m_problem;
};

} // namespace untangle::cli
