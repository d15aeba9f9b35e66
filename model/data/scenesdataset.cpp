#include "scenesdataset.h"

#include "biasassignment.h"
#include "dataerror.h"
#include "datasetnaming.h"
#include "scenesrenderer.h"
#include "seededrandom.h"

#include <cstdio>
#include <vector>

namespace untangle {
namespace {

constexpr int NumShapes = 4;
constexpr int NumBands = 4; // as many bias values as targets, so aligned means bias == target, as everywhere
constexpr int TrainPerShape = 2000; // 8,000 training scenes, like Biased Sprites' 2,000 per shape
constexpr int EvalPerCell = 125; // valid/test: 125 per (shape, band) cell, 2,000 per split
constexpr std::uint64_t TestSeed = 20240101; // fixed, so every run (any seed, any ratio) is scored on the same test set
constexpr std::uint64_t BiasStream = 0; // derive(seed, BiasStream + shape): bias labels, as in Colored MNIST
constexpr std::uint64_t FactorStream = 100; // derive(seed, FactorStream): the training scenes' free factors
constexpr std::uint64_t ValidStream = 200; // derive(seed, ValidStream): the valid scenes' free factors
constexpr int RenderThreads = 0; // every core: the scenes are independent and the bytes do not depend on it

int sizeOf(SceneFactor factor)
{
    return SceneFactorSizes[std::size_t(factor)];
}

/** Random floor hue, wall hue, scale and orientation; object hue uniform inside the band. */
SceneFactors randomScene(int shape, int band, SeededRandom &random)
{
    SceneFactors f;
    f.shape = shape;
    f.floorHue = random.below(sizeOf(SceneFactor::FloorHue));
    f.wallHue = random.below(sizeOf(SceneFactor::WallHue));
    f.scale = random.below(sizeOf(SceneFactor::Scale));
    f.orientation = random.below(sizeOf(SceneFactor::Orientation));
    f.objectHue = sceneHueBandBegin(band) + random.below(sceneHueBandBegin(band + 1) - sceneHueBandBegin(band));
    return f;
}

/** Renders the scenes into `out` (allocated for them) and labels them: target = shape, bias = band. */
void renderSplit(
    const std::vector<SceneFactors> &scenes, const std::vector<int> &bands, int resolution, LabeledImages &out)
{
    out.allocate(int(scenes.size()), resolution, resolution, 3);
    renderScenesInto(scenes, resolution, out.pixels.data(), RenderThreads);
    for (std::size_t i = 0; i < scenes.size(); ++i) {
        out.targets[i] = scenes[i].shape;
        out.biases[i] = bands[i];
    }
}

/** Unbiased split: EvalPerCell scenes in every (shape, band) cell, shape-major. */
void buildEvalSplit(int resolution, std::uint64_t seed, LabeledImages &out)
{
    std::vector<SceneFactors> scenes;
    std::vector<int> bands;
    SeededRandom random(seed);
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int band = 0; band < NumBands; ++band)
            for (int k = 0; k < EvalPerCell; ++k) {
                scenes.push_back(randomScene(shape, band, random));
                bands.push_back(band);
            }
    renderSplit(scenes, bands, resolution, out);
}

} // namespace

int sceneHueBandBegin(int band)
{
    // ceil(band * 10 / 4): bands of 3, 2, 3 and 2 hues.
    const int hues = sizeOf(SceneFactor::ObjectHue);
    return (band * hues + NumBands - 1) / NumBands;
}

BiasedDataset buildBiasedScenes(const ColoringOptions &options, int resolution)
{
    checkRatio(options.ratio);
    if (resolution != 32 && resolution != 64)
        throw DataError("Scenes resolution " + std::to_string(resolution) + " is not supported (use 32 or 64)");

    BiasedDataset dataset;
    dataset.name = "scenes";
    char description[160];
    std::snprintf(description, sizeof description,
        "Biased Scenes %dx%d (shape vs object hue), %g%% conflicting, seed %llu", resolution, resolution,
        options.ratio * 100.0, static_cast<unsigned long long>(options.seed));
    dataset.description = description;
    dataset.targetNames = sceneShapeNames();
    dataset.biasNames = sceneHueBandNames();

    std::vector<SceneFactors> scenes;
    std::vector<int> bands;
    SeededRandom random(SeededRandom::derive(options.seed, FactorStream));
    for (int shape = 0; shape < NumShapes; ++shape) {
        const auto shapeBands = assignBiasLabels(
            TrainPerShape, shape, NumBands, options.ratio, SeededRandom::derive(options.seed, BiasStream + shape));
        for (int k = 0; k < TrainPerShape; ++k) {
            scenes.push_back(randomScene(shape, shapeBands[k], random));
            bands.push_back(shapeBands[k]);
        }
    }
    renderSplit(scenes, bands, resolution, dataset.train);

    buildEvalSplit(resolution, SeededRandom::derive(options.seed, ValidStream), dataset.valid);
    buildEvalSplit(resolution, TestSeed, dataset.test);
    return dataset;
}

} // namespace untangle
