// bench_latentgui: slider move to new pixels in the direction explorer (3x3 grid, 64 x 64), against the bare
// LatentRenderer render of the same 9 shifted images measured in the same run. Target: 16 ms (one 60 Hz frame).
//   bench_latentgui [GENERATOR [DIRECTIONS]]   default: a random built-in generator of the Sprites GAN's size
#include "computeruntime.h"
#include "directionexplorer.h"
#include "directions/directionfinder.h"
#include "directionshift.h"
#include "directionsliderbank.h"
#include "explore/latentrenderer.h"
#include "latentrenderservice.h"
#include "latentworkspace.h"
#include "selfcheck/latentselfcheck.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace untangle;

namespace {
constexpr int Moves = 60; // slider moves timed (after warm-up)
constexpr int WarmupMoves = 5;
constexpr int Samples = 9; // the 3x3 grid
constexpr double TargetMs = 16.0;
constexpr int TimeoutMs = 60000;

/** Runs the event loop until done() or the timeout; false on timeout. */
template <typename Predicate> bool waitFor(Predicate done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return true;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[std::min(values.size() - 1, std::size_t(p * double(values.size() - 1) + 0.5))];
}

void row(const char *name, const std::vector<double> &ms)
{
    std::printf("%-44s %8.2f %8.2f %8.2f %6s\n", name, percentile(ms, 0.5), percentile(ms, 0.95),
        *std::min_element(ms.begin(), ms.end()), percentile(ms, 0.5) <= TargetMs ? "ok" : "SLOW");
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QTemporaryDir dir;
    std::string generator = argc > 1 ? argv[1] : "";
    std::string directions = argc > 2 ? argv[2] : "";
    if (generator.empty()) {
        generator = dir.filePath("generator.pt").toStdString();
        selfcheck::TinyGenerator settings; // the Sprites GAN's shape (ganrunner.h defaults at 64 px)
        settings.latentSize = 64;
        settings.styleSize = 64;
        settings.resolution = 64;
        settings.baseChannels = 64;
        settings.minChannels = 8;
        selfcheck::writeRandomStyleGenerator(generator, settings);
    }
    if (directions.empty()) {
        DirectionsRequest request;
        request.generatorPath = generator;
        request.count = 10;
        directions = dir.filePath("sefa.json").toStdString();
        saveDirectionSet(findDirections(request), directions);
    }
    const DirectionSet set = loadDirectionSet(directions);

    // Baseline: the bare renderer on this thread, same 9 styles, a new shift per call, with the thread set up as the
    // render worker sets up its own (one intra-op thread left to it, denormals flushed): without that the bare
    // render was measured at ~400 ms median here, an unfair baseline.
    configureComputeThread();
    std::vector<double> bare;
    {
        LatentRenderer renderer(generator);
        std::vector<std::uint64_t> seeds;
        for (int i = 0; i < Samples; ++i)
            seeds.push_back(std::uint64_t(i));
        const Matrix styles = renderer.styles(seeds);
        std::vector<double> amounts(std::size_t(set.count()), 0.0);
        for (int i = 0; i < WarmupMoves + Moves; ++i) {
            amounts[0] = -3.0 + 6.0 * (i % 21) / 20.0;
            const auto shift = directionShift(set, amounts);
            QElapsedTimer timer;
            timer.start();
            renderer.render(styles, shift);
            if (i >= WarmupMoves)
                bare.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
    }

    LatentWorkspace workspace;
    workspace.resize(1280, 900);
    workspace.show();
    DirectionExplorer *explorer = workspace.explorer();
    LatentRenderService *service = workspace.renderService();
    explorer->setSampleCount(Samples);
    workspace.openGenerator(QString::fromStdString(generator));
    if (!waitFor([&] { return explorer->hasGenerator(); }, TimeoutMs)) {
        std::fprintf(stderr, "could not open %s: %s\n", generator.c_str(), qPrintable(explorer->errorText()));
        return 1;
    }
    explorer->loadDirections(QString::fromStdString(directions));
    // Directions of another generator are refused; without sliders every "move" would time nothing.
    if (!explorer->hasDirections()) {
        std::fprintf(stderr, "could not load %s: %s\n", directions.c_str(), qPrintable(explorer->errorText()));
        return 1;
    }
    if (!waitFor([&] { return explorer->lastFrame().id == service->lastRequestId(); }, TimeoutMs)) {
        std::fprintf(stderr, "no first frame: %s\n", qPrintable(explorer->errorText()));
        return 1;
    }

    std::vector<double> toPixels, renderMs;
    for (int i = 0; i < WarmupMoves + Moves; ++i) {
        QElapsedTimer timer;
        timer.start();
        explorer->sliders()->setValue(0, -3.0 + 6.0 * ((i + 1) % 21) / 20.0);
        const auto id = service->lastRequestId();
        while (explorer->lastFrame().id != id)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        explorer->panelLabel(1)->repaint(); // the new pixmap painted, not just set
        if (i >= WarmupMoves) {
            toPixels.push_back(double(timer.nsecsElapsed()) / 1e6);
            renderMs.push_back(explorer->lastFrame().renderMs);
        }
    }

    std::printf("generator %s (%d x %d), %d directions, %d samples, %d moves\n", generator.c_str(),
        explorer->generatorInfo()->resolution, explorer->generatorInfo()->resolution, set.count(), Samples, Moves);
    std::printf("%-44s %8s %8s %8s %6s\n", "[ms]", "median", "p95", "min", "16 ms");
    row("bare LatentRenderer::render, 9 shifted", bare);
    row("render thread: frame render (worker side)", renderMs);
    row("explorer: slider move -> new pixels", toPixels);
    std::printf("overhead over bare render (median): %.2f ms\n", percentile(toPixels, 0.5) - percentile(bare, 0.5));
    return 0;
}
