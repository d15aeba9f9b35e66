// Latent engine speed next to the FLOP bound this machine's GEMM throughput gives, measured in the same run:
// render latency of the built-in generator (1 and 9 images at 32 and 64 px, and the slider case: 9 samples with a
// shift, target <= 10 ms at 64 px), GAN iterations per second and SRE steps per second, on Sprites (1 channel) and
// on Scenes (RGB 64 px, the latent study's world); the ProGAN networks (--synthesis progan) beside the style one.
// Usage: bench_latent [GENERATOR]   (default: a randomly initialised full-size generator; latency ignores weights)
#include "benchtable.h"

#include "computeruntime.h"
#include "directions/directionfinder.h"
#include "explore/latentrenderer.h"
#include "gan/ganrunner.h"
#include "gemmthroughput.h"
#include "selfcheck/latentselfcheck.h"
#include "sre/scoreencoder.h"
#include "sre/srerunner.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstdio>
#include <numeric>

using namespace untangle;

namespace {

constexpr int RenderRepeats = 40;
constexpr int GanIterations = 30;
constexpr int Threads = 2;
constexpr int SreSteps = 24;

/** The GAN settings of the networks benchmarked: the shipped style recipe, and ProGAN's at two widths. */
GanConfig benchConfig(int resolution, const std::string &network)
{
    GanConfig config;
    config.resolution = resolution;
    if (network == "style")
        return config;
    config.synthesis = GanConfig::Synthesis::ProGan;
    config.loss = GanConfig::Loss::Logistic;
    config.spectralNorm = false;
    config.r1Gamma = 1.0;
    if (network == "progan") { // the Train GAN page's ProGAN recipe
        config.convsPerStage = 2;
        config.baseChannels = 128;
        config.minChannels = 16;
    }
    return config; // "progan-light": the style recipe's widths, one conv per stage
}

std::string randomGenerator(
    const QTemporaryDir &dir, int resolution, int channels = 1, const std::string &network = "style")
{
    const GanConfig config = benchConfig(resolution, network);
    selfcheck::TinyGenerator settings;
    settings.channels = channels;
    settings.latentSize = settings.styleSize = 64;
    settings.resolution = resolution;
    settings.baseChannels = config.baseChannels;
    settings.minChannels = config.minChannels;
    settings.convsPerStage = config.convsPerStage;
    settings.proGan = config.synthesis == GanConfig::Synthesis::ProGan;
    const std::string path
        = dir.filePath(QString("g%1-c%2-%3.pt").arg(resolution).arg(channels).arg(QString::fromStdString(network)))
              .toStdString();
    selfcheck::writeRandomStyleGenerator(path, settings);
    return path;
}

void benchRender(const std::string &path, int resolution, double gflops, const std::string &network = "style")
{
    LatentRenderer renderer(path);
    const double imageFlops = ganGeneratorFlops(benchConfig(resolution, network));
    for (int count : {1, 9}) {
        std::vector<std::uint64_t> seeds(static_cast<std::size_t>(count));
        std::iota(seeds.begin(), seeds.end(), 1);
        const Matrix styles = renderer.styles(seeds);
        std::vector<double> shift(std::size_t(styles.cols), 0.0);
        shift[0] = 1.5;
        renderer.render(styles, shift); // warm-up
        const double bound = count * imageFlops / (gflops * 1e9);
        const auto runs = bench::timeRuns(RenderRepeats, [&] { renderer.render(styles, shift); });
        const double targetMs = resolution == 64 && count == 9 ? 10.0 : 0.0;
        const std::string name = network == "style" ? "" : network + " ";
        bench::printRow(name + "render " + std::to_string(count) + " shifted @" + std::to_string(resolution) + " [ms]",
            runs, targetMs, bound, "ms", 1000.0);
    }
}

void benchGan(int resolution, double gflops, bool scenes = false, const std::string &network = "style")
{
    QTemporaryDir dir;
    GanConfig config = benchConfig(resolution, network);
    if (scenes) {
        config.sprites = false;
        config.dataset.kind = DatasetKind::Scenes;
    }
    config.iterations = GanIterations;
    config.checkpointEvery = GanIterations;
    std::vector<double> perIteration;
    GanCallbacks callbacks;
    callbacks.logged = [&](const GanLog &log) {
        if (log.iteration > 0)
            perIteration.push_back(log.secondsPerIteration);
    };
    // Per-iteration times come from the runner's log lines, written at every sample (every 10 iterations here).
    config.sampleEvery = 10;
    trainGan(config, callbacks, dir.filePath("run").toStdString());
    std::sort(perIteration.begin(), perIteration.end());
    const double bound = ganIterationFlops(config) / (gflops * 1e9);
    bench::printRow(std::string(scenes ? "Scenes " : "Sprites ") + (network == "style" ? "" : network + " ")
            + "GAN iteration @" + std::to_string(resolution) + " (batch 64) [s]",
        perIteration, 0.0, bound);
}

/** SRE steps at 64 px (K = 10, batch 32, light CNN) on a random full-size generator; time per step from the log. */
void benchSre(const std::string &generatorPath, double gflops)
{
    QTemporaryDir dir;
    DirectionsRequest request;
    request.generatorPath = generatorPath;
    const std::string directionsPath = dir.filePath("directions.json").toStdString();
    saveDirectionSet(findDirections(request), directionsPath);
    SreConfig config;
    config.generatorPath = generatorPath;
    config.directionsPath = directionsPath;
    config.steps = SreSteps;
    config.logEvery = 4;
    config.snapshotEvery = SreSteps;
    std::vector<double> perStep;
    double last = 0.0;
    int lastStep = 0;
    SreCallbacks callbacks;
    callbacks.logged = [&](const SreLog &log) {
        if (lastStep > 0) // the first segment includes set-up
            perStep.push_back((log.seconds - last) / (log.step - lastStep));
        last = log.seconds;
        lastStep = log.step;
    };
    const auto result = runSre(config, callbacks, dir.filePath("sre").toStdString());
    std::sort(perStep.begin(), perStep.end());
    GanConfig gan;
    gan.resolution = LatentRenderer(generatorPath).info().resolution;
    const int channels = LatentRenderer(generatorPath).info().channels;
    gan.sprites = channels == 1;
    const double g = ganGeneratorFlops(gan);
    const double s = 2.0 * ScoreEncoder(result.estimatorPath).macsPerImage();
    // Step (a): G forward, S forward + backward; step (b): G and S forward, both backward (into w and the image).
    const double stepFlops = config.batch * (g + 3.0 * s + 3.0 * g + 3.0 * s);
    bench::printRow(
        "SRE step @" + std::to_string(gan.resolution) + "x" + std::to_string(channels) + " (batch 32, K 10) [s]",
        perStep, 0.0, stepFlops / (gflops * 1e9));
}

} // namespace

