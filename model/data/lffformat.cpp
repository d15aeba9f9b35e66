#include "lffformat.h"

#include "dataerror.h"
#include "npyfile.h"
#include "numberedlabels.h"

#include <algorithm>
#include <array>
#include <filesystem>

namespace untangle {
namespace {

namespace fs = std::filesystem;

constexpr int Channels = 3; // the format stores RGB images, N x H x W x 3
constexpr int AttrsPerImage = 2; // attrs rows are [target, bias]
constexpr const char *ImagesFile = "images.npy";
constexpr const char *AttrsFile = "attrs.npy";

enum SplitIndex { Train, Valid, Test, NumSplits };
constexpr std::array<const char *, NumSplits> SplitNames = {"train", "valid", "test"};

[[noreturn]] void fail(const std::string &path, const std::string &problem)
{
    throw DataError(path + ": " + problem);
}

std::string join(const std::string &dir, const std::string &a, const std::string &b = {})
{
    fs::path p = fs::path(dir) / a;
    if (!b.empty())
        p /= b;
    return p.string();
}

LabeledImages &splitOf(BiasedDataset &dataset, int split)
{
    return split == Train ? dataset.train : split == Valid ? dataset.valid : dataset.test;
}

const LabeledImages &splitOf(const BiasedDataset &dataset, int split)
{
    return split == Train ? dataset.train : split == Valid ? dataset.valid : dataset.test;
}

/** Refuses to write a split whose buffers disagree with its shape, before any file is touched. */
void checkExportable(const LabeledImages &images, const std::string &splitDir)
{
    if (images.count == 0)
        return;
    if (images.channels != Channels)
        fail(splitDir,
            "the LfF format stores RGB images, but this split has " + std::to_string(images.channels) + " channels");
    if (images.height <= 0 || images.width <= 0
        || images.pixels.size() != images.imageBytes() * std::size_t(images.count)
        || images.targets.size() != std::size_t(images.count) || images.biases.size() != std::size_t(images.count))
        fail(splitDir,
            "cannot export: the split's pixel or label buffers do not match its " + std::to_string(images.count)
                + " images");
}

/** Both headers of a split, checked against each other before anything is allocated. */
struct SplitFiles {
    std::string imagesPath;
    std::string attrsPath;
    NpyInfo images;
    NpyInfo attrs;
};

SplitFiles probeSplit(const std::string &dir, const char *split)
{
    SplitFiles files;
    files.imagesPath = join(dir, split, ImagesFile);
    files.attrsPath = join(dir, split, AttrsFile);
    files.images = readNpyInfo(files.imagesPath, NpyDtype::UInt8);
    const auto &shape = files.images.shape;
    if (shape.size() != 4 || shape[3] != Channels)
        fail(files.imagesPath,
            "expected images of shape (N, H, W, 3), found rank " + std::to_string(shape.size())
                + " with last dimension " + std::to_string(shape.back()));
    files.attrs = readNpyInfo(files.attrsPath, NpyDtype::Int64);
    const auto &attrs = files.attrs.shape;
    if (attrs.size() != 2 || attrs[1] != AttrsPerImage)
        fail(files.attrsPath,
            "expected attrs of shape (N, 2) = [target, bias] per image, found rank " + std::to_string(attrs.size())
                + " with last dimension " + std::to_string(attrs.back()));
    if (attrs[0] != shape[0])
        fail(files.attrsPath,
            std::to_string(attrs[0]) + " attribute rows for " + std::to_string(shape[0]) + " images in "
                + files.imagesPath);
    return files;
}

LabeledImages readSplit(const SplitFiles &files)
{
    LabeledImages out;
    out.count = int(files.images.shape[0]);
    out.height = int(files.images.shape[1]);
    out.width = int(files.images.shape[2]);
    out.channels = Channels;
    // The small labels first: a bad one is refused before the images (up to gigabytes) are read.
    const std::vector<std::int64_t> attrs = readNpyInt64(files.attrsPath, files.attrs);
    out.targets.resize(out.count);
    out.biases.resize(out.count);
    for (int i = 0; i < out.count; ++i) {
        const std::int64_t target = attrs[2 * std::size_t(i)];
        const std::int64_t bias = attrs[2 * std::size_t(i) + 1];
        if (target < 0 || bias < 0 || target > MaxNumberedLabel || bias > MaxNumberedLabel)
            fail(files.attrsPath,
                "row " + std::to_string(i) + " has labels [" + std::to_string(target) + ", " + std::to_string(bias)
                    + "]; labels must be in 0.." + std::to_string(MaxNumberedLabel) + " (at most "
                    + std::to_string(MaxNumberedLabel + 1) + " classes)");
        out.targets[i] = target;
        out.biases[i] = bias;
    }
    out.pixels = readNpyUInt8(files.imagesPath, files.images);
    return out;
}

} // namespace

void exportLff(const BiasedDataset &dataset, const std::string &dir)
{
    if (dataset.train.count == 0)
        fail(join(dir, SplitNames[Train]), "cannot export a dataset without training images");
    for (int split = 0; split < NumSplits; ++split)
        checkExportable(splitOf(dataset, split), join(dir, SplitNames[split]));

    for (int split = 0; split < NumSplits; ++split) {
        const LabeledImages &images = splitOf(dataset, split);
        const std::string imagesPath = join(dir, SplitNames[split], ImagesFile);
        const std::string attrsPath = join(dir, SplitNames[split], AttrsFile);
        if (images.count == 0) {
            // An empty split is written as no files; stale ones from an earlier export would otherwise be read back.
            std::error_code ec;
            fs::remove(imagesPath, ec);
            fs::remove(attrsPath, ec);
            continue;
        }
        writeNpyUInt8(imagesPath, {images.count, images.height, images.width, Channels}, images.pixels);
        std::vector<std::int64_t> attrs(std::size_t(images.count) * AttrsPerImage);
        for (int i = 0; i < images.count; ++i) {
            attrs[2 * std::size_t(i)] = images.targets[i];
            attrs[2 * std::size_t(i) + 1] = images.biases[i];
        }
        writeNpyInt64(attrsPath, {images.count, AttrsPerImage}, attrs);
    }
}

BiasedDataset importLff(const std::string &dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        fail(dir, "folder not found");
    const std::string trainDir = join(dir, SplitNames[Train]);
    if (!fs::is_directory(trainDir, ec))
        fail(trainDir, "folder not found; an LfF dataset needs train/images.npy and train/attrs.npy");

    BiasedDataset dataset;
    std::array<bool, NumSplits> present {};
    std::array<SplitFiles, NumSplits> files;
    for (int split = 0; split < NumSplits; ++split) {
        present[split] = fs::is_directory(join(dir, SplitNames[split]), ec);
        if (present[split])
            files[split] = probeSplit(dir, SplitNames[split]);
    }
    if (!present[Valid] && !present[Test])
        fail(dir, "neither a valid nor a test folder found; evaluation needs at least one of them");

    // Every split has to share one image size, since training and evaluation batch them alike.
    const auto &trainShape = files[Train].images.shape;
    for (int split = Valid; split < NumSplits; ++split) {
        const auto &shape = files[split].images.shape;
        if (present[split] && (shape[1] != trainShape[1] || shape[2] != trainShape[2]))
            fail(files[split].imagesPath,
                "images are " + std::to_string(shape[1]) + "x" + std::to_string(shape[2]) + " but the train images are "
                    + std::to_string(trainShape[1]) + "x" + std::to_string(trainShape[2]));
    }

    for (int split = 0; split < NumSplits; ++split)
        if (present[split])
            splitOf(dataset, split) = readSplit(files[split]);

    if (!present[Test]) {
        // LfF's own generator writes only train and valid, and its valid is the unbiased test set.
        dataset.test = std::move(dataset.valid);
        dataset.valid = LabeledImages {};
        dataset.warnings.push_back(join(dir, SplitNames[Test])
            + ": not found; the valid split is used as the test split (LfF's layout) and no valid split remains");
    } else if (!present[Valid]) {
        dataset.warnings.push_back(join(dir, SplitNames[Valid]) + ": not found; the dataset has no valid split");
    }

    std::int64_t maxTarget = 0, maxBias = 0;
    for (int split = 0; split < NumSplits; ++split) {
        const LabeledImages &images = splitOf(dataset, split);
        for (int i = 0; i < images.count; ++i) {
            maxTarget = std::max(maxTarget, images.targets[i]);
            maxBias = std::max(maxBias, images.biases[i]);
        }
    }
    dataset.name = "lff";
    dataset.description = "LfF/DeNetDM .npy dataset from " + dir + ", " + std::to_string(dataset.train.height) + "x"
        + std::to_string(dataset.train.width) + ", " + std::to_string(dataset.train.count) + " train / "
        + std::to_string(dataset.valid.count) + " valid / " + std::to_string(dataset.test.count) + " test";
    dataset.targetNames = numberedNames(maxTarget + 1);
    dataset.biasNames = numberedNames(maxBias + 1);
    return dataset;
}

} // namespace untangle
