#pragma once
// model-internal: coverage and rescoring on an in-memory generator (the GAN trainer's EMA copy, test generators).
#include "dataerror.h"
#include "gan/generator.h"
#include "sprites/spritecoverage.h"
#include "sprites/spritefactorclassifier.h"
#include "sprites/spriterescoring.h"

namespace untangle {

/** Throws DataError unless the generator makes 1-channel 32 x 32 or 64 x 64 images (what the factor model reads). */
void requireSpriteGenerator(const Generator &generator);

/** A generator drew NaN or infinite pixels (damaged weights, or training that diverged): nothing it draws can be
 *  scored. Its own type so a GAN run's checkpoint scoring can rank such a checkpoint last instead of stopping. */
class NonFiniteImages : public DataError {
public:
    using DataError::DataError;
};
/** What a checkpoint score's summary says for one (scoreSpriteCheckpoint, scoreSceneCheckpoint). */
constexpr const char *NonFiniteImagesSummary = "(non-finite images: NaN or infinite pixels)";

/** Throws NonFiniteImages naming the generator (its description holds its file) unless every pixel is finite. */
void requireFiniteImages(const torch::Tensor &images, const Generator &generator);

/** generator.synthesis over styles in batches, without autograd: (N, C, R, R); requireFiniteImages checked. */
torch::Tensor synthesiseInBatches(Generator &generator, const torch::Tensor &styles);

/** Coverage of `samples` images G(w), w from seeded z (truncated around the fixed mean when truncation != 1), through
 *  the cached factor model for the generator's resolution. Leaves the generator's parameters and modes unchanged. */
SpriteCoverage measureSpriteCoverage(Generator &generator, int samples, std::uint64_t seed, double truncation);
SpriteCoverage measureSpriteCoverage(Generator &generator, const SpriteCoverageOptions &options);
/** Coverage of images (N, 1, R, R) in [-1, 1] through a given classifier. */
SpriteCoverage measureImageCoverage(const torch::Tensor &images, const SpriteFactorClassifier &classifier);

/** The rescoring matrix of a direction set on an in-memory generator (see spriterescoring.h). */
SpriteRescoring rescoreSpriteDirections(
    Generator &generator, const DirectionSet &directions, const SpriteRescoringOptions &options = {});

} // namespace untangle
