#pragma once
// Torch-free, Qt-free view of the CNN branch pair, so Qt tests (which must not parse torch headers) can check it.

#include <cstdint>
#include <vector>

namespace untangle {

/** What probeCnnBranch observed about one freshly built CNN branch. */
struct BranchProbe {
    std::int64_t parameterCount = 0; // trainable scalars (sum of numel over parameters())
    std::int64_t bufferCount = 0; // buffer tensors (BatchNorm running_mean/var, num_batches_tracked)
    std::vector<std::int64_t> outputShape; // of the train-mode forward pass
    bool finite = false; // train- and eval-mode outputs are free of NaN/Inf
    bool gradientsFinite = false; // after backward, every parameter has a defined, finite gradient
    bool evalDeterministic = false; // two eval-mode passes on the same input are bitwise identical
    bool roundTripIdentical = false; // save -> load into a differently seeded branch reproduces eval output
    double evalOutputSum = 0.0; // a fingerprint of the eval output, to compare seeds
};

/**
 * Builds the deep (ResNet-20) or shallow CNN branch for channels x height x width after torch::manual_seed(seed),
 * runs a train-mode forward and backward pass on uniform [0, 1) input of `batch` images, then eval-mode passes.
 * batch must be at least 2 (train-mode BatchNorm needs more than one value per channel).
 */
BranchProbe probeCnnBranch(bool deep, int channels, int height, int width, int batch, std::uint64_t seed);

} // namespace untangle
