#pragma once
// model-internal: the factor reader network and a loaded reader (torch types).
#include "factors/factorreader.h"
#include "factors/factorrescoring.h"

#include <torch/torch.h>

#include <memory>

namespace untangle {

/**
 * Image (B, C, R, R) in [-1, 1] -> one logit tensor per factor. CoordConv input (two coordinate channels: position
 * and scale are read from where things are), k4 s2 p1 convolutions down to 4 x 4 (32, 64, 64, 128 channels at 64
 * px), ReLU, a shared Linear(hidden) and one head per factor. No batch norm: train and eval behave the same on
 * generated images whose statistics differ from the renderer's.
 */
struct FactorReaderNetImpl : torch::nn::Module {
    FactorReaderNetImpl(const FactorWorld &world, int resolution, int hidden = 256);
    std::vector<torch::Tensor> forward(const torch::Tensor &images);
    /** Kaiming-uniform weights from a private seeded generator (the global torch RNG is left alone). */
    void initialise(std::uint64_t seed);

    const FactorWorld *world;
    int resolution;
    int hidden;
    torch::nn::Sequential body {nullptr};
    torch::nn::Linear heads {nullptr};
    torch::Tensor coordinates; // (1, 2, R, R)
};
TORCH_MODULE(FactorReaderNet);

/** Degrades images (B, C, R, R) in [-1, 1] like generator output, each with probability p: a Gaussian blur (sigma up
 *  to 1.2 px), per-channel gain and offset (+-6 %), pixel noise (sigma up to 0.08). Deterministic for a generator. */
torch::Tensor generatorLikeAugmentation(const torch::Tensor &images, double p, torch::Generator &generator);

class FactorReader {
public:
    FactorReader(FactorReaderNet network, FactorReaderInfo info);
    const FactorWorld &world() const { return *m_network->world; }
    int resolution() const { return m_network->resolution; }
    const FactorReaderInfo &info() const { return m_info; }
    void setSource(const std::string &path, bool fromCache);
    /** Softmax probabilities per factor, (N, size_f), for images (N, C, R, R) in [-1, 1]; no autograd, safe from
     *  several threads. Throws DataError on images of another shape. */
    std::vector<torch::Tensor> predict(const torch::Tensor &images) const;
    void save(const std::string &path) const; // atomic (DataError)
    static std::shared_ptr<FactorReader> load(const std::string &path); // DataError naming the file

private:
    mutable FactorReaderNet m_network;
    FactorReaderInfo m_info;
};
using FactorReaderPtr = std::shared_ptr<const FactorReader>;

/** The reader in `path`, or when empty the cached / shipped / trained one for the world and resolution (see
 *  ensureFactorReader); loaded readers are kept for the life of the process. A file of another world or resolution is
 *  a DataError. */
FactorReaderPtr factorReader(
    const FactorWorld &world, int resolution, const std::string &path = {}, const ProgressFn &progress = {});

/** Trains a fresh reader (no file written). Throws Cancelled when progress asks to stop. */
std::shared_ptr<FactorReader> trainFactorReader(
    const FactorReaderTrainingOptions &options, const ProgressFn &progress = {});

/** A reader's per-factor probabilities (FactorReader::predict) as the table the rescoring statistics read. */
FactorPredictions predictionsOf(const std::vector<torch::Tensor> &probabilities);

/** A reader's answers (the argmax of each factor's probabilities, as FactorReader::predict or a Sprites factor model
 *  gives them) as (N, F) int64 factor indices, the tuples a world's renderer draws. */
torch::Tensor readFactorIndices(const std::vector<torch::Tensor> &probabilities);

} // namespace untangle
