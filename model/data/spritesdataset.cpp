#include "spritesdataset.h"

#include "biasassignment.h"
#include "dataerror.h"
#include "datasetnaming.h"
#include "seededrandom.h"
#include "spritesrenderer.h"

#include <cstdio>
#include <vector>

namespace untangle {
namespace {

constexpr int NumShapes = 3;
constexpr int NumBands = 3;
constexpr int NumPositions = 32;
constexpr int TrainPerShape = 2000; // 6,000 training sprites: CMNIST-10k-sized, renders in a few milliseconds
constexpr int EvalPerCell = 200; // valid/test: 200 per (shape, band) cell, 1,800 per split, tight cell accuracies
constexpr std::uint64_t TestSeed = 20240101; // fixed, so every run (any seed, any ratio) is scored on the same test set
constexpr std::uint64_t BiasStream = 0; // derive(seed, BiasStream + shape): bias labels, as in Colored MNIST
constexpr std::uint64_t FactorStream = 100; // derive(seed, FactorStream): the training sprites' free factors
constexpr std::uint64_t ValidStream = 200; // derive(seed, ValidStream): the valid sprites' free factors

/** Band b covers x indices [bandBegin(b), bandBegin(b + 1)): 0-10 left, 11-21 centre, 22-31 right (11, 11, 10). */
int bandBegin(int band)
{
    return (band * NumPositions + NumBands - 1) / NumBands;
}

/** Random scale, orientation and y; x uniform inside the band. */
SpriteFactors randomSprite(int shape, int band, SeededRandom &random)
{
    SpriteFactors f;
    f.shape = shape;
    f.scale = random.below(SpriteFactorSizes[int(SpriteFactor::Scale)]);
    f.orientation = random.below(SpriteFactorSizes[int(SpriteFactor::Orientation)]);
    f.y = random.below(SpriteFactorSizes[int(SpriteFactor::PositionY)]);
    f.x = bandBegin(band) + random.below(bandBegin(band + 1) - bandBegin(band));
    return f;
}

/** Renders one sprite as image `index` of `out` (grey replicated into the three channels) with its labels. */
void renderSample(
    const SpriteFactors &f, int band, int resolution, std::vector<std::uint8_t> &grey, LabeledImages &out, int index)
{
    renderSpriteInto(f, resolution, grey.data());
    std::uint8_t *rgb = out.imageData(index);
    for (std::size_t p = 0; p < grey.size(); ++p)
        rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = grey[p];
    out.targets[index] = f.shape;
    out.biases[index] = band;
}

/** Unbiased split: EvalPerCell sprites in every (shape, band) cell, shape-major. */
void buildEvalSplit(int resolution, std::uint64_t seed, LabeledImages &out)
{
    out.allocate(NumShapes * NumBands * EvalPerCell, resolution, resolution, 3);
    std::vector<std::uint8_t> grey(std::size_t(resolution) * resolution);
    SeededRandom random(seed);
    int index = 0;
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int band = 0; band < NumBands; ++band)
            for (int k = 0; k < EvalPerCell; ++k)
                renderSample(randomSprite(shape, band, random), band, resolution, grey, out, index++);
}

} // namespace

BiasedDataset buildBiasedSprites(const ColoringOptions &options, int resolution)
{
    checkRatio(options.ratio);
    if (resolution != 32 && resolution != 64)
        throw DataError("Sprites resolution " + std::to_string(resolution) + " is not supported (use 32 or 64)");

    BiasedDataset dataset;
    dataset.name = "sprites";
    char description[160];
    std::snprintf(description, sizeof description,
        "Biased Sprites %dx%d (shape vs position), %g%% conflicting, seed %llu", resolution, resolution,
        options.ratio * 100.0, static_cast<unsigned long long>(options.seed));
    dataset.description = description;
    dataset.targetNames = spriteShapeNames();
    dataset.biasNames = spriteBandNames();

    LabeledImages &train = dataset.train;
    train.allocate(NumShapes * TrainPerShape, resolution, resolution, 3);
    std::vector<std::uint8_t> grey(std::size_t(resolution) * resolution);
    SeededRandom random(SeededRandom::derive(options.seed, FactorStream));
    int index = 0;
    for (int shape = 0; shape < NumShapes; ++shape) {
        const auto bands = assignBiasLabels(
            TrainPerShape, shape, NumBands, options.ratio, SeededRandom::derive(options.seed, BiasStream + shape));
        for (int k = 0; k < TrainPerShape; ++k)
            renderSample(randomSprite(shape, bands[k], random), bands[k], resolution, grey, train, index++);
    }

    buildEvalSplit(resolution, SeededRandom::derive(options.seed, ValidStream), dataset.valid);
    buildEvalSplit(resolution, TestSeed, dataset.test);
    return dataset;
}

} // namespace untangle
