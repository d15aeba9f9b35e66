#include "clicommon.h"

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

void onInterrupt(int)
{
    g_interrupted = 1;
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
        return fail(UsageError, QString::fromUtf8(error.what()));
    } catch (const std::exception &error) {
        std::fprintf(stderr, "\n");
        return fail(BadInput, QString::fromUtf8(error.what()));
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

} // namespace untangle::cli
