#pragma once
// Factor coverage of a Sprites generator (docs/methods/sre.md §7.2 acceptance check, pitfall 17): do its samples
// span the factors, and do they look like sprites at all? Std types only.
#include "common/imagesharpness.h"
#include "imageu8.h"
#include "spritesrenderer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** Samples per coverage measurement: enough for 8 bins per factor (64 expected per bin), fast enough to run inside
 *  GAN training every few hundred iterations. */
constexpr int SpriteCoverageSamples = 512;
/** Histogram bins per factor: shape and scale keep their classes; orientation (40) and x, y (32) are pooled into 8
 *  bins so that 512 samples fill each bin well. */
constexpr std::array<int, SpriteFactorCount> SpriteCoverageBins = {3, 6, 8, 8, 8};
/** A bin counts as covered when it holds at least this fraction of the uniform share (N / bins). */
constexpr double SpriteCoverageMinShare = 0.25;

struct SpriteFactorCoverage {
    std::vector<int> histogram; // predicted values (argmax) pooled into SpriteCoverageBins[f] bins
    double coverage = 0.0; // fraction of bins holding >= SpriteCoverageMinShare of the uniform share
    double entropy = 0.0; // entropy of the histogram / log(bins): 1 = uniform, 0 = one bin
    double confidence = 0.0; // mean top-class probability on the measured images
    double realConfidence = 0.0; // the same on held-out renderer images (stored with the factor model)
};

/**
 * Score (for checkpoint selection) = meanCoverage x meanEntropy x realism, where
 *   meanCoverage = mean over shape, scale, x and y of the fraction of bins holding a quarter of the uniform share: a
 *                 missing value (squares at 1 %, the largest scale at 2 %) costs a whole bin, which entropy alone
 *                 barely noticed (measured: a 32 px run picked a checkpoint with 5 squares in 512 over one with 45);
 *   meanEntropy = mean normalised entropy over shape, scale, x and y (orientation is left out: its predictions are
 *                 ambiguous by the data's own symmetries, docs/methods/sre.md §7.1), in [0, 1], 1 = the factor
 *                 marginals are uniform like the training data;
 *   realism     = min(1, renderAgreement / realRenderAgreement): render the sprite the factor model reads from each
 *                 image and take the intersection over union with the image's foreground (pixels > 0); a sample that
 *                 is a clean sprite agrees as well as held-out renderer images do (realism 1), a blob or a texture
 *                 does not. Classifier confidence is reported too but is not used: it was measured higher on an
 *                 untrained generator's textures (0.78) than on real sprites (0.57): a classifier is often most sure
 *                 far from its data.
 * A collapsed generator (one sprite) scores ~0, a diverse but blurry one is scaled down by its realism.
 */
struct SpriteCoverage {
    int samples = 0;
    int resolution = 0;
    std::array<SpriteFactorCoverage, SpriteFactorCount> factors {};
    double meanEntropy = 0.0;
    double meanCoverage = 0.0; // over shape, scale, x, y
    double confidence = 0.0; // over shape, scale, x, y
    double realConfidence = 0.0; // over shape, scale, x, y
    double renderAgreement = 0.0; // mean IoU of each image with the sprite rendered from its predicted factors
    double realRenderAgreement = 0.0; // the same on held-out renderer images (stored with the factor model)
    /** renderAgreement over the images read as each shape (square, ellipse, heart); 0 for a shape none is read as.
     *  Where a generator's "hearts" fall short of hearts shows here, not in the mean. */
    std::array<double, SpriteShapeCount> shapeRenderAgreement {};
    /** Samples read as each shape at each scale (smallest first): real sprites put samples / 18 in every cell, and a
     *  shape a generator draws only small (the shipped one's large hearts: 40 of 114) shows here, not in the
     *  marginals. */
    std::array<std::array<int, SpriteFactorSizes[int(SpriteFactor::Scale)]>, SpriteShapeCount> shapeByScale {};
    double realism = 0.0;
    /** The images against as many real sprites (common/imagesharpness.h). Reported, not scored. */
    Sharpness sharpness;
    double score = 0.0;
    double seconds = 0.0; // sampling + classification (not the one-off factor-model load or training)
    std::string factorModel; // path of the factor model used

