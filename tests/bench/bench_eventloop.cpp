// Responsiveness while training: the GUI's event loop must not stall (target: every gap < 50 ms).
// A 2 ms repeating timer on the GUI thread records the gaps between its ticks while the Train page trains DeNetDM on
// CMNIST-10k with every live view on; the baseline is the same window, same timer, idle, in the same run.
// Runs offscreen unless DISPLAY is set. Usage: bench_eventloop [seconds=20]
#include "benchtable.h"

#include "datasetbuilderpage.h"
#include "debiastrainpage.h"
#include "debiasworkspace.h"
#include "jobcontroller.h"
#include "mainwindow.h"
#include "runform.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace untangle;

namespace {

constexpr int TickMs = 2;

/** Gaps between timer ticks over `seconds`, in seconds, sorted. */
std::vector<double> measureGaps(double seconds)
{
    std::vector<double> gaps;
    QElapsedTimer clock, total;
    clock.start();
    total.start();
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(TickMs);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        gaps.push_back(clock.nsecsElapsed() / 1e9);
        clock.restart();
    });
    timer.start();
    while (total.elapsed() < seconds * 1000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::sort(gaps.begin(), gaps.end());
    return gaps;
}

double percentile(const std::vector<double> &sorted, double p)
{
    return sorted.empty() ? 0.0 : sorted[std::min(sorted.size() - 1, std::size_t(p * double(sorted.size())))];
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.start(); // builds CMNIST-10k
    QElapsedTimer wait;
    wait.start();
    while (!window.debias()->datasetBuilder()->currentDataset() && wait.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);

    const auto idle = measureGaps(seconds / 2);

    QTemporaryDir runs;
    DebiasTrainPage *page = window.debias()->trainPage();
    window.debias()->setCurrentWidget(page);
    page->form()->setRunFolder(runs.filePath("run"));
    page->start(); // default settings: the paper's DeNetDM, 100 + 100 epochs, probes on, threads = cores - 1
    const auto training = measureGaps(seconds);
    window.controller()->stop();

    std::printf("GUI event-loop gaps, %d ms timer (milliseconds): idle %.0f s, then %.0f s while training DeNetDM\n",
        TickMs, seconds / 2, seconds);
    std::printf("%-34s %10s %10s %10s %10s\n", "case", "median", "p99", "max", "ticks");
    for (const auto &[name, gaps] :
        {std::pair {"idle (baseline)", &idle}, std::pair {"training, live views", &training}})
        std::printf("%-34s %10.2f %10.2f %10.2f %10zu\n", name, 1000 * bench::median(*gaps),
            1000 * percentile(*gaps, 0.99), 1000 * (gaps->empty() ? 0.0 : gaps->back()), gaps->size());
    std::printf("target: max < 50 ms -> %s\n", !training.empty() && training.back() < 0.050 ? "ok" : "SLOW");
    window.close();
    return 0;
}
