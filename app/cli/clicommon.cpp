#include "clicommon.h"

#include "errortext.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTemporaryFile>

#include <chrono>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>
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
    try {
        return work();
    } catch (const std::invalid_argument &error) {
        std::fprintf(stderr, "\n");
        return fail(UsageError, QString::fromStdString(conciseError(error)));
    } catch (const std::exception &error) {
        // c10::Error (torch) included: its what() carries a C++ backtrace, which conciseError cuts.
        std::fprintf(stderr, "\n");
        return fail(BadInput, QString::fromStdString(conciseError(error)));
    }
}

bool folderWritable(const QString &dir, QString &problem)
{
    if (!QDir().mkpath(dir)) {
        problem = dir + ": cannot create the output folder";
        return false;
    }
    QTemporaryFile probe(dir + "/.untangle-write-test-XXXXXX");
    if (!probe.open()) {
        problem = dir + ": the output folder is not writable";
        return false;
    }
    return true;
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

void SettingOptions::number(const char *name, int &field)
{
    bool parsed = true;
    if (given(name))
        field = m_parser.value(name).toInt(&parsed);
    m_ok = m_ok && parsed;
}

void SettingOptions::number(const char *name, std::uint64_t &field)
{
    bool parsed = true;
    if (given(name))
        field = m_parser.value(name).toULongLong(&parsed);
    m_ok = m_ok && parsed;
}

void SettingOptions::number(const char *name, double &field)
{
    bool parsed = true;
    if (given(name))
        field = m_parser.value(name).toDouble(&parsed);
    m_ok = m_ok && parsed;
}

} // namespace untangle::cli
