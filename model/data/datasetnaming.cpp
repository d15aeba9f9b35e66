#include "datasetnaming.h"

#include "corruptions.h"
#include "dataerror.h"
#include "scenesrenderer.h"
#include "spritesrenderer.h"

#include <cstdio>

namespace untangle {

void checkRatio(double ratio)
{
    if (!(ratio >= 0.0 && ratio <= 1.0))
        throw DataError("conflicting ratio " + std::to_string(ratio) + " is outside [0, 1]");
}

std::string describeOptions(const ColoringOptions &options)
{
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%g%% conflicting, colour noise %g, seed %llu", options.ratio * 100.0,
        options.colorNoise, static_cast<unsigned long long>(options.seed));
    return buffer;
}

std::vector<std::string> digitNames()
{
    return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

std::vector<std::string> colourNames()
{
    return {"red", "yellow", "mauve", "sage", "sky", "green", "blue", "purple", "olive", "crimson"};
}

std::vector<std::string> fashionNames()
{
    return {"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

} // namespace untangle

namespace untangle {

std::vector<std::string> spriteShapeNames()
{
    return {"square", "ellipse", "heart"};
}

std::vector<std::string> spriteBandNames()
{
    return {"left", "centre", "right"};
}

std::vector<std::string> sceneHueBandNames()
{
    return {"red-yellow", "green", "cyan-blue", "purple-pink"};
}

std::vector<DatasetFactor> datasetFactors(DatasetKind kind)
{
    std::vector<DatasetFactor> factors;
    if (kind == DatasetKind::Sprites) {
        // The spelling of the retrieval pool's Sprites factors (retrievalpool.h).
        const char *names[SpriteFactorCount] = {"shape", "scale", "orientation", "x", "y"};
        for (int f = 0; f < SpriteFactorCount; ++f)
            factors.push_back({names[f], SpriteFactorSizes[f]});
    } else if (kind == DatasetKind::Scenes) {
        for (int f = 0; f < SceneFactorCount; ++f)
            factors.push_back({sceneFactorName(SceneFactor(f)), SceneFactorSizes[f]});
    }
    return factors;
}

bool fixedLabelNames(DatasetKind kind, std::vector<std::string> &targets, std::vector<std::string> &biases)
{
    switch (kind) {
    case DatasetKind::ColoredMnist10k:
    case DatasetKind::ColoredMnistIdx:
        targets = digitNames();
        biases = colourNames();
        return true;
    case DatasetKind::ColoredFashion:
        targets = fashionNames();
        biases = colourNames();
        return true;
    case DatasetKind::CorruptedFashion:
        targets = fashionNames();
        biases = corruptionNames();
        return true;
    case DatasetKind::Sprites:
        targets = spriteShapeNames();
        biases = spriteBandNames();
        return true;
    case DatasetKind::Scenes:
        targets = sceneShapeNames();
        biases = sceneHueBandNames();
        return true;
    case DatasetKind::ImageFolder:
    case DatasetKind::LffFolder:
        break;
    }
    return false;
}

} // namespace untangle
