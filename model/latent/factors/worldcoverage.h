#pragma once
// What a generator's samples cover, read by its world's factor reader: every value of every factor present, and how
// sure the reader is on them next to how sure it is on real renders (a reader still answers on garbage, but less
// sure). Std types only.
#include "common/imagesharpness.h"
#include "imageu8.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

struct FactorCoverage {
    std::string name;
    double coverage = 0.0; // fraction of the factor's values that are the reader's answer on >= 1/(4 size) of samples
    double entropy = 0.0; // of the answers' histogram, / log(size): 1 = every value equally often
    double confidence = 0.0; // mean top-class probability on the samples
    double realConfidence = 0.0; // the same on held-out real renders (the reader's own record)
    std::vector<double> histogram; // share of samples per value
};

struct WorldCoverage {
    std::string world;
    int samples = 0;
    double truncation = 1.0; // psi the samples were drawn at
    std::vector<FactorCoverage> factors;
    double meanCoverage = 0.0;
    double meanEntropy = 0.0;
    /** Mean over factors of confidence / realConfidence, capped at 1: how real the samples look to the reader. */
    double realism = 0.0;
    /** The samples against as many real renders (common/imagesharpness.h). Reported, not scored. */
    Sharpness sharpness;
    /** Share of samples that draw one view of a room, not the room averaged over its 15 orientations (the dome), and
     *  the same for real renders each blended half and half with its mirror image, for scale (factors/roomcommitment.h;
     *  real renders score 1). Read on the first 256 samples; reported, not scored. */
    double oneView = 0.0;
    double mirrorBlendOneView = 0.0;
    /** Mean coverage x mean entropy x realism: what picks a Scenes GAN run's generator.pt (scoreSceneCheckpoint). */
    double score() const { return meanCoverage * meanEntropy * realism; }
    std::string report() const;
};

/** Most samples a coverage measurement (Sprites or Scenes) may draw: 40x the CLI's default 512. The images are held
 *  as floats at once, with as many real renders for the sharpness (20,000 Scenes at 64 x 64 take ~2 GB); 2^31 ended in
 *  a bare std::bad_alloc. */
constexpr int MaxCoverageSamples = 20000;

/** Throws std::invalid_argument naming the count unless it is 1..MaxCoverageSamples. Cheap: call it before any work. */
void requireCoverageSamples(int samples);

/** Coverage of `samples` images G(w), w from seeded z truncated to psi (w = mean + psi (w - mean); 1 = none), through
 *  the Scenes factor reader. Throws DataError when the generator does not make Scenes images (Sprites generators:
 *  spritecoverage.h, with the shipped Sprites model) or makes non-finite ones, and std::invalid_argument for psi
 *  outside (0, 1] or a sample count requireCoverageSamples refuses. */
WorldCoverage measureWorldCoverage(
    const std::string &generatorPath, int samples = 2048, std::uint64_t seed = 1, double truncation = 1.0);

/** Seeded samples of a Scenes generator (no truncation) with what the reader reads in each, and their coverage: the
 *  GUI's ground-truth page. */
struct WorldSampleReadings {
    WorldCoverage coverage; // of exactly these samples, as measureWorldCoverage with the same count and seed
    std::vector<ImageU8> images; // one RGB image per sample
    std::vector<int> read; // samples x factors, row-major: the reader's argmax value of each factor
};

/** Draws the samples once, reads them and measures their coverage. Throws as measureWorldCoverage. */
WorldSampleReadings readWorldSamples(const std::string &generatorPath, int samples, std::uint64_t seed = 1);

/** Samples a GAN checkpoint is scored on (the GAN runner's selection). */
constexpr int SceneCheckpointSamples = 512;

/**
 * The GAN runner's selection score for a Scenes checkpoint (GanCallbacks::scoreGenerator): mean coverage x mean
 * entropy x realism, each in [0, 1], so a checkpoint that draws every factor value, evenly and convincingly, wins;
 * summary gets the three numbers.
 */
double scoreSceneCheckpoint(const std::string &generatorPath, std::string &summary);
/** True when a Scenes reader for this resolution is on disk (cached or shipped: 64 px ships), so scoring a checkpoint
 *  costs seconds; otherwise the first score would train a reader for minutes, and runs keep their last checkpoint. */
bool sceneReaderReady(int resolution);

} // namespace untangle
