#include "coloredmnist.h"

#include "biasassignment.h"
#include "dataerror.h"
#include "datasetnaming.h"
#include "palette.h"
#include "seededrandom.h"

#include <algorithm>

namespace untangle {
namespace {

constexpr int NumClasses = 10;
constexpr double TrainFraction = 0.8; // CMNIST-10k protocol: first 80% of each class
constexpr double ValidFraction = 0.1; // next 10%; the rest is test

/** Every image of the class lists in all 10 palette colours, digit-major order. */
SplitPlan exhaustivePlan(const std::vector<std::vector<int>> &byClass)
{
    SplitPlan plan;
    for (int c = 0; c < NumClasses; ++c)
        for (int index : byClass[c])
            for (int colour = 0; colour < NumClasses; ++colour)
                plan.add(index, c, colour);
    return plan;
}

} // namespace

std::vector<std::vector<int>> indicesByClass(
    const std::vector<std::int64_t> &labels, int numClasses, const std::string &source)
{
    std::vector<std::vector<int>> byClass(numClasses);
    for (int i = 0; i < int(labels.size()); ++i) {
        const auto label = labels[i];
        if (label < 0 || label >= numClasses)
            throw DataError(source + ": label " + std::to_string(label) + " at index " + std::to_string(i)
                + " is outside 0.." + std::to_string(numClasses - 1));
        byClass[label].push_back(i);
    }
    return byClass;
}

void colorSplit(
    const GreyImages &source, const SplitPlan &plan, double noise, std::uint64_t noiseSeed, LabeledImages &out)
{
    out.allocate(plan.size(), source.height, source.width, 3);
    const auto &palette = lffPalette();
    const int pixels = source.height * source.width;
    SeededRandom random(noiseSeed);
    for (int k = 0; k < plan.size(); ++k) {
        Rgb colour = palette[plan.bias[k]];
        if (noise > 0.0)
            for (double &component : colour)
                component = std::clamp(component + noise * random.normal(), 0.0, 1.0);
        const std::uint8_t *grey = source.pixels.data() + std::size_t(pixels) * plan.sourceIndex[k];
        colorizeGrey(grey, pixels, colour, out.imageData(k));
        out.targets[k] = plan.target[k];
        out.biases[k] = plan.bias[k];
    }
}

BiasedDataset buildColoredMnist(const GreyImages &digits, const ColoringOptions &options)
{
    checkRatio(options.ratio);
    const auto byClass = indicesByClass(digits.labels, NumClasses, "MNIST digits");

    std::vector<std::vector<int>> validIdx(NumClasses), testIdx(NumClasses);
    SplitPlan train;
    for (int c = 0; c < NumClasses; ++c) {
        const int n = int(byClass[c].size());
        const int nTrain = int(n * TrainFraction);
        const int nValid = int(n * ValidFraction);
        validIdx[c].assign(byClass[c].begin() + nTrain, byClass[c].begin() + nTrain + nValid);
        testIdx[c].assign(byClass[c].begin() + nTrain + nValid, byClass[c].end());
        const auto bias = assignBiasLabels(nTrain, c, NumClasses, options.ratio, SeededRandom::derive(options.seed, c));
        for (int k = 0; k < nTrain; ++k)
            train.add(byClass[c][k], c, bias[k]);
    }

    BiasedDataset dataset;
    dataset.name = "cmnist";
    dataset.description = "Colored MNIST (" + std::to_string(digits.count) + " digits), " + describeOptions(options);
    dataset.targetNames = digitNames();
    dataset.biasNames = colourNames();
    colorSplit(digits, train, options.colorNoise, SeededRandom::derive(options.seed, 1000), dataset.train);
    colorSplit(digits, exhaustivePlan(validIdx), 0.0, 0, dataset.valid);
    colorSplit(digits, exhaustivePlan(testIdx), 0.0, 0, dataset.test);
    return dataset;
}

} // namespace untangle
