#include "datasetfactory.h"

#include "coloredmnist.h"
#include "coloredtraintest.h"
#include "corruptedtraintest.h"
#include "dataerror.h"
#include "datalocations.h"
#include "datasetnaming.h"
#include "greysourcecache.h"
#include "imagefolder.h"
#include "lffformat.h"
#include "scenesdataset.h"
#include "spritesdataset.h"

#include <filesystem>

namespace untangle {
namespace {

constexpr int DefaultSpritesResolution = 32; // small enough for the MLP/CNN pairs, shapes still readable
constexpr int DefaultScenesResolution = 64; // 3D Shapes' size; --size 32 renders the same scenes 4x smaller
constexpr int DefaultFolderImageSize = 64; // BFFHQ-style faces stay recognisable; 224 is an option, not a default

ColoringOptions coloringOptions(const DatasetSpec &spec)
{
    return ColoringOptions {spec.ratio, spec.colorNoise, spec.seed};
}

struct TrainTestSources {
    std::shared_ptr<const GreyImages> train, test;
};

TrainTestSources loadTrainTest(const std::string &dir, const std::string &fetchHint, const ProgressFn &progress)
{
    const IdxPairPaths paths = findIdxPair(dir, fetchHint);
    reportProgress(progress, 0.05, "Reading " + paths.trainImages);
    auto train = loadGreyImagesCached(paths.trainImages, paths.trainLabels);
    reportProgress(progress, 0.35, "Reading " + paths.testImages);
    auto test = loadGreyImagesCached(paths.testImages, paths.testLabels);
    // Training and evaluation batch both files alike, and a network sized for one cannot read the other.
    if (test->height != train->height || test->width != train->width)
        throw DataError(paths.testImages + ": the test images are " + std::to_string(test->height) + "x"
            + std::to_string(test->width) + " but the training images in " + paths.trainImages + " are "
            + std::to_string(train->height) + "x" + std::to_string(train->width) + "; both must have one size");
    return {train, test};
}

void requireFolder(const DatasetSpec &spec)
{
    if (spec.path.empty())
        throw DataError(datasetTitle(spec.kind) + " needs a folder; none was given");
    if (!std::filesystem::is_directory(spec.path))
        throw DataError(spec.path + ": folder not found");
}

BiasedDataset buildKind(const DatasetSpec &spec, const ProgressFn &progress)
{
    switch (spec.kind) {
    case DatasetKind::ColoredMnist10k: {
        if (!std::filesystem::is_regular_file(mnist10kImagesPath()))
            throw DataError("MNIST-10k is not installed (looked for " + mnist10kImagesPath()
                + "). Fetch it with: " + FetchMnistCommand);
        reportProgress(progress, 0.05, "Reading MNIST-10k");
        auto digits = loadGreyImagesCached(mnist10kImagesPath(), mnist10kLabelsPath());
        reportProgress(progress, 0.4, "Colouring");
        auto dataset = buildColoredMnist(*digits, coloringOptions(spec));
        dataset.name = "cmnist10k";
        return dataset;
    }
    case DatasetKind::ColoredMnistIdx: {
        requireFolder(spec);
        auto sources = loadTrainTest(spec.path, "copy the four standard MNIST IDX files into " + spec.path, progress);
        reportProgress(progress, 0.6, "Colouring");
        auto dataset
            = buildColoredTrainTest(*sources.train, *sources.test, coloringOptions(spec), "cmnist", digitNames());
        dataset.description = "Colored MNIST (" + spec.path + "), " + describeOptions(coloringOptions(spec));
        return dataset;
    }
    case DatasetKind::ColoredFashion: {
        auto sources = loadTrainTest(fashionMnistDir(), FetchFashionCommand, progress);
        reportProgress(progress, 0.6, "Colouring");
        auto dataset
            = buildColoredTrainTest(*sources.train, *sources.test, coloringOptions(spec), "cfmnist", fashionNames());
        dataset.description = "Colored Fashion-MNIST, " + describeOptions(coloringOptions(spec));
        return dataset;
    }
    case DatasetKind::CorruptedFashion: {
        auto sources = loadTrainTest(fashionMnistDir(), FetchFashionCommand, progress);
        auto scaled = [&](double fraction, const std::string &what) {
            return !progress || progress(0.6 + 0.4 * fraction, what);
        };
        return buildCorruptedTrainTest(
            *sources.train, *sources.test, coloringOptions(spec), "corrupted-fmnist", fashionNames(), scaled);
    }
    case DatasetKind::Sprites:
        reportProgress(progress, 0.1, "Rendering sprites");
        return buildBiasedSprites(
            coloringOptions(spec), spec.imageSize > 0 ? spec.imageSize : DefaultSpritesResolution);
    case DatasetKind::Scenes:
        reportProgress(progress, 0.1, "Rendering scenes");
        return buildBiasedScenes(coloringOptions(spec), spec.imageSize > 0 ? spec.imageSize : DefaultScenesResolution);
    case DatasetKind::ImageFolder:
        requireFolder(spec);
        return loadImageFolder(spec.path, spec.imageSize > 0 ? spec.imageSize : DefaultFolderImageSize, progress);
    case DatasetKind::LffFolder:
        requireFolder(spec);
        reportProgress(progress, 0.1, "Reading " + spec.path);
        return importLff(spec.path);
    }
    throw DataError("unknown dataset kind");
}

} // namespace

BiasedDataset buildDataset(const DatasetSpec &spec, const ProgressFn &progress)
{
    BiasedDataset dataset = buildKind(spec, progress);
    if (dataset.train.count == 0) // nothing to train on is bad data, whatever the loader (e.g. a tiny cmnist-idx)
        throw DataError(datasetTitle(spec.kind) + (spec.path.empty() ? std::string() : " from " + spec.path)
            + ": the training split is empty");
    reportProgress(progress, 1.0, "Done");
    return dataset;
}

} // namespace untangle