int main(int argc, char **argv)
{
    configureComputeThread(Threads);
    const double gflops = measureGemmGflops(256, 256, 256, Threads, 50);
    std::printf(
        "GEMM throughput %.1f GFLOP/s on %d threads; baseline = FLOPs / throughput (the bound)\n\n", gflops, Threads);
    bench::printHeader("ms");
    QTemporaryDir dir;
    for (int resolution : {32, 64}) {
        const std::string path = argc > 1 ? std::string(argv[1]) : randomGenerator(dir, resolution);
        if (argc > 1 && LatentRenderer(path).info().resolution != resolution)
            continue;
        benchRender(path, resolution, gflops);
    }
    if (argc == 1) // the ProGAN networks at the slider's 64 px, next to the style network's rows above
        for (const std::string network : {"progan", "progan-light"})
            benchRender(randomGenerator(dir, 64, 1, network), 64, gflops, network);
    std::printf("\n");
    bench::printHeader("s");
    for (int resolution : {32, 64})
        benchGan(resolution, gflops);
    benchGan(64, gflops, true);
    benchGan(64, gflops, false, "progan");
    benchGan(64, gflops, false, "progan-light");
    benchSre(randomGenerator(dir, 64), gflops);
    benchSre(randomGenerator(dir, 64, 3), gflops);
    return 0;
}
