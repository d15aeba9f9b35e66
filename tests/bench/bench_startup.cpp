// Cold start of the GUI to its first window (target <= 1.5 s), to the first dataset on screen, and to the shipped
// generator's first rendered frame in the Latent workspace (target <= 2 s).
// Baseline in the same run: `untangle --version`, which loads every library (Qt, LibTorch, OpenCV) and exits
// without a window, so the difference is what the window itself costs. Runs offscreen unless DISPLAY is set.
#include "benchtable.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>

#include <cstdio>

using namespace untangle;

namespace {

constexpr int Repeats = 7;

struct Start {
    double wallToWindow = 0, wallToDataset = 0, wallToLatentFrame = 0, wallExit = 0;
};

QProcessEnvironment environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains("DISPLAY"))
        env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", "/tmp/untangle-bench-config"); // never read or write the user's settings
    return env;
}

Start launch(const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(environment());
    QElapsedTimer timer;
    timer.start();
    process.start(UNTANGLE_GUI_PATH, arguments);
    Start start;
    QByteArray out;
    while (process.state() != QProcess::NotRunning || process.bytesAvailable() > 0) {
        process.waitForReadyRead(50);
        out += process.readAllStandardOutput();
        if (start.wallToWindow == 0 && out.contains("startup_ms"))
            start.wallToWindow = timer.nsecsElapsed() / 1e9;
        if (start.wallToDataset == 0 && out.contains("first_dataset_ms"))
            start.wallToDataset = timer.nsecsElapsed() / 1e9;
        if (start.wallToLatentFrame == 0 && out.contains("first_latent_frame_ms"))
            start.wallToLatentFrame = timer.nsecsElapsed() / 1e9;
        if (process.state() == QProcess::NotRunning)
            break;
    }
    process.waitForFinished();
    start.wallExit = timer.nsecsElapsed() / 1e9;
    return start;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    std::vector<double> version, window, dataset, latent;
    for (int i = 0; i < Repeats; ++i) {
        version.push_back(launch({"--version"}).wallExit);
        const Start s = launch({"--startup-time", "--dataset", "cmnist10k"});
        window.push_back(s.wallToWindow);
        dataset.push_back(s.wallToDataset);
        latent.push_back(launch({"--startup-time", "--workspace", "latent"}).wallToLatentFrame);
    }
    std::sort(version.begin(), version.end());
    std::sort(window.begin(), window.end());
    std::sort(dataset.begin(), dataset.end());
    std::sort(latent.begin(), latent.end());
    std::printf("GUI cold start, %d launches (seconds, wall clock from process start)\n", Repeats);
    bench::printHeader("s");
    const double baseline = bench::median(version);
    bench::printRow("untangle --version (baseline)", version, 0, baseline);
    bench::printRow("start to first window", window, 1.5, baseline);
    bench::printRow("start to CMNIST-10k on screen", dataset, 0, baseline);
    if (latent.front() == 0.0) // sorted: a launch whose shipped generator failed to open has no frame time
        std::printf("start to shipped generator frame: the shipped generator failed to open; no frame to time\n");
    else
        bench::printRow("start to shipped generator frame", latent, 2.0, baseline);
    return 0;
}
