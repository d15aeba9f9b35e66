#pragma once
// Factor readers: a small CNN per world and resolution that reads every ground-truth factor back from an image,
// trained on the renderer's exact labels with augmentations that mimic generator output (blur, noise, slight colour
// shifts), so its answers on GAN images mean something. Rescoring and coverage look at generated images through it.
// Std types only.
#include "factors/factorworld.h"
#include "progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** Bumped whenever the network, the recipe or the file layout changes: older cache files are retrained. */
constexpr int FactorReaderVersion = 1;

struct FactorReaderTrainingOptions {
    std::string world = "scenes"; // FactorWorld key
    int resolution = 64;
    int steps = 3000;
    int batchSize = 64;
    double learningRate = 2e-3; // Adam; the last quarter of the steps runs at a tenth of it
    int heldOut = 2048; // held-out renderer images, clean and augmented, for the accuracies
    /** Probability that a training image is degraded like generator output (0 = clean renders only). */
    double augmentation = 0.75;
    std::uint64_t seed = 1;
    /** Throws std::invalid_argument naming the bad field (an unknown world, a resolution it does not render). */
    void validate() const;
};

struct FactorReaderAccuracy {
    double exact = 0.0; // clean held-out renders
    double withinOne = 0.0; // |predicted - true| <= 1 class (circular factors wrap; categorical = exact)
    double augmentedExact = 0.0; // held-out renders degraded like generator output
    double confidence = 0.0; // mean top-class probability on the clean renders (generated images compare to it)
};

struct FactorReaderInfo {
    std::string world;
    int resolution = 0;
    int steps = 0;
    int batchSize = 0;
    std::uint64_t seed = 0;
    double trainSeconds = 0.0;
    int heldOut = 0;
    std::vector<FactorReaderAccuracy> accuracy; // per factor, in the world's order
    std::string path;
    bool fromCache = false; // found on disk (cache or shipped), nothing trained

    /** Table: factor, exact, +-1, augmented, confidence; then steps and time. */
    std::string summary() const;
};

/** Trains a reader and writes it atomically to path. Throws DataError (write), Cancelled, std::invalid_argument. */
FactorReaderInfo trainFactorReaderModel(
    const FactorReaderTrainingOptions &options, const std::string &path, const ProgressFn &progress = {});

/** The reader of a world and resolution: the cache, then the shipped file, else trained with default options and
 *  cached (minutes). A corrupt or older file is retrained, never an error. */
FactorReaderInfo ensureFactorReader(const std::string &world, int resolution, const ProgressFn &progress = {});

/** Where ensureFactorReader would take the reader from without training anything. */
struct FactorReaderLookup {
    std::string path; // the cached or shipped file that loads (or is already loaded); empty when none does
    std::vector<std::string> problems; // why each file there is could not be used (a damaged shipped reader ...)
};

/** The cached reader of a world and resolution, else the shipped one, without training: which file loads (kept loaded
 *  for the process, so the coverage or rescoring after it reads nothing again), or why none does. What a caller checks
 *  to say so before ensureFactorReader spends minutes training a replacement. */
FactorReaderLookup lookUpFactorReader(const std::string &world, int resolution);

/** $XDG_CACHE_HOME/untangle/<world>-factors-r<R>-v<version>.pt */
std::string factorReaderCachePath(const std::string &world, int resolution);
/** The file of that name shipped in resources/models, or "". */
std::string shippedFactorReaderPath(const std::string &world, int resolution);

/** A reader file's description. Throws DataError naming the file (missing, truncated, not a factor reader). */
FactorReaderInfo readFactorReaderModel(const std::string &path);

} // namespace untangle
