#pragma once
// model-internal: a trained Sprites factor network with what is known about it, on disk and in memory.
#include "sprites/spritefactormodel.h"
#include "sprites/spritefactornet.h"

#include <memory>

namespace untangle {

/** Images classified per call, to bound memory for large sample counts. */
constexpr int SpriteFactorPredictBatch = 256;

class SpriteFactorClassifier {
public:
    SpriteFactorClassifier(SpriteFactorNet network, SpriteFactorModelInfo info);

    int resolution() const { return m_info.resolution; }
    const SpriteFactorModelInfo &info() const { return m_info; }
    /** Softmax probabilities per factor, (N, SpriteFactorSizes[f]), for images (N, 1, R, R) in [-1, 1]. No autograd;
     *  safe to call from several threads (the network is in eval mode and only read). Throws DataError on images of
     *  another size or channel count. */
    std::vector<torch::Tensor> predict(const torch::Tensor &images) const;

    /** Where the model lives and whether it came from the cache, for reports. */
    void setSource(const std::string &path, bool fromCache);

    /** Atomic write (DataError). */
    void save(const std::string &path) const;
    /** Throws DataError naming the file and the problem. */
    static std::shared_ptr<SpriteFactorClassifier> load(const std::string &path);

private:
    mutable SpriteFactorNet m_network; // forward() is not const in LibTorch; predict() only reads it
    SpriteFactorModelInfo m_info;
};

using SpriteFactorClassifierPtr = std::shared_ptr<const SpriteFactorClassifier>;

/**
 * The classifier in `path`, or, when path is empty, the cached full model for `resolution` (trained and written on a
 * miss, see ensureSpriteFactorModel). Loaded models are kept for the life of the process (keyed by file, size and
 * modification time), so a GAN trainer measuring coverage every few hundred iterations reads the file once.
 * An explicit path whose resolution differs from `resolution` is a DataError.
 */
SpriteFactorClassifierPtr spriteFactorClassifier(
    int resolution, const std::string &path = {}, const ProgressFn &progress = {});

/** Trains a fresh network (no file written). Throws Cancelled when progress asks to stop. */
std::shared_ptr<SpriteFactorClassifier> trainSpriteFactorClassifier(
    const SpriteFactorTrainingOptions &options, const ProgressFn &progress = {});

/** The sprites the argmax of `probabilities` (classifier.predict of N images) names, rendered as (N, 1, R, R) in
 *  [-1, 1]: what a reader sees in each image, drawn by the world's own renderer. */
torch::Tensor renderPredictedSprites(const std::vector<torch::Tensor> &probabilities, int resolution);

/** For each image (N, 1, R, R) in [-1, 1], of the sprites its reader's most likely values name (the top shape, the
 *  top three orientations, the top two scales, x and y: 24 candidates), the one whose render overlaps the image's
 *  foreground most, rendered: the world's nearest image as far as the reader can tell. The reader's single best
 *  guess misses real renders by an orientation step often enough to hold their IoU at ~0.93. */
torch::Tensor renderNearestSprites(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities);

/** Per image (N), the intersection over union of its foreground (pixels > 0) with the sprite rendered from the argmax
 *  of `probabilities` (classifier.predict of the same images); 1 when both are empty. */
torch::Tensor renderAgreement(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities);

/** `count` renderer images with uniformly random factors from SeededRandom(seed): images (N, 1, R, R) in [-1, 1]
 *  and their factor indices (N, 5) int64 in SpriteFactor order. */
std::pair<torch::Tensor, torch::Tensor> renderRandomSprites(int count, int resolution, std::uint64_t seed);

} // namespace untangle
