#pragma once

#include "directions/directionset.h"
#include "evaluation/disentanglement.h"
#include "progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/*
 * The SRE paper's disentanglement protocol for a set of directions (docs/methods/sre.md §4.1 and §7.5): distil an
 * encoder from generated images to the coordinates of their style along the directions, then score that encoder as a
 * representation of REAL procedural sprites with MIG, DCI, FactorVAE and beta-VAE, each against its noise floor.
 * Two deliberate departures from the paper's code, both recorded in the report: the encoder's early stopping watches
 * a real held-out split of distinct z (the code's validation set equals its training set,
 * docs/methods/sre.md, pitfall 9), and DCI's D, C and I are reported separately (the code's (D + C + (1 - I)) / 3
 * rewards errors, docs/methods/sre.md, pitfall 10).
 */

/** Images the encoder is distilled from, and how they are drawn (docs/methods/sre.md §4.1: 10,000 in 200 batches
 *  of 50, psi 0.8). */
constexpr int DistillationImages = 10000;
/** Most images an encoder may be distilled from: 5x the paper's 10,000. They are held as floats at once (50,000 Scenes
 *  at 64 x 64 take 2.5 GB); 2^31 images ended in a bare std::bad_alloc. */
constexpr int MaxDistillationImages = 50000;
constexpr int DistillationGenerationBatch = 50;
constexpr double DistillationTruncation = 0.8;
/** Share of the distinct z held out for early stopping and the reported R^2: ours, as the paper holds none out. */
constexpr double DistillationHeldOutFraction = 0.1;
/** Encoder training as the paper's LatentRegressor: Adam 1e-3, StepLR(10, 0.5), <= 20 epochs, batch 128,
 *  patience 10, hidden width 256. */
constexpr int DistillationEpochs = 20;
constexpr int DistillationBatchSize = 128;
constexpr double DistillationLearningRate = 1e-3;
constexpr int DistillationLrStepEpochs = 10;
constexpr double DistillationLrGamma = 0.5;
constexpr int DistillationPatience = 10;
constexpr int DistillationHidden = 256;
/** Added to every label std before dividing (the paper's code). */
constexpr double DistillationLabelStdEpsilon = 1e-5;
/** Sprites rendered and encoded per forward when scoring (memory stays ~10 MB at 64 x 64). */
constexpr int EvaluationEncodeBatch = 256;
/** Encoded sprites FactorVAE and beta-VAE draw from (pooledfactorsampler.h): our documented reduction. Rendering
 *  on the fly took 480 of 1260 s of a 64 x 64 evaluation (390k encoder forwards); the pool takes ~20 s. With
 *  20,000 sprites the rarest (factor, value) group (orientation: 40 values) still holds ~500 sprites. */
constexpr int EvaluationSamplingPool = 20000;

