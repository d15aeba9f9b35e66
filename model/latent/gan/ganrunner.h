#pragma once
#include "datasetspec.h"
#include "imageu8.h"
#include "progress.h"
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace untangle {

/** Everything that determines a GAN run (saved as the run folder's config.json; resume requires it to match). */
struct GanConfig {
    bool sprites = true; // procedural Sprites with uniform factors (the default); otherwise `dataset`
    DatasetSpec dataset; // any dataset the data layer builds: its training split, resized to `resolution`
    int resolution = 32;
    int iterations = 5000;
    int batch = 64;
    double learningRate = 2e-4;
    double beta1 = 0.0; // Adam betas (0, 0.9): the usual stable recipe with hinge loss and spectral norm
    double beta2 = 0.9;
    double emaBeta = 0.999; // EMA copy of the generator: what is sampled, scored and saved
    int sampleEvery = 250; // fixed-z sample grid
    int checkpointEvery = 500; // checkpoint + selection score
    std::uint64_t seed = 0;
    int latentSize = 64;
    int styleSize = 64;
    int mappingLayers = 3;
    /** The mapping network's learning rate relative to learningRate: StyleGAN2's 0.01 keeps W close to a fixed
     *  smooth transform of z while the synthesis learns (the authors' DisCo generator). 1 = one rate for all. */
    double mappingLrMultiplier = 1.0;
    int baseChannels = 64; // generator width at 4 x 4 (halved per stage down to minChannels)
    int minChannels = 8;
    int discriminatorChannels = 16;
    static constexpr int MaxDiscriminatorChannels = 1024; // its first layer; the widest critic we train has 32
    /** The critic's convolutions per resolution (DiscriminatorConfig::convsPerStage): 1 = one stride-2 convolution
     *  per halving, every run from before the option. */
    int discriminatorConvsPerStage = 1;
    /** Spectral norm on every critic layer (Miyato et al.); false leaves the critic to the R1 penalty alone, as
     *  StyleGAN2 (validate() then asks for r1Gamma > 0: an unconstrained hinge critic runs away). */
    bool spectralNorm = true;
    int convsPerStage = 1; // StyleGeneratorConfig::convsPerStage
    bool styledInput = false; // StyleGeneratorConfig::styledInput
    /** The generator's synthesis network: StyleGAN's modulated convolutions or ProGAN's pixel-normalised ones
     *  (StyleGeneratorConfig::synthesis; this header stays free of torch). */
    enum class Synthesis { Style, ProGan };
    Synthesis synthesis = Synthesis::Style;
    /** The adversarial loss: the hinge (Miyato et al.; every run from before the option) or StyleGAN2's logistic
     *  non-saturating loss, softplus(-D(real)) + softplus(D(fake)) for the critic and softplus(-D(G(z))) for the
     *  generator. */
    enum class Loss { Hinge, Logistic };
    Loss loss = Loss::Hinge;
    /** R1 penalty weight gamma on the critic's gradient at real images (Mescheder et al. 2018; StyleGAN2), applied
     *  lazily every R1Interval iterations with its weight scaled by the interval, as StyleGAN2. 0 = off. */
    double r1Gamma = 0.0;
    static constexpr int R1Interval = 16;
    /** Weight of the critic's mirror negatives (negative data augmentation, Sinha et al. 2021): each real image
     *  blended with its own mirror image, shown to the critic as fake. A room drawn as the mean of its orientations
     *  is such a blend, and a critic trained on real and generated images alone rates it as real as a real room
     *  (docs/studies/latent-generators.md, "The critic cannot see the room"); 0 = off. */
    double mirrorNegatives = 0.0;
    static constexpr double MaxMirrorNegatives = 100.0;
    /** Scenes only: weight of the critic's view negatives, rooms rendered from 2 to 15 of their orientations and
     *  averaged, shown to the critic as fake: the dome itself (all 15) and every partial blend on the way to it, where
     *  mirror negatives show two views. 0 = off. */
    double viewNegatives = 0.0;
    /** The factors (sceneFactorNames) view negatives average over, one picked per room; empty = orientation alone. */
    std::vector<std::string> viewNegativeFactors;
    /** Sprites only: weight of the critic's shape negatives, sprites drawn halfway between two of the three shapes
     *  (GanImageSource::shapeMorphs), shown to the critic as fake: the rounded triangles and teardrops a generator
     *  draws where a heart should be are such morphs. At weight 1 a run reaches the same score about 1.5 times
     *  sooner, but draws concave squares where hearts should be (docs/studies/latent-generators.md, "Shape
     *  negatives"). 0 = off. */
    double shapeNegatives = 0.0;
    /** Sprites and Scenes: weight of the render-back pull on the generator, the distance of G(z) from r
     * (renderBackLoss: one minus the shapes' soft IoU for Sprites, the mean absolute difference for Scenes), where r is
     * what the world's factor reader reads in G(z), drawn by the world's own renderer (gan/renderback.h; a constant: no
     *  gradient through the reader). The critic judges the sample set; the pull moves each sample onto the nearest
     *  image the world draws, which the critic alone never did for the hearts (docs/studies/latent-generators.md,
     *  "Render-back pull"). 0 = off. */
    double renderBack = 0.0;
    static constexpr double MaxRenderBack = 1000.0;
    /** A smaller built-in generator file (e.g. a 32 px run's generator.pt) whose layers start this run's generator,
     *  its new stages as the identity (stylegrowth.h; ProGAN's growing, one step); empty = random start. A resumed
     *  run continues from its checkpoint and does not read the file again. */
    std::string growFrom;
    /** Another run's folder (or its checkpoint.pt) this run continues from with its own settings, e.g. a lighter R1
     *  penalty: the generator, its EMA copy, the critic and both optimisers' moments are loaded (they must fit this
     *  run's networks), the iterations count on from that checkpoint's, and this run's learning rates and betas
     *  replace the saved ones. The other run is only read. With the other run's settings this equals resuming it (the
     *  test checks it bit for bit). Not with growFrom; a resumed run continues from its own checkpoint. */
    std::string continueFrom;
    /** Scenes only: the factors (sceneFactorNames) that vary in the training stream; the others are held at one value
     *  (GanImageSource::scenes). Empty = all six, 3D Shapes' world. A sub-world isolates what a GAN fails to learn:
     *  orientation alone trains a room with its corner, wall hue x orientation does not
     *  (docs/studies/latent-generators.md, "A 16 px proxy"). */
    std::vector<std::string> variedSceneFactors;
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/** The names config.json and the CLI use: "style" / "progan", "hinge" / "logistic". parse* return false on an unknown
 *  name and leave `value` as it was. */
const char *ganSynthesisKey(GanConfig::Synthesis synthesis);
bool parseGanSynthesis(const std::string &key, GanConfig::Synthesis &value);
const char *ganLossKey(GanConfig::Loss loss);
bool parseGanLoss(const std::string &key, GanConfig::Loss &value);

struct GanLog {
    int iteration = 0;
    double lossD = 0.0; // hinge: relu(1 - D(real)) + relu(1 + D(fake)); logistic: see GanConfig::Loss; plus the
                        // weighted losses on the mirror and view negatives when they are on
    double lossG = 0.0; // hinge: -D(G(z)); logistic: softplus(-D(G(z)))
    double realScore = 0.0; // mean D(real)
    double fakeScore = 0.0; // mean D(G(z))
    double r1Penalty = -1.0; // mean |grad D(real)|^2 on an R1 iteration; negative on the others
    double renderBack = -1.0; // renderBackLoss(G(z), its target) when GanConfig::renderBack is on; negative otherwise
    double secondsPerIteration = 0.0;
    double elapsedSeconds = 0.0;
};

struct GanCheckpoint {
    int iteration = 0;
    double score = 0.0; // the selection score (higher is better); the iteration without a scorer (the last wins)
    std::string summary; // the scorer's one-line report
    double styleStdRatio = 0.0; // W-space health: top-two principal std ratio of 4096 w (docs/methods/sre.md §11)
    bool selected = false; // became the run's generator.pt
};

struct GanCallbacks {
    std::function<void(const GanLog &)> logged;
    /** The EMA generator's fixed-z 8 x 8 grid. */
    std::function<void(int iteration, const ImageU8 &grid)> samples;
    std::function<void(const GanCheckpoint &)> checkpointed;
    /** Scores a candidate generator file (e.g. Sprites factor coverage); higher is better. Without it the last
     *  checkpoint is kept. */
    std::function<double(const std::string &generatorPath, std::string &summary)> scoreGenerator;
    ProgressFn progress;
};

struct GanResult {
    int iterations = 0; // reached
    /** False when no checkpoint has been scored yet (a run stopped before its first one): then generator.pt is the
     *  EMA generator at the stop and selectedIteration / selectedScore mean nothing. */
    bool selected = false;
    int selectedIteration = 0;
    double selectedScore = 0.0;
    std::string selectedSummary;
    std::string generatorPath; // runDir/generator.pt
    double styleStdRatio = 0.0; // of the selected generator
    double seconds = 0.0;
    bool stopped = false;
};

/**
 * Trains the built-in GAN (stylegenerator.h; style or ProGAN synthesis) with hinge (or logistic) loss, a spectral-norm
 * discriminator with a minibatch-stddev channel, Adam (0, 0.9) and an EMA generator. Writes runDir: config.json,
 * metrics.jsonl, checkpoint.pt (atomic, every checkpointEvery), snapshots/iter-N.pt (every checkpoint's EMA generator),
 * generator.pt (a copy of the best-scoring snapshot),
 * samples/iter-N.png and samples.png. resume continues from checkpoint.pt (config must match except `iterations`,
 * which may grow). A stop request (result.stopped) writes checkpoint.pt at the last finished iteration, and the EMA
 * generator as generator.pt when no checkpoint had chosen one yet, so a stopped run resumes and opens. Throws DataError
 * (bad folder or checkpoint), std::invalid_argument (bad config), TrainingError-like std::runtime_error when losses
 * turn NaN.
 */
GanResult trainGan(
    const GanConfig &config, const GanCallbacks &callbacks, const std::string &runDir, bool resume = false);

/** FLOPs (2 x multiply-accumulates) of one generator forward for one image, and of one whole training iteration
 *  (D step: G forward, D forward and backward on real and fake; G step: G and D forward, D and G backward). */
double ganGeneratorFlops(const GanConfig &config);
double ganIterationFlops(const GanConfig &config);

/** The config a run folder was started with (its config.json), to resume it as it was. Throws DataError naming the
 *  file (missing, not JSON, not a GAN run's, out-of-range values). */
GanConfig readGanConfig(const std::string &runDir);

/** config.json's text for a config (also what resume compares). */
std::string ganConfigJson(const GanConfig &config);

} // namespace untangle
