#include "clicommon.h"

#include "errortext.h"
#include "runfolderclaim.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryFile>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <memory>
#include <stdexcept>
#include <sys/file.h>
#include <thread>
#include <type_traits>
#include <unistd.h>

#include <cstdio>

namespace untangle::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

/**
 * The first Ctrl-C (or SIGTERM) asks the job to stop at its next safe point, keeping its last checkpoint; a second
 * one ends the process at once, for work that cannot poll (a generator's forward that never returns, a long load).
 * Checkpoints and results are written atomically, so even that leaves no half-written file. Only async-signal-safe
 * calls here (write, _exit).
 */
void onInterrupt(int)
{
    if (g_interrupted) {
        constexpr char Now[] = "\nuntangle-cli: interrupted again, quitting now\n";
        [[maybe_unused]] const auto written = ::write(STDERR_FILENO, Now, sizeof Now - 1);
        ::_exit(InterruptedExit);
    }
    g_interrupted = 1;
    constexpr char Soon[] = "\nuntangle-cli: stopping at the next safe point (Ctrl-C again to quit now)\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, Soon, sizeof Soon - 1);
}

} // namespace

int fail(ExitCode code, const QString &message)
{
    std::fprintf(stderr, "untangle-cli: %s\n", qPrintable(message));
    return code;
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments))
        return fail(UsageError, parser.errorText());
    if (parser.isSet("help")) {
        std::printf("%s", qPrintable(parser.helpText()));
        return Success;
    }
    if (parser.optionNames().contains("threads")) {
        // Every command that takes --threads: thousands of threads took minutes to start and to stop (SIGTERM
        // waited for them), and a negative or misspelt count silently meant every core.
        const int most = std::max(MaxThreads, int(std::thread::hardware_concurrency()));
        bool number = false;
        const int threads = parser.value("threads").toInt(&number);
        if (!number || threads < 0 || threads > most)
            return fail(UsageError,
                QString("--threads is 0 (every core) to %1, not '%2'").arg(most).arg(parser.value("threads")));
    }
    return std::nullopt;
}

void installInterruptHandler()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

bool interrupted()
{
    return g_interrupted != 0;
}

ProgressFn stderrProgress(const std::string &logWhen)
{
    const bool terminal = ::isatty(STDERR_FILENO);
    // In a log, reports without the marker are throttled to one line per LogInterval (a GAN reports every iteration).
    const auto LogInterval = std::chrono::seconds(10);
    auto lastLine = std::make_shared<std::chrono::steady_clock::time_point>();
    return [terminal, logWhen, lastLine, LogInterval](double fraction, const std::string &what) {
        const auto now = std::chrono::steady_clock::now();
        const bool marked = !logWhen.empty() && what.find(logWhen) != std::string::npos;
        if (terminal) {
            std::fprintf(stderr, "\r[%5.1f%%] %-60s", 100.0 * fraction, what.c_str());
        } else if (marked || (logWhen.empty() && (now - *lastLine >= LogInterval || fraction >= 1.0))) {
            std::fprintf(stderr, "[%5.1f%%] %s\n", 100.0 * fraction, what.c_str());
            *lastLine = now;
        }
        std::fflush(stderr);
        return !interrupted();
    };
}

int threadsOption(const QCommandLineParser &parser)
{
    const int threads = parser.value("threads").toInt(); // 0 when absent or not a number
    return threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
}

int runReportingErrors(const std::function<int()> &work)
{
    // Every size option has a documented bound checked before any work; this is for what slips past them (a bound
    // that still does not fit a small machine, a size no option names).
    const auto outOfMemory = [] {
        std::fprintf(stderr, "\n");
        return fail(BadInput,
            "out of memory: a size option (a sample, image, pool or batch count) asked for more memory than this "
            "machine has; try a smaller value");
    };
    try {
        return work();
    } catch (const std::bad_alloc &) {
        return outOfMemory();
    } catch (const std::invalid_argument &error) {
        std::fprintf(stderr, "\n");
        return fail(UsageError, QString::fromStdString(conciseError(error)));
    } catch (const std::exception &error) {
        // torch's CPU allocator throws a c10::Error, not std::bad_alloc, when an allocation fails.
        if (std::strstr(error.what(), "can't allocate memory"))
            return outOfMemory();
        // c10::Error (torch) included: its what() carries a C++ backtrace, which conciseError cuts.
        std::fprintf(stderr, "\n");
        return fail(BadInput, QString::fromStdString(conciseError(error)));
    }
}

namespace {

/** Removes a claim's lock and marker from a folder nothing else was written to; false when anything else is there or
 *  another process holds the lock (it is about to use the folder). */
bool removeBookkeepingOnly(const QString &dir)
{
    const QDir folder(dir);
    const QStringList entries = folder.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : entries)
        if (name != RunLockFileName && name != RunMarkerFileName)
            return false;
    if (entries.contains(RunLockFileName)) {
        // Unlinked while this process holds it, so a claimant that comes later creates a fresh lock of its own.
        const QByteArray lockPath = QFile::encodeName(folder.filePath(RunLockFileName));
        const int fd = ::open(lockPath.constData(), O_RDWR | O_CLOEXEC);
        if (fd < 0)
            return false;
        const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
        if (!held) {
            QFile::remove(folder.filePath(RunMarkerFileName));
            ::unlink(lockPath.constData());
        }
        ::close(fd);
        return !held;
    }
    return entries.isEmpty() || QFile::remove(folder.filePath(RunMarkerFileName));
}

} // namespace

