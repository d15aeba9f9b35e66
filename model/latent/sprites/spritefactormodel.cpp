#include "sprites/spritefactormodel.h"

#include "sprites/spritefactorclassifier.h"

#include <cstdio>
#include <stdexcept>

namespace untangle {

const char *spriteFactorName(SpriteFactor factor)
{
    static const char *const names[SpriteFactorCount] = {"shape", "scale", "orientation", "x", "y"};
    const int index = int(factor);
    if (index < 0 || index >= SpriteFactorCount)
        throw std::invalid_argument("unknown sprite factor " + std::to_string(index));
    return names[index];
}

void SpriteFactorTrainingOptions::validate() const
{
    if (resolution != 32 && resolution != 64)
        throw std::invalid_argument(
            "Sprites factor model resolution must be 32 or 64, got " + std::to_string(resolution));
    if (steps < 1)
        throw std::invalid_argument("Sprites factor model steps must be positive, got " + std::to_string(steps));
    if (batchSize < 2)
        throw std::invalid_argument(
            "Sprites factor model batch size must be at least 2, got " + std::to_string(batchSize));
    if (!(learningRate > 0.0))
        throw std::invalid_argument("Sprites factor model learning rate must be positive");
    if (heldOut < 1)
        throw std::invalid_argument(
            "Sprites factor model held-out count must be positive, got " + std::to_string(heldOut));
}

std::string SpriteFactorModelInfo::summary() const
{
    std::string text;
    char line[200];
    std::snprintf(line, sizeof line, "Sprites factor model %dx%d: %d steps x %d images, %.1f s%s\n", resolution,
        resolution, steps, batchSize, trainSeconds, fromCache ? " (cached)" : "");
    text += line;
    std::snprintf(line, sizeof line, "%-12s %7s %7s %9s %9s %10s\n", "factor", "exact", "+-1", "mod-sym", "mod-sym+-1",
        "confidence");
    text += line;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto &a = accuracy[f];
        std::snprintf(line, sizeof line, "%-12s %7.3f %7.3f %9.3f %9.3f %10.3f\n", spriteFactorName(SpriteFactor(f)),
            a.exact, a.withinOne, a.moduloSymmetry, a.moduloSymmetryWithinOne, realConfidence[f]);
        text += line;
    }
    std::snprintf(line, sizeof line, "held out: %d renderer images; render-back agreement (IoU) %.3f", heldOut,
        realRenderAgreement);
    return text + line;
}

SpriteFactorModelInfo trainSpriteFactorModel(
    const SpriteFactorTrainingOptions &options, const std::string &path, const ProgressFn &progress)
{
    auto classifier = trainSpriteFactorClassifier(options, progress);
    classifier->save(path);
    classifier->setSource(path, false);
    return classifier->info();
}

SpriteFactorModelInfo ensureSpriteFactorModel(int resolution, const ProgressFn &progress)
{
    return spriteFactorClassifier(resolution, {}, progress)->info();
}

SpriteFactorModelInfo readSpriteFactorModel(const std::string &path)
{
    return SpriteFactorClassifier::load(path)->info();
}

} // namespace untangle