    /** Per-factor table plus the score line, for the CLI and logs. */
    std::string summary() const;
};

/** Where a coverage measurement's factor model comes from and how samples are drawn. */
struct SpriteCoverageOptions {
    int samples = SpriteCoverageSamples;
    std::uint64_t seed = 1;
    double truncation = 1.0; // psi around the generator's fixed mean w; 1 = none
    std::string factorModelPath; // empty = the cached full model for the generator's resolution (trained on a miss)
};

/**
 * Coverage of the generator at generatorPath (a GAN run folder or a generator file). Throws DataError if it cannot be
 * read or is not a 1-channel 32 x 32 / 64 x 64 generator, std::invalid_argument on bad counts.
 */
SpriteCoverage measureSpriteCoverage(
    const std::string &generatorPath, int samples, std::uint64_t seed, double truncation);
SpriteCoverage measureSpriteCoverage(const std::string &generatorPath, const SpriteCoverageOptions &options);

/**
 * The checkpoint-selection rule of Sprites GAN runs (GanCallbacks::scoreGenerator): the coverage score of
 * SpriteCoverageSamples samples (seed 1, no truncation), with a one-line summary. One rule for the CLI and the GUI.
 */
double scoreSpriteCheckpoint(const std::string &generatorPath, std::string &summary);

/**
 * Coverage of given images: `count` x 1 x resolution x resolution floats in [-1, 1], row-major (e.g. renderer output
 * mapped as 2 * byte / 255 - 1). factorModelPath as in SpriteCoverageOptions. Throws DataError / invalid_argument.
 */
SpriteCoverage measureImageCoverage(
    const std::vector<float> &images, int count, int resolution, const std::string &factorModelPath = {});

/** Seeded samples of a Sprites generator, each with what the factor reader reads in it: the GUI's "the generator
 *  draws it like this" beside the renderer, and the coverage of the same samples. */
struct SpriteSampleReadings {
    SpriteCoverage coverage; // of exactly these samples, as measureSpriteCoverage with the same options measures it
    std::vector<ImageU8> images; // one 1-channel image per sample
    std::vector<SpriteFactors> read; // per sample, the reader's argmax value of every factor
    std::vector<double> renderAgreement; // per sample, its IoU with the sprite its reading renders to
};

/** Draws options.samples seeded samples once, reads them and measures their coverage. Throws as measureSpriteCoverage.
 */
SpriteSampleReadings readSpriteSamples(const std::string &generatorPath, const SpriteCoverageOptions &options);

/** The readings as samples x factors, row-major (FactorWorld's tuples). */
std::vector<int> spriteReadTuples(const std::vector<SpriteFactors> &read);

/**
 * The render-back pairs of samples already read: per shape read (square, ellipse, heart), the first `perShape`
 * samples read as that shape (one row) over the sprites rendered from their readings (the row below); see
 * readingPairs. Throws std::invalid_argument for perShape outside 1..64.
 */
ImageU8 spriteRenderBackPairs(const SpriteSampleReadings &readings, int perShape);

/** Samples drawn when looking for each shape's render-back pairs: enough that a shape read as rarely as 1 in 30 still
 *  fills a row of 8. */
constexpr int RenderBackPairSamples = 256;

/**
 * What the generator at generatorPath draws beside what the factor reader sees in it, the pairs coverage's
 * render-back IoU compares: the pairs above of RenderBackPairSamples seeded samples. One grey image of 6 rows x
 * perShape columns with 2 px gaps; cells of a shape read fewer times stay black. Throws DataError as
 * measureSpriteCoverage, std::invalid_argument for perShape outside 1..64.
 */
ImageU8 spriteRenderBackPairs(const std::string &generatorPath, int perShape, std::uint64_t seed, double truncation);

} // namespace untangle