OutputFolder::OutputFolder(const QString &dir)
    : m_dir(QDir::cleanPath(QDir(dir).absolutePath()))
{
    for (QString missing = m_dir; !missing.isEmpty() && !QFileInfo::exists(missing);) {
        m_created.push_back(missing);
        const QString parent = QFileInfo(missing).path();
        if (parent == missing)
            break;
        missing = parent;
    }
    if (!QDir().mkpath(m_dir)) {
        m_problem = dir + ": cannot create the output folder";
        return;
    }
    QTemporaryFile probe(m_dir + "/.untangle-write-test-XXXXXX");
    if (!probe.open())
        m_problem = dir + ": the output folder is not writable";
}

OutputFolder::~OutputFolder()
{
    for (const QString &created : m_created) // deepest first: a parent empties only once its child is gone
        if (!removeBookkeepingOnly(created) || !QDir().rmdir(created))
            return;
}

QString outputFileProblem(const char *option, const QString &file)
{
    const QString name = QString("--") + option;
    const QFileInfo info(file);
    if (info.isDir())
        return name + " " + file + " is a folder; give the file to write";
    if (info.exists() && !info.isFile())
        return name + " " + file + " is not a regular file";
    const QFileInfo parent(info.absolutePath());
    if (!parent.isDir())
        return name + " " + file + ": the folder " + parent.filePath() + " does not exist";
    if (!parent.isWritable())
        return name + " " + file + ": the folder " + parent.filePath() + " is not writable";
    return {};
}

QString outputFileProblem(const char *option, const QString &file, const QStringList &inputs, const QString &mayReplace)
{
    if (const QString problem = outputFileProblem(option, file); !problem.isEmpty())
        return problem;
    const QFileInfo info(file);
    if (!info.exists())
        return {}; // a new file destroys nothing, inside a run folder or not
    const QString target = info.canonicalFilePath();
    if (!mayReplace.isEmpty() && QFileInfo(mayReplace).canonicalFilePath() == target)
        return {};
    const QString name = QString("--") + option;
    for (const QString &input : inputs) {
        const QFileInfo given(input);
        // A run folder stands for the file read from it (generator.pt, directions.json): any of its files counts.
        const bool same = given.isDir()
            ? QFileInfo(info.absolutePath()).canonicalFilePath() == given.canonicalFilePath()
            : given.canonicalFilePath() == target;
        if (same)
            return name + " " + file + " is one of this command's inputs; write it elsewhere";
    }
    if (const auto kind = detectRunKind(info.absolutePath().toStdString()))
        return name + " " + file + " is a file of the " + runKindName(*kind) + " in " + info.absolutePath()
            + ", which only that run writes; write it elsewhere";
    return {};
}

SettingOptions::SettingOptions(const QCommandLineParser &parser, bool resume)
    : m_parser(parser)
    , m_resume(resume)
{
}

bool SettingOptions::given(const char *name) const
{
    return !m_resume || m_parser.isSet(name);
}

QString SettingOptions::value(const char *name) const
{
    return m_parser.value(name);
}

std::optional<QString> SettingOptions::textOf(const char *name) const
{
    if (!given(name))
        return std::nullopt;
    const QString text = m_parser.value(name);
    if (text.isEmpty() && !m_parser.isSet(name))
        return std::nullopt; // no default and not given: the field keeps its value
    return text;
}

void SettingOptions::remember(const QString &problem)
{
    if (m_problem.isEmpty())
        m_problem = problem;
}

int SettingOptions::failure() const
{
    return fail(UsageError, m_problem);
}

template <typename T> bool SettingOptions::wholeNumber(const char *name, T &field)
{
    const auto text = textOf(name);
    if (!text)
        return true;
    bool parsed = false;
    T value {};
    if constexpr (std::is_signed_v<T>) {
        const qlonglong wide = text->toLongLong(&parsed);
        parsed = parsed && wide >= std::numeric_limits<T>::min() && wide <= std::numeric_limits<T>::max();
        value = T(wide);
    } else {
        const qulonglong wide = text->toULongLong(&parsed);
        parsed = parsed && wide <= std::numeric_limits<T>::max();
        value = T(wide);
    }
    if (parsed) {
        field = value;
        return true;
    }
    const QString option = QString("--") + name;
    // Digits that do not fit are "too large", never a later "must be at least 1" about the 0 a failed parse gives.
    static const QRegularExpression digits(R"(^\s*[+-]?\d+\s*$)");
    const bool negative = text->trimmed().startsWith('-');
    if (!digits.match(*text).hasMatch())
        remember(option + " must be a whole number, got '" + *text + "'");
    else if (negative && !std::is_signed_v<T>)
        remember(option + " must be a whole number from 0 up, got '" + *text + "'");
    else if (negative)
        remember(option + " is too small: '" + *text + "' (at least " + QString::number(std::numeric_limits<T>::min())
            + ")");
    else
        remember(
            option + " is too large: '" + *text + "' (at most " + QString::number(std::numeric_limits<T>::max()) + ")");
    return false;
}

bool SettingOptions::number(const char *name, int &field)
{
    return wholeNumber(name, field);
}

bool SettingOptions::number(const char *name, long long &field)
{
    return wholeNumber(name, field);
}

bool SettingOptions::number(const char *name, unsigned long &field)
{
    return wholeNumber(name, field);
}

bool SettingOptions::number(const char *name, unsigned long long &field)
{
    return wholeNumber(name, field);
}

bool SettingOptions::number(const char *name, double &field)
{
    const auto text = textOf(name);
    if (!text)
        return true;
    bool parsed = false;
    const double value = text->toDouble(&parsed);
    if (parsed) {
        field = value;
        return true;
    }
    static const QRegularExpression decimal(R"(^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$)");
    if (decimal.match(*text).hasMatch()) // 1e999: a number, but not one a double holds
        remember(QString("--") + name + " is out of range: '" + *text + "'");
    else
        remember(QString("--") + name + " must be a number, got '" + *text + "'");
    return false;
}

} // namespace untangle::cli