struct EvaluationOptions {
    // -- distillation --
    int images = DistillationImages;
    int generationBatch = DistillationGenerationBatch;
    double truncation = DistillationTruncation; // psi; 1 disables truncation
    double heldOutFraction = DistillationHeldOutFraction;
    int epochs = DistillationEpochs;
    int batchSize = DistillationBatchSize;
    double learningRate = DistillationLearningRate;
    int lrStepEpochs = DistillationLrStepEpochs;
    double lrGamma = DistillationLrGamma;
    int patience = DistillationPatience;
    int hidden = DistillationHidden;
    // -- metrics on rendered sprites (counts of docs/methods/sre.md §7.5; small values make tests fast) --
    int migPoints = MigSampleCount;
    int dciTrainPoints = DciTrainSampleCount;
    int dciTestPoints = DciTestSampleCount;
    int factorVaeTrainVotes = FactorVaeTrainVotes;
    int factorVaeEvalVotes = FactorVaeEvalVotes;
    int factorVaeVarianceSamples = FactorVaeVarianceSamples;
    int betaVaeTrainPoints = BetaVaeTrainPoints;
    int betaVaeEvalPoints = BetaVaeEvalPoints;
    int dciTrees = DciForestTrees;
    int encodeBatch = EvaluationEncodeBatch;
    /** 0 renders and encodes fresh sprites for every FactorVAE / beta-VAE batch (the paper's way, slow). */
    int samplingPool = EvaluationSamplingPool;
    /** One seed for everything (z, held-out split, encoder init and batch order, sprite draws, metric internals):
     *  the paper resets its seed before each encoder run. The same seed gives the same z and the same sprites to
     *  every direction set, so sets compare on equal terms; vary it to get a mean and std over seeds. */
    std::uint64_t seed = 0;
    // -- outputs --
    /** When set, the distilled encoder is saved there as a ScoreFile of kind "encoder" (retrieval's baseline). */
    std::string encoderPath;
    /** Recorded in the saved encoder: the direction file its outputs follow. */
    std::string directionsPath;

    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

struct DistillationReport {
    int trainImages = 0;
    int heldOutImages = 0;
    int epochsRun = 0;
    int bestEpoch = 0; // 1-based; its weights are the ones scored and saved
    double trainMse = 0.0; // at the best epoch, standardised labels (a constant predictor scores ~1)
    double heldOutMse = 0.0;
    std::vector<double> heldOutR2; // per direction, at the best epoch
    std::vector<double> trainMsePerEpoch, heldOutMsePerEpoch;
    std::vector<double> labelMean, labelStd; // train-split statistics of w D^T, per direction
};

/** Wall-clock seconds per phase, to budget experiment grids. */
struct EvaluationTimings {
    double generation = 0.0; // generator images for the distillation
    double distillation = 0.0; // all epochs
    double secondsPerEpoch = 0.0;
    double encoding = 0.0; // rendering + encoding the MIG and DCI sprites
    double samplingPool = 0.0; // rendering + encoding the FactorVAE / beta-VAE pool (0 when rendering on the fly)
    double mig = 0.0;
    double dci = 0.0;
    double factorVae = 0.0; // rendering + encoding on the fly included when samplingPool is 0
    double betaVae = 0.0; // same
    double noiseFloors = 0.0; // all four floors
    // evaluateDirectionSets shares generation and the floors between sets: they are charged to the first set.
    double total = 0.0;
};

struct DirectionEvaluation {
    std::string generator; // the generator's description
    std::string method; // the direction set's
    int directionCount = 0;
    int styleSize = 0;
    int resolution = 0;
    double truncation = 0.0;
    std::uint64_t seed = 0;
    DistillationReport distillation;
    MigResult mig, migFloor;
    DciResult dci, dciFloor;
    FactorVaeResult factorVae, factorVaeFloor;
    BetaVaeResult betaVae, betaVaeFloor;
    EvaluationTimings timings;
    std::string encoderPath; // where the encoder was saved, empty if not
};

/**
 * Runs the whole protocol on the generator at generatorPath (anything loadGenerator opens). Needs a 1-channel
 * generator at 32 or 64 pixels (the sprite renderer's resolutions), 2 <= K <= its style size (MIG and DCI compare
 * code dimensions) and directions of its style size. Throws std::invalid_argument for those, DataError for
 * unreadable files, Cancelled when progress asks to stop. Does not change thread settings (the caller's job).
 */
DirectionEvaluation evaluateDirections(const std::string &generatorPath, const DirectionSet &directions,
    const EvaluationOptions &options, const ProgressFn &progress = {});

/** One direction set to score with evaluateDirectionSets, and where its encoder goes (empty: not saved). */
struct EvaluationJob {
    DirectionSet directions;
    std::string encoderPath;
    std::string directionsPath;
};

/**
 * The same protocol for several direction sets on one generator (e.g. SeFa, GANSpace, LD, each before and after
 * SRE): the distillation images are generated once (they depend on z and psi, not on the directions; only the
 * labels w D^T differ) and the noise floors once per K. Each set gets exactly what evaluateDirections would give it
 * with the same options (options.encoderPath and directionsPath are ignored: each job names its own). All sets are
 * checked before any work starts.
 */
std::vector<DirectionEvaluation> evaluateDirectionSets(const std::string &generatorPath,
    const std::vector<EvaluationJob> &jobs, const EvaluationOptions &options, const ProgressFn &progress = {});

/** "MIG 0.21 (noise floor 0.01), DCI D 0.30 (...), C ..., I ..., FactorVAE ..., beta-VAE ..., encoder R^2 0.9": one
 *  line, every score beside its floor; the paper code's DCI variant is labelled as such. */
std::string formatEvaluationSummary(const DirectionEvaluation &evaluation);

} // namespace untangle
