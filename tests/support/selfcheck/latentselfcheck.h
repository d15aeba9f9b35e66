#pragma once
// Std-only helpers for latent tests, which cannot include torch (Qt Test TUs must not parse torch headers).
#include "gan/ganrunner.h"
#include "spritesrenderer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle::selfcheck {

/** Small but real built-in generator settings for tests: seconds, not minutes. */
struct TinyGenerator {
    int latentSize = 8;
    int styleSize = 8;
    int resolution = 16;
    int baseChannels = 16;
    int minChannels = 4;
    int channels = 1;
    int convsPerStage = 1;
    bool proGan = false; // ProGAN's synthesis instead of the style one
    std::uint64_t seed = 1;
    bool nanWeights = false; // every parameter NaN: a diverged or damaged generator whose file still reads
    /** One weight stored with fewer bytes than its shape needs: a record cut short inside a well-formed file (what
     *  torch's reader took as it was, reading past the record). */
    bool shortRecord = false;
};

/** Writes a randomly initialised built-in generator (saveStyleGenerator) to path. */
void writeRandomStyleGenerator(const std::string &path, const TinyGenerator &settings = {});

/** Renders `count` images for seeded z through loadGenerator(path): row-major count x C x R x R floats. */
std::vector<float> renderFromGenerator(const std::string &path, int count, std::uint64_t seed);

/** The raw "config" values a built-in generator file stores (7 for one conv per stage, the format of older files;
 *  8 with convsPerStage last otherwise), and how many modulated 3x3 convolutions its synthesis has. */
std::vector<std::int64_t> styleGeneratorConfigValues(const std::string &path);
int styleGeneratorConvCount(const std::string &path);

/** Builds the generator at smallerPath's settings at `resolution` (and these widths, when above 0), grows it from
 *  that file (growStyleNetwork) and saves it to outPath; returns styleGrowthProblem's text instead (and writes
 *  nothing) when the two do not fit. */
std::string growStyleGeneratorFile(const std::string &smallerPath, int resolution, const std::string &outPath,
    int baseChannels = 0, int minChannels = 0);

/** Per output channel of a ProGAN generator file's synthesis conv `conv`, the L2 norm of its incoming weights. */
std::vector<double> proGanIncomingWeightNorms(const std::string &path, int conv);

/** A built-in generator file whose stored "config" values are `values` (the weights are a tiny generator's), to
 *  feed the reader hostile settings. */
void writeStyleGeneratorWithConfigValues(const std::string &path, const std::vector<std::int64_t> &values);

/** Rows of the generator's SeFa weight (the matrix SeFa factorises). */
int sefaWeightRows(const std::string &path);

/** A hash of every parameter of the generator at path (to prove a step left it unchanged). */
double generatorChecksum(const std::string &path);

/** What GanTrainer::step does to the critic, step by step, on a Sprites GAN of `config` (its resolution, 32 or 64):
 *  whether every critic weight takes gradients again after the step (the generator pass freezes them), and how far
 *  the critic's weights moved in it (sum of |change|). */
struct CriticStep {
    bool trainable = false;
    double weightChange = 0.0;
};
std::vector<CriticStep> criticSteps(const GanConfig &config, int steps);

/** The real batch a Scenes GAN with these varied factors (GanConfig::variedSceneFactors) trains on at `iteration`:
 *  (n, 3, R, R) floats in [-1, 1], row-major. */
std::vector<float> sceneStreamBatch(
    int resolution, const std::vector<std::string> &varied, int n, std::uint64_t seed, std::int64_t iteration);

/** GanImageSource::viewAverages for the same stream, averaged over the named factors (GanConfig::viewNegativeFactors;
 *  empty = orientation, the default argument): (n, 3, R, R) floats in [-1, 1], row-major. */
std::vector<float> sceneViewAverages(int resolution, const std::vector<std::string> &varied, int n, std::uint64_t seed,
    std::int64_t iteration, const std::vector<std::string> &averaged = {});

/** GanImageSource::shapeMorphs of the Sprites stream: (n, 1, R, R) floats in [-1, 1], row-major. */
std::vector<float> spriteShapeMorphs(int resolution, int n, std::uint64_t seed, std::int64_t iteration);
/** The render-back target (gan/renderback.h) of a run of `config`'s world for `images` ((n, C, R, R) floats in
 *  [-1, 1], row-major): what its factor reader reads in each, rendered; the same layout. */
std::vector<float> renderBackTargets(const GanConfig &config, const std::vector<float> &images, int n);
/** renderBackLoss (gan/renderback.h) of `generated` against `target` (both (n, C, R, R), row-major) and its gradient
 *  with respect to `generated`. */
struct RenderBackLossAt {
    double loss = 0.0;
    std::vector<float> gradient;
};
RenderBackLossAt renderBackLossAt(
    const std::vector<float> &generated, const std::vector<float> &target, int n, int channels);

/** renderSpriteMorphInto's resolution^2 bytes. */
std::vector<std::uint8_t> spriteMorph(const SpriteFactors &factors, int otherShape, double t, int resolution);

} // namespace untangle::selfcheck
