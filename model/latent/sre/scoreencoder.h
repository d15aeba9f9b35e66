#pragma once

#include "common/latentmatrix.h"
#include "common/networkinput.h"
#include "progress.h"
#include "retrieval/retrievalpool.h"

#include <memory>
#include <string>
#include <vector>

namespace untangle {

/** Images per forward when encoding a pool: large enough to amortise per-call overhead, small enough for RAM
 *  (256 x 64 x 64 floats is 4 MB of input; the light CNN's first activations are 8x that). */
constexpr int EncodeBatchSize = 256;

/**
 * A score network file (SRE estimator or distilled encoder, loadScoreFile) used as an image encoder: every image
 * becomes its K scores. Inputs are converted to the network's channels and resolution in [-1, 1] (networkinput.h).
 * Std-only facade; the network stays inside. Not thread-safe: one encoder per thread.
 */
/** The score network inside an SRE run folder. */
constexpr const char *EstimatorFileName = "estimator.pt";

/**
 * path itself when it is not a folder; path/estimator.pt when it is one (an SRE run folder can be given wherever a
 * score network file is asked for). Throws DataError when the folder has none.
 */
std::string scoreFileOf(const std::string &path);

class ScoreEncoder {
public:
    /** Throws DataError naming the file (missing, truncated, not a score network). A folder means its estimator.pt. */
    explicit ScoreEncoder(const std::string &scoreFile);
    ~ScoreEncoder();
    ScoreEncoder(ScoreEncoder &&) noexcept;
    ScoreEncoder &operator=(ScoreEncoder &&) noexcept;

    const std::string &path() const;
    int outputs() const; // K
    NetworkInputShape inputShape() const;
    std::string kind() const; // "sre-estimator", "encoder", ...
    std::string directionsPath() const;
    /** Multiply-accumulates of one image's forward (benchmarks' FLOP bound). */
    double macsPerImage() const;

    /** pool.count() x K scores, batched, reporting progress; throws Cancelled when progress asks to stop. */
    Matrix encodePool(const RetrievalPool &pool, const ProgressFn &progress = {}) const;
    /** Scores of one image file (DataError when unreadable). */
    std::vector<double> encodeImageFile(const std::string &imagePath) const;
    /** Scores of one raw image, float CHW in [-1, 1]. Throws std::invalid_argument on a shape mismatch. */
    std::vector<double> encodeImage(const std::vector<float> &chw, int channels, int height, int width) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace untangle
