// Dataset build times against their targets (CMNIST-10k <= 0.3 s, Colored Fashion-MNIST <= 2 s).
// Baseline in the same run: copying as many bytes as the dataset holds (a floor no builder can beat), so the
// ratio column says how far each build is from pure memory bandwidth on this (shared, noisy) machine.
// Scenes rendering against its target (>= 5,000 64x64 images/s on 2 threads), cold and warm geometry cache:
// baseline = filling the same bytes with one flat colour per image (the cheapest possible "render").
#include "benchtable.h"

#include "datasetfactory.h"
#include "greysourcecache.h"
#include "scenesrenderer.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace untangle;

namespace {

constexpr int Repeats = 9; // odd, so the median is one real run

std::size_t datasetBytes(const BiasedDataset &d)
{
    return d.train.pixels.size() + d.valid.pixels.size() + d.test.pixels.size();
}

double copyBaseline(std::size_t bytes)
{
    std::vector<std::uint8_t> from(bytes, 1), to(bytes);
    return bench::median(bench::timeRuns(Repeats, [&] { std::memcpy(to.data(), from.data(), bytes); }));
}

void benchKind(const char *name, DatasetKind kind, double target, int repeats = Repeats)
{
    DatasetSpec spec;
    spec.kind = kind;
    std::size_t bytes = 0;
    try {
        // The first build reads and caches the source files: timed separately as the cold case.
        const auto cold = bench::timeRuns(1, [&] { bytes = datasetBytes(buildDataset(spec)); });
        const auto warm = bench::timeRuns(repeats, [&] { buildDataset(spec); });
        const double baseline = copyBaseline(bytes);
        bench::printRow(std::string(name) + " (warm)", warm, target, baseline);
        bench::printRow(std::string(name) + " (cold, reads files)", cold, 0, baseline);
    } catch (const std::exception &error) {
        std::printf("%-34s skipped: %s\n", name, error.what());
    }
}

constexpr int RenderedScenes = 4000; // random tuples per timed run: ~8 per geometry, like a dataset build
constexpr double ScenesPerSecondTarget = 5000.0; // issue 12: >= 5,000 64x64 images/s on 2 cores
constexpr std::int64_t SceneStride = 7919; // a prime: the tuples visit every factor value, no two alike

double imagesPerSecond(int count, const std::vector<double> &runs)
{
    return count / bench::median(runs);
}

/**
 * Three rates: tracing every one of the 480 geometries from an empty cache (the renderer's real work), 4000 random
 * tuples from an empty cache (a first dataset build), and the same 4000 again with the geometries kept (later
 * builds, GAN streams). Baseline: filling the same bytes with one flat colour per image.
 */
void benchScenes()
{
    std::vector<SceneFactors> geometries, tuples;
    for (int shape = 0; shape < SceneFactorSizes[int(SceneFactor::Shape)]; ++shape)
        for (int scale = 0; scale < SceneFactorSizes[int(SceneFactor::Scale)]; ++scale)
            for (int orientation = 0; orientation < SceneFactorSizes[int(SceneFactor::Orientation)]; ++orientation)
                geometries.push_back(
                    SceneFactors {shape % 10, (shape + 3) % 10, (scale + 6) % 10, scale, shape, orientation});
    for (int i = 0; i < RenderedScenes; ++i)
        tuples.push_back(sceneFactorsAt(std::int64_t(i) * SceneStride % sceneCount()));
    const std::size_t imageBytes = std::size_t(SceneResolution) * SceneResolution * 3;
    std::vector<std::uint8_t> out(imageBytes * tuples.size());
    const auto fill = bench::timeRuns(Repeats, [&] {
        for (std::size_t i = 0; i < tuples.size(); ++i)
            std::fill_n(out.data() + imageBytes * i, imageBytes, std::uint8_t(tuples[i].wallHue * 25));
    });
    const double baseline = bench::median(fill);
    const double geometryBaseline = baseline * double(geometries.size()) / tuples.size();
    auto timed = [&](const std::vector<SceneFactors> &scenes, int threads, bool cold) {
        return bench::timeRuns(Repeats, [&] {
            if (cold)
                clearSceneCache();
            renderScenesInto(scenes, SceneResolution, out.data(), threads);
        });
    };
    const auto traceOne = timed(geometries, 1, true), traceTwo = timed(geometries, 2, true);
    const auto coldTwo = timed(tuples, 2, true);
    const auto warmOne = timed(tuples, 1, false), warmTwo = timed(tuples, 2, false);
    const double tupleTarget = RenderedScenes / ScenesPerSecondTarget;
    bench::printRow("Scenes 480 geometries, cold, 1 thr", traceOne, 0, geometryBaseline);
    bench::printRow("Scenes 480 geometries, cold, 2 thr", traceTwo, 480 / ScenesPerSecondTarget, geometryBaseline);
    bench::printRow("Scenes 4000 tuples, cold, 2 thr", coldTwo, tupleTarget, baseline);
    bench::printRow("Scenes 4000 tuples, warm, 1 thr", warmOne, 0, baseline);
    bench::printRow("Scenes 4000 tuples, warm, 2 thr", warmTwo, tupleTarget, baseline);
    std::printf("Scenes 64x64 images/s (target %.0f on 2 threads; flat-fill baseline %.0f/s):\n", ScenesPerSecondTarget,
        imagesPerSecond(RenderedScenes, fill));
    std::printf("  tracing, cold cache     %8.0f (1 thread) %8.0f (2 threads)\n",
        imagesPerSecond(int(geometries.size()), traceOne), imagesPerSecond(int(geometries.size()), traceTwo));
    std::printf(
        "  random tuples, cold     %8s            %8.0f (2 threads)\n", "", imagesPerSecond(RenderedScenes, coldTwo));
    std::printf("  random tuples, warm     %8.0f (1 thread) %8.0f (2 threads)\n",
        imagesPerSecond(RenderedScenes, warmOne), imagesPerSecond(RenderedScenes, warmTwo));
}

} // namespace

int main()
{
    std::printf("Dataset build times, %d runs each (seconds)\n", Repeats);
    bench::printHeader("s");
    benchKind("CMNIST-10k", DatasetKind::ColoredMnist10k, 0.3);
    benchKind("Colored Fashion-MNIST", DatasetKind::ColoredFashion, 2.0);
    benchKind("Corrupted Fashion-MNIST", DatasetKind::CorruptedFashion, 0, 3);
    benchKind("Sprites 32x32", DatasetKind::Sprites, 0);
    benchKind("Scenes 64x64 (12,000 images)", DatasetKind::Scenes, 0, 3);
    benchScenes();
    return 0;
}
