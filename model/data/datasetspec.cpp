#include "datasetspec.h"

namespace untangle {
namespace {

struct KindInfo {
    DatasetKind kind;
    const char *key;
    const char *title;
};

constexpr KindInfo Kinds[] = {
    {DatasetKind::ColoredMnist10k, "cmnist10k", "Colored MNIST-10k"},
    {DatasetKind::ColoredMnistIdx, "cmnist-idx", "Colored MNIST (your IDX files)"},
    {DatasetKind::ColoredFashion, "cfmnist", "Colored Fashion-MNIST"},
    {DatasetKind::CorruptedFashion, "corrupted-fmnist", "Corrupted Fashion-MNIST"},
    {DatasetKind::Sprites, "sprites", "Biased Sprites (shape vs position)"},
    {DatasetKind::Scenes, "scenes", "Biased Scenes (3D shapes: shape vs object hue)"},
    {DatasetKind::ImageFolder, "folder", "Image folder (name_target_bias.png)"},
    {DatasetKind::LffFolder, "lff", "LfF / DeNetDM export (images.npy, attrs.npy)"},
};

const KindInfo &info(DatasetKind kind)
{
    for (const auto &k : Kinds)
        if (k.kind == kind)
            return k;
    return Kinds[0];
}

} // namespace

std::string datasetKey(DatasetKind kind)
{
    return info(kind).key;
}

std::string datasetTitle(DatasetKind kind)
{
    return info(kind).title;
}

bool parseDatasetKey(const std::string &key, DatasetKind &kind)
{
    for (const auto &k : Kinds)
        if (key == k.key) {
            kind = k.kind;
            return true;
        }
    return false;
}

std::vector<DatasetKind> allDatasetKinds()
{
    std::vector<DatasetKind> kinds;
    for (const auto &k : Kinds)
        kinds.push_back(k.kind);
    return kinds;
}

bool datasetNeedsPath(DatasetKind kind)
{
    return kind == DatasetKind::ColoredMnistIdx || kind == DatasetKind::ImageFolder || kind == DatasetKind::LffFolder;
}

bool datasetHasRatio(DatasetKind kind)
{
    return kind != DatasetKind::ImageFolder && kind != DatasetKind::LffFolder;
}

bool datasetHasImageSize(DatasetKind kind)
{
    return kind == DatasetKind::Sprites || kind == DatasetKind::Scenes || kind == DatasetKind::ImageFolder;
}

bool datasetHasColorNoise(DatasetKind kind)
{
    return kind == DatasetKind::ColoredMnist10k || kind == DatasetKind::ColoredMnistIdx
        || kind == DatasetKind::ColoredFashion;
}

} // namespace untangle
