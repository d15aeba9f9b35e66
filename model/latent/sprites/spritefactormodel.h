#pragma once
// The Sprites factor model: a small CNN that reads the five dSprites factors back from an image, trained on the
// renderer's exact ground truth. Coverage (spritecoverage.h) and rescoring (spriterescoring.h) look at generated
// images through it. Std types only.
#include "progress.h"
#include "spritesrenderer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** Steps of the full (cached) model: ~1.5k at batch 128 reach ~0.99 on shape, scale, x and y (README numbers). */
constexpr int SpriteFactorTrainingSteps = 1500;
constexpr int SpriteFactorBatchSize = 128;
/** Adam's rate; the last quarter of the steps runs at a tenth of it to settle the position heads. */
constexpr double SpriteFactorLearningRate = 2e-3;
/** Held-out renderer images for the accuracies and the real-image confidence. */
constexpr int SpriteFactorHeldOut = 4096;
/** Bumped whenever the network, the training recipe or the file layout changes: older cache files are retrained. */
constexpr int SpriteFactorModelVersion = 1;

/** "shape", "scale", "orientation", "x", "y". */
const char *spriteFactorName(SpriteFactor factor);

struct SpriteFactorTrainingOptions {
    int resolution = 64; // 32 or 64
    int steps = SpriteFactorTrainingSteps;
    int batchSize = SpriteFactorBatchSize;
    double learningRate = SpriteFactorLearningRate;
    int heldOut = SpriteFactorHeldOut;
    std::uint64_t seed = 1;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/** Held-out accuracy of one factor head. */
struct SpriteFactorAccuracy {
    double exact = 0.0;
    double withinOne = 0.0; // |predicted - true| <= 1 index (shape: equals exact; orientation: no wrap-around)
    /** Orientation only (others: equal to exact): the predicted angle equals the true one up to the shape's symmetry
     *  (square pi/2, ellipse pi, heart 2 pi; 2 pi = 0), within half an index step. dSprites' 40 angles step by
     *  2 pi / 39, so a square's pi/2 copy lies 9.75 steps away and the nearest index is off by a quarter step:
     *  raw exact orientation accuracy is capped far below 1 by the data itself, this one is not. */
    double moduloSymmetry = 0.0;
    double moduloSymmetryWithinOne = 0.0; // the same within 1.5 steps
};

struct SpriteFactorModelInfo {
    int resolution = 0;
    int steps = 0;
    int batchSize = 0;
    std::uint64_t seed = 0;
    double trainSeconds = 0.0;
    int heldOut = 0;
    std::array<SpriteFactorAccuracy, SpriteFactorCount> accuracy {};
    /** Mean top-class probability per factor on the held-out renderer images: the reference that generated images'
     *  confidence is compared with (a classifier still answers on garbage, but less sure). */
    std::array<double, SpriteFactorCount> realConfidence {};
    /** Mean render-back agreement on the held-out renderer images: the intersection over union of an image's
     *  foreground with the sprite rendered from the model's predicted factors. What generated images' agreement is
     *  compared with (spritecoverage.h). */
    double realRenderAgreement = 0.0;
    std::string path; // file it was read from or written to
    bool fromCache = false; // true when ensureSpriteFactorModel found a valid file and trained nothing

    /** Multi-line table: factor, exact, +-1, modulo symmetry, confidence; then time and steps. */
    std::string summary() const;
};

/** Trains a model with these options and writes it (atomically) to path. Throws DataError (write), Cancelled. */
SpriteFactorModelInfo trainSpriteFactorModel(
    const SpriteFactorTrainingOptions &options, const std::string &path, const ProgressFn &progress = {});

/**
 * The full model for this resolution: read from spriteFactorCachePath(resolution) if the file is valid, else the
 * shipped one (shippedSpriteFactorModelPath), else trained with the default options (a minute or two on two cores)
 * and written to the cache. A corrupt or
 * older-version file is retrained, never an error. Later calls in the same process reuse the loaded model.
 */
SpriteFactorModelInfo ensureSpriteFactorModel(int resolution, const ProgressFn &progress = {});

/** Where ensureSpriteFactorModel would take the model from without training anything. */
struct SpriteFactorModelLookup {
    std::string path; // the cached or shipped file that loads (or is already loaded); empty when none does
    std::vector<std::string> problems; // why each file there is could not be used (a damaged shipped model ...)
};

/**
 * The cached model for this resolution, else the shipped one, without training: which file loads (kept loaded for the
 * process, so a later ensureSpriteFactorModel or coverage reads nothing again), or why none does. What a caller
 * checks to say so before ensureSpriteFactorModel spends a minute or two training a replacement.
 */
SpriteFactorModelLookup lookUpSpriteFactorModel(int resolution);

/** $XDG_CACHE_HOME/untangle (or ~/.cache/untangle) / sprite-factors-r<resolution>-v<version>.pt. */
std::string spriteFactorCachePath(int resolution);

/**
 * The model of this resolution and version shipped with the application (resources/models), or "" when none is
 * installed: looked up in $UNTANGLE_RESOURCE_DIR/models, the installed share/untangle/models, then the source tree.
 */
std::string shippedSpriteFactorModelPath(int resolution);

/** Reads a model file's description. Throws DataError naming the file (missing, truncated, not a factor model). */
SpriteFactorModelInfo readSpriteFactorModel(const std::string &path);

} // namespace untangle
