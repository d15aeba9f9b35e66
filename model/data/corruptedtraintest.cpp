#include "corruptedtraintest.h"

#include "corruptions.h"
#include "datasetnaming.h"
#include "seededrandom.h"

#include <opencv2/core.hpp>

#include <cstdio>

namespace untangle {
namespace {

constexpr int ProgressChunk = 4096; // images between progress reports: a few per second, cancel reacts fast
// Streams of SeededRandom::derive for the per-split corruption seeds (1000 is the coloured twin's jitter stream).
constexpr std::uint64_t TrainCorruptionStream = 2000;
constexpr std::uint64_t ValidCorruptionStream = 2001;
constexpr std::uint64_t TestCorruptionStream = 2002;

struct ProgressRange {
    const ProgressFn &progress;
    int done; // images corrupted before this split
    int total; // images in all splits
};

/**
 * Fills `out` with the plan's images, image k corrupted by corruption plan.bias[k] with seed derive(splitSeed, k):
 * the bytes depend only on the plan and splitSeed, never on how the chunks are spread over threads.
 */
void corruptSplit(const GreyImages &source, const SplitPlan &plan, std::uint64_t splitSeed, const std::string &what,
    const ProgressRange &range, LabeledImages &out)
{
    out.allocate(plan.size(), source.height, source.width, 3);
    const std::size_t pixels = std::size_t(source.height) * source.width;
    for (int begin = 0; begin < plan.size(); begin += ProgressChunk) {
        reportProgress(range.progress, double(range.done + begin) / range.total, what);
        const int end = std::min(plan.size(), begin + ProgressChunk);
        cv::parallel_for_(cv::Range(begin, end), [&](const cv::Range &part) {
            for (int k = part.start; k < part.end; ++k) {
                const std::uint8_t *grey = source.pixels.data() + pixels * plan.sourceIndex[k];
                applyCorruption(Corruption(plan.bias[k]), grey, source.height, source.width,
                    SeededRandom::derive(splitSeed, std::uint64_t(k)), out.imageData(k));
            }
        });
    }
    for (int k = 0; k < plan.size(); ++k) {
        out.targets[k] = plan.target[k];
        out.biases[k] = plan.bias[k];
    }
}

std::string describe(const std::string &sourceTitle, const ColoringOptions &options)
{
    char buffer[200];
    std::snprintf(buffer, sizeof buffer, "Corrupted %s, %g%% conflicting, seed %llu", sourceTitle.c_str(),
        options.ratio * 100.0, static_cast<unsigned long long>(options.seed));
    return buffer;
}

} // namespace

BiasedDataset buildCorruptedTrainTest(const GreyImages &train, const GreyImages &test, const ColoringOptions &options,
    const std::string &name, const std::vector<std::string> &targetNames, const ProgressFn &progress)
{
    checkRatio(options.ratio);
    const int numClasses = int(targetNames.size());
    const TrainTestPlan plan = planTrainTest(train, test, numClasses, CorruptionCount, options.ratio, options.seed);

    BiasedDataset dataset;
    dataset.name = name;
    dataset.description = describe(targetNames == fashionNames() ? "Fashion-MNIST" : name, options);
    dataset.targetNames = targetNames;
    dataset.biasNames = corruptionNames();

    const ProgressRange range {progress, 0, plan.train.size() + plan.valid.size() + plan.test.size()};
    corruptSplit(train, plan.train, SeededRandom::derive(options.seed, TrainCorruptionStream),
        "Corrupting training images", range, dataset.train);
    // Valid and test randomness is fixed like their bias draw (and like the coloured twin's noise-free eval
    // splits), so every seed's run is selected and scored on the very same images.
    corruptSplit(train, plan.valid, SeededRandom::derive(FixedTestSeed, ValidCorruptionStream),
        "Corrupting validation images", {progress, plan.train.size(), range.total}, dataset.valid);
    corruptSplit(test, plan.test, SeededRandom::derive(FixedTestSeed, TestCorruptionStream), "Corrupting test images",
        {progress, plan.train.size() + plan.valid.size(), range.total}, dataset.test);
    return dataset;
}

} // namespace untangle
