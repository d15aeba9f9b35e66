#pragma once
// The rescoring matrix on any factor world (docs/methods/sre.md §4.2 and §10): how much each latent direction moves
// each ground-truth factor, read by the world's factor reader; and the renderer sanity check that the measurement
// itself must pass (pure one-factor renderer edits rescore diagonal). Std types only.
#include "common/latentmatrix.h"
#include "confidenceinterval.h"
#include "directions/directionset.h"
#include "factors/factorworld.h"
#include "sprites/spriterescoring.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace untangle {

/** Per-image softmax rows per factor: probabilities[f] holds count x size_f values, row-major. */
struct FactorPredictions {
    int count = 0;
    std::vector<std::vector<double>> probabilities;
    /** Throws std::invalid_argument naming `what` on a table of the wrong size or a row that is not a distribution. */
    void validate(const FactorWorld &world, const std::string &what) const;
};

/**
 * The signed effect on each factor of going from base to shifted images (row i of both = the same latent), each in
 * [-1, 1], so factors with different class counts share one scale:
 *  - Ordinal: mean_i (E_shifted[index] - E_base[index]) / (size - 1), E = expected class under the softmax.
 *  - Circular: mean_i wrap(a_shifted - a_base) / pi, a = circular mean angle of the classes placed evenly on the
 *    circle (1 = half a turn; a hue direction that turns the wheel reads the same wherever it starts).
 *  - Categorical: 0.5 sum_c |mean_i (p_shifted[c] - p_base[c])|, the total-variation distance between the mean
 *    distributions (per-image distances would add every image's classifier wobble; the price is that a pure
 *    permutation of the classes reads as 0).
 */
std::vector<double> factorEffects(
    const FactorWorld &world, const FactorPredictions &base, const FactorPredictions &shifted);

/**
 * The matched statistic's machinery for any world: per direction k and image i a vector of changes whose means over
 * images give the effects through effectsOfMean (F values). Used by the Sprites rescoring (its orientation is
 * circular under each shape's symmetry) and by factorRescoring.
 */
using EffectsOfMeanChanges = std::function<std::vector<double>(const std::vector<double> &meanChanges)>;
/** `matching` fixes each factor's direction (factorCount entries); empty = the direction that moves it most. */
MatchedRescoring matchedRescoringFromChanges(const std::vector<std::vector<std::vector<double>>> &changes,
    int factorCount, const EffectsOfMeanChanges &effectsOfMean, const BootstrapOptions &bootstrap,
    const std::vector<int> &matching = {});

/** The authors' statistic on a world's predictions (+epsilon tables only). Throws std::invalid_argument when there
 *  is no direction or a table is invalid or covers another number of images. */
MatchedRescoring matchedFactorRescoring(const FactorWorld &world, const FactorPredictions &base,
    const std::vector<FactorPredictions> &plusShifted, const BootstrapOptions &bootstrap = {},
    const std::vector<int> &matching = {});

struct FactorRescoringOptions {
    double epsilon = RescoringEpsilon; // shift = epsilon * sigma_k along d_k, both signs
    int samples = RescoringSamples;
    std::uint64_t seed = RescoringSeed;
    double truncation = 1.0;
    bool noiseFloor = true; // also K seeded random orthonormal directions
    std::uint64_t floorSeed = RescoringFloorSeed;
    std::string readerPath; // empty: the cached / shipped reader of the generator's world and resolution
    int bootstrapResamples = DefaultBootstrapResamples;
    ProgressFn progress; // SpriteRescoringOptions::progress
    void validate() const;
};

/** The rescoring of one direction set on any world (Sprites results are converted into it). */
struct FactorRescoring {
    std::string world;
    std::vector<std::string> factorNames;
    std::vector<std::string> directionNames;
    std::vector<double> sigma;
    Matrix plus, minus, magnitude; // K x F
    RescoringSummary summary;
    Matrix floorMagnitude;
    RescoringSummary floor;
    MatchedRescoring authors, authorsFloor;
    double epsilon = 0.0;
    int samples = 0;
    double seconds = 0.0;
    std::string reader;
    /** The matrix with the dominant factor and spill-over per direction, then the summaries. */
    std::string report() const;
};

/**
 * R[k][f] for every direction on the generator, on the world its images belong to (FactorWorld::forImages): Sprites
 * through the Sprites factor model (spriterescoring.h), Scenes through the Scenes factor reader. Throws DataError
 * (unreadable generator, no world draws its images, directions of another style size) or std::invalid_argument.
 */
FactorRescoring rescoreDirections(
    const std::string &generatorPath, const DirectionSet &directions, const FactorRescoringOptions &options = {});

} // namespace untangle
