#pragma once
// The rescoring matrix on Sprites (docs/methods/sre.md §4.2 and §10, the paper's rescoring heat map): how much each
// latent direction moves each ground-truth factor, read by the Sprites factor model. Std types only.
#include "common/latentmatrix.h"
#include "confidenceinterval.h"
#include "directions/directionset.h"
#include "progress.h"
#include "spritesrenderer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** Shift in units of each direction's sigma_k: ~1.5 sigma keeps weak directions on the data
 *  (docs/methods/sre.md §11). */
constexpr double RescoringEpsilon = 1.5;
/** Latents and their seed: the SRE code's rescoring protocol (docs/methods/sre.md §4.2: 512 latents, seed 1234). */
constexpr int RescoringSamples = 512;
constexpr std::uint64_t RescoringSeed = 1234;
/** Seed of the random orthonormal directions behind the noise floor. */
constexpr std::uint64_t RescoringFloorSeed = 4321;

/**
 * Per-image factor predictions (softmax rows) for a set of images: probabilities[f] holds count x
 * SpriteFactorSizes[f] values, row-major.
 */
struct SpritePredictionTable {
    int count = 0;
    std::array<std::vector<double>, SpriteFactorCount> probabilities;
    /** Throws std::invalid_argument naming `what` if a table has the wrong size or a row is not a distribution. */
    void validate(const std::string &what) const;
};

/**
 * The signed effect on each factor of going from `base` to `shifted` images (row i of both = the same latent), each
 * in [-1, 1] (shape in [0, 1]), so factors with different class counts share one scale:
 *  - scale, x, y (ordinal): mean_i (E_shifted[index] - E_base[index]) / (size - 1), E = expected class under the
 *    softmax; positive = larger / further right / further down. This is docs/methods/sre.md §4.2's mean probability
 *    difference with the class index as the quantity.
 *  - shape (categorical, no order, no sign): the total-variation distance between the mean shifted and the mean base
 *    shape distributions, 0.5 sum_c |mean_i (p_shifted[c] - p_base[c])|: the same mean probability difference,
 *    over all three classes at once. Between means, not per image: per-image distances only add up, so a classifier's
 *    wobble on every image that a direction touches (measured: 0.13 on pure x and y moves with a 600-step model) would
 *    read as shape spill-over, while mean differences cancel it like the other factors' signed means do. The price:
 *    a direction that permutes shapes without changing their proportions reads as 0.
 *  - orientation (circular, with symmetries): mean_i of wrap(m (a_shifted - a_base)) / pi, where a = arg sum_c
 *    p_c exp(i m theta_c) / m is the circular mean angle under m-fold symmetry and m is the base image's predicted
 *    shape's order (square 4, ellipse 2, heart 1). 1 = half the shape's symmetry period, the largest rotation that
 *    can be told apart; positive = clockwise on screen.
 */
std::array<double, SpriteFactorCount> spriteFactorEffects(
    const SpritePredictionTable &base, const SpritePredictionTable &shifted);

/** What a K x F rescoring magnitude matrix says. */
struct RescoringSummary {
    std::vector<int> dominantFactor; // per direction: argmax over factors
    std::vector<double> onTarget; // per direction: its largest cell
    std::vector<double> spillOver; // per direction: mean of the other F - 1 cells
    double meanOnTarget = 0.0;
    double meanSpillOver = 0.0; // mean over directions of spillOver: the paper's off-diagonal spill-over
    /** The paper's view (docs/methods/sre.md §10): per factor the direction that moves it most (-1 when K = 0) ... */
    std::vector<int> matchedDirection;
    /** ... the F x F matrix of those rows (row f = matchedDirection[f]), its mean diagonal and mean off-diagonal. */
    Matrix matched;
    double matchedDiagonal = 0.0;
    double matchedOffDiagonal = 0.0;
};
/** Any factor count (Sprites 5, Scenes 6). Throws std::invalid_argument when the matrix is empty or F < 2. */
RescoringSummary summariseRescoring(const Matrix &magnitude);

/**
 * The authors' rescoring statistic (docs/methods/sre.md §4.2 and §12), beside ours: a +epsilon shift only and the
 * magnitude of the mean change, |mean_z effect|, per direction and factor (the factor effects of
 * spriteFactorEffects, whose shape entry is already a magnitude), then the matched F x F view.
 */
struct MatchedRescoring {
    Matrix cells; // K x F: |mean over z of the change of factor f| for +epsilon along direction k
    std::vector<int> matchedDirection; // per factor f: the direction that moves it most, argmax_k cells[k][f]
    Matrix matched; // F x F: row f = cells[matchedDirection[f]]
    /** Mean of matched's diagonal / off-diagonal cells, each with its 95% percentile bootstrap interval over z
     *  (the latents resampled and each factor matched again on the resample, unless the matching is fixed). */
    ConfidenceInterval diagonal;
    ConfidenceInterval offDiagonal;
};

/**
 * The authors' statistic from the base predictions and one +epsilon prediction table per direction (row i of every
 * table = the same latent). Throws std::invalid_argument when there is no direction, or a table is invalid or
 * covers another number of images.
 */
MatchedRescoring matchedRescoring(const SpritePredictionTable &base,
    const std::vector<SpritePredictionTable> &plusShifted, const BootstrapOptions &bootstrap = {});

struct SpriteRescoringOptions {
    double epsilon = RescoringEpsilon; // shift = epsilon * sigma_k along d_k, both signs
    int samples = RescoringSamples;
    std::uint64_t seed = RescoringSeed;
    double truncation = 1.0; // psi of the base latents around the generator's fixed mean w
    bool noiseFloor = true; // also score K seeded random orthonormal directions
    std::uint64_t floorSeed = RescoringFloorSeed;
    std::string factorModelPath; // empty = the cached full model for the generator's resolution
    int bootstrapResamples = DefaultBootstrapResamples; // for the authors' statistic's intervals over z
    /** Told before every shifted batch; returning false stops the rescoring there (Cancelled), so a job that is
     *  stopped, or an application that closes, does not wait for the rest of it. */
    ProgressFn progress;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

struct SpriteRescoring {
    std::vector<std::string> directionNames;
    std::vector<double> sigma; // sigma_k used (the set's, or measured on the base latents when the set has 0)
    Matrix plus, minus; // K x F signed effects of +epsilon and -epsilon (spriteFactorEffects)
    Matrix magnitude; // K x F: (|plus| + |minus|) / 2, the rescoring matrix R
    RescoringSummary summary;
    /** The same for min(K, styleSize) random orthonormal directions (sigma measured): what chance reaches. */
    Matrix floorMagnitude;
    RescoringSummary floor;
    /** The authors' statistic (+epsilon, |mean change|, matched) for the directions and for the floor's. */
    MatchedRescoring authors;
    MatchedRescoring authorsFloor;
    double epsilon = 0.0;
    int samples = 0;
    double seconds = 0.0;
    std::string factorModel;

    /** The matrix with the dominant factor and spill-over per direction, then the summary and the floor lines. */
    std::string report() const;
};

/**
 * R[k][f] for every direction of `directions` on the generator at generatorPath (epsilon in units of sigma_k, both
 * signs: docs/methods/sre.md §4.2 and pitfall 15). Throws DataError (unreadable generator, not a 1-channel 32/64
 * Sprites generator, directions of another style size) or std::invalid_argument (bad options).
 */
SpriteRescoring rescoreSpriteDirections(
    const std::string &generatorPath, const DirectionSet &directions, const SpriteRescoringOptions &options = {});

} // namespace untangle
