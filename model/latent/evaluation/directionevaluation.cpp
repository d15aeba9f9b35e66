#include "evaluation/directionevaluation.h"

#include "evaluation/encoderdistillation.h"
#include "evaluation/evaluationstreams.h"
#include "evaluation/pooledfactorsampler.h"
#include "factors/worldencoder.h"
#include "gan/generatorfile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace untangle {

namespace {

void requirePositive(int value, const char *field)
{
    if (value < 1)
        throw std::invalid_argument(
            std::string("evaluation option ") + field + " must be at least 1, got " + std::to_string(value));
}

class PhaseClock {
public:
    /** Seconds since the previous call (or construction). */
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return seconds;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

/** Progress shares of the phases, by their measured cost at the default counts (see the report's timings):
 *  generation's share of one set, then the phases of one set within its own [0, 1]. */
constexpr double GenerationEnd = 0.12;
constexpr double DistillationEnd = 0.85;
constexpr double EncodingEnd = 0.88;
constexpr double DciEnd = 0.9;
constexpr double PoolEnd = 0.93;
constexpr double FactorVaeEnd = 0.95;
constexpr double BetaVaeEnd = 0.97;

} // namespace

void EvaluationOptions::validate() const
{
    requirePositive(images, "images");
    requirePositive(generationBatch, "generationBatch");
    requirePositive(epochs, "epochs");
    requirePositive(batchSize, "batchSize");
    requirePositive(lrStepEpochs, "lrStepEpochs");
    requirePositive(patience, "patience");
    requirePositive(hidden, "hidden");
    requirePositive(migPoints, "migPoints");
    requirePositive(dciTrainPoints, "dciTrainPoints");
    requirePositive(dciTestPoints, "dciTestPoints");
    requirePositive(factorVaeTrainVotes, "factorVaeTrainVotes");
    requirePositive(factorVaeEvalVotes, "factorVaeEvalVotes");
    requirePositive(betaVaeTrainPoints, "betaVaeTrainPoints");
    requirePositive(betaVaeEvalPoints, "betaVaeEvalPoints");
    requirePositive(dciTrees, "dciTrees");
    requirePositive(encodeBatch, "encodeBatch");
    if (images < 2)
        throw std::invalid_argument("evaluation option images must be at least 2 (one to train on, one held out)");
    if (images > MaxDistillationImages)
        throw std::invalid_argument("evaluation option images (the images the encoder is distilled from) is too large: "
            + std::to_string(images) + " (at most " + std::to_string(MaxDistillationImages) + ")");
    if (samplingPool < 0)
        throw std::invalid_argument("evaluation option samplingPool must be 0 (render on the fly) or a pool size, got "
            + std::to_string(samplingPool));
    if (factorVaeVarianceSamples < 2)
        throw std::invalid_argument("evaluation option factorVaeVarianceSamples must be at least 2 (a variance)");
    if (!(truncation > 0.0 && truncation <= 1.0))
        throw std::invalid_argument(
            "evaluation option truncation (psi) must be in (0, 1], got " + std::to_string(truncation));
    if (!(heldOutFraction > 0.0 && heldOutFraction < 1.0))
        throw std::invalid_argument(
            "evaluation option heldOutFraction must be in (0, 1), got " + std::to_string(heldOutFraction));
    if (!(learningRate > 0.0) || !(lrGamma > 0.0 && lrGamma <= 1.0))
        throw std::invalid_argument("evaluation options need learningRate > 0 and lrGamma in (0, 1]");
}

namespace {

/** What one generator offers every direction set: checked shape, shared images, the split, and the floors per K. */
struct SharedEvaluation {
    GeneratorShape shape;
    const FactorWorld *world = nullptr; // whose rendered images the metrics score
    std::string description;
    std::string fingerprint;
    DistillationData data;
    DistillationSplit split;
    double generationSeconds = 0.0;
    std::map<int, DirectionEvaluation> floorsByK; // only the *Floor fields are filled
};

void requireUsable(const DirectionSet &directions, const GeneratorShape &shape, const std::string &description,
    const std::string &fingerprint)
{
    directions.validate();
    directions.requireGenerator(shape.styleSize, shape.channels, shape.resolution, description, fingerprint);
    const int k = directions.count();
    if (k < 2)
        throw std::invalid_argument("the disentanglement metrics need at least 2 directions (MIG and DCI compare code "
                                    "dimensions), got "
            + std::to_string(k));
    if (k > shape.styleSize)
        throw std::invalid_argument(std::to_string(k) + " directions exceed the generator's style size "
            + std::to_string(shape.styleSize) + ": they cannot be independent");
}

/** Maps a phase's own [0, 1] progress into [from, to] of the whole run. */
ProgressFn subRange(const ProgressFn &progress, double from, double to)
{
    if (!progress)
        return {};
    return [progress, from, to](
               double fraction, const std::string &what) { return progress(from + (to - from) * fraction, what); };
}

DirectionEvaluation evaluateOne(
    SharedEvaluation &shared, const EvaluationJob &job, const EvaluationOptions &options, const ProgressFn &progress)
{
    PhaseClock clock, total;
    const auto &shape = shared.shape;
    const int k = job.directions.count();
    DirectionEvaluation evaluation;
    evaluation.generator = shared.description;
    evaluation.method = job.directions.method;
    evaluation.directionCount = k;
    evaluation.styleSize = shape.styleSize;
    evaluation.resolution = shape.resolution;
    evaluation.truncation = options.truncation;
    evaluation.seed = options.seed;
    auto &timings = evaluation.timings;

    // 1. Encoder distillation on generated images (docs/methods/sre.md §4.1 steps 1-2), labels w D^T, w unshifted.
    const auto matrix = job.directions.matrix();
    const auto directionTensor
        = torch::tensor(matrix.values, torch::kFloat64).reshape({k, shape.styleSize}).to(torch::kFloat32);
    const auto labels = torch::matmul(shared.data.styles, directionTensor.t());
    auto encoder = distillEncoder(shared.data.images, labels, shared.split, options, progress, 0.0, DistillationEnd);
    evaluation.distillation = encoder.report;
    timings.distillation = clock.lap();
    timings.secondsPerEpoch = timings.distillation / std::max(1, encoder.report.epochsRun);
    if (!job.encoderPath.empty()) {
        saveScoreFile(ScoreFile {encoder.network, "encoder", job.directionsPath}, job.encoderPath);
        evaluation.encoderPath = job.encoderPath;
    }

    // 2. The metrics on real rendered images encoded by it (step 3), each with the same metric on Gaussian codes
    // beside it.
    WorldEncoder sprites(*shared.world, encoder.network, shape.resolution, options.encodeBatch);
    SeededRandom spriteRandom(evaluationStream(options.seed, EvaluationStream::Sprites));
    CodeMatrix migCodes, dciTrainCodes, dciTestCodes;
    FactorMatrix migFactors, dciTrainFactors, dciTestFactors;
    sprites.encodeRandom(options.migPoints, spriteRandom, migCodes, migFactors);
    sprites.encodeRandom(options.dciTrainPoints, spriteRandom, dciTrainCodes, dciTrainFactors);
    sprites.encodeRandom(options.dciTestPoints, spriteRandom, dciTestCodes, dciTestFactors);
    timings.encoding = clock.lap();
    reportProgress(progress, EncodingEnd, "MIG");

    evaluation.mig = computeMig(migCodes, migFactors);
    timings.mig = clock.lap();
    reportProgress(progress, EncodingEnd, "DCI");

    DciOptions dciOptions;
    dciOptions.trees = options.dciTrees;
    dciOptions.seed = evaluationStream(options.seed, EvaluationStream::Dci);
    evaluation.dci = computeDci(dciTrainCodes, dciTrainFactors, dciTestCodes, dciTestFactors, dciOptions);
    timings.dci = clock.lap();
    reportProgress(progress, DciEnd, "renders for FactorVAE and beta-VAE");

    FactorSampler factorVaeSampler, betaVaeSampler;
    if (options.samplingPool > 0) {
        SeededRandom poolRandom(evaluationStream(options.seed, EvaluationStream::SamplingPool));
        CodeMatrix poolCodes;
        FactorMatrix poolFactors;
        sprites.encodeRandom(options.samplingPool, poolRandom, poolCodes, poolFactors);
        factorVaeSampler = pooledFactorSampler(
            poolCodes, poolFactors, evaluationStream(options.seed, EvaluationStream::FactorVaeSprites));
        betaVaeSampler = pooledFactorSampler(
            poolCodes, poolFactors, evaluationStream(options.seed, EvaluationStream::BetaVaeSprites));
    } else {
        factorVaeSampler = sprites.sampler(evaluationStream(options.seed, EvaluationStream::FactorVaeSprites));
        betaVaeSampler = sprites.sampler(evaluationStream(options.seed, EvaluationStream::BetaVaeSprites));
    }
    timings.samplingPool = clock.lap();
    reportProgress(progress, PoolEnd, "FactorVAE score");

    FactorVaeOptions factorVaeOptions;
    factorVaeOptions.trainVotes = options.factorVaeTrainVotes;
    factorVaeOptions.evalVotes = options.factorVaeEvalVotes;
    factorVaeOptions.varianceSamples = options.factorVaeVarianceSamples;
    factorVaeOptions.seed = evaluationStream(options.seed, EvaluationStream::FactorVae);
    evaluation.factorVae = computeFactorVae(factorVaeSampler, factorVaeOptions);
    timings.factorVae = clock.lap();
    reportProgress(progress, FactorVaeEnd, "beta-VAE score");

    BetaVaeOptions betaVaeOptions;
    betaVaeOptions.trainPoints = options.betaVaeTrainPoints;
    betaVaeOptions.evalPoints = options.betaVaeEvalPoints;
    betaVaeOptions.seed = evaluationStream(options.seed, EvaluationStream::BetaVae);
    evaluation.betaVae = computeBetaVae(betaVaeSampler, betaVaeOptions);
    timings.betaVae = clock.lap();
    reportProgress(progress, BetaVaeEnd, "noise floors");

    // The floors depend only on K, the factor draws and the seed: the same for every set with this K.
    auto floors = shared.floorsByK.find(k);
    if (floors == shared.floorsByK.end()) {
        DirectionEvaluation computed;
        const std::uint64_t floorSeed = evaluationStream(options.seed, EvaluationStream::NoiseFloor);
        computed.migFloor = migNoiseFloor(migFactors, k, floorSeed);
        computed.dciFloor = dciNoiseFloor(dciTrainFactors, dciTestFactors, k, dciOptions);
        computed.factorVaeFloor = factorVaeNoiseFloor(shared.world->sizes(), k, factorVaeOptions);
        computed.betaVaeFloor = betaVaeNoiseFloor(shared.world->sizes(), k, betaVaeOptions);
        floors = shared.floorsByK.emplace(k, std::move(computed)).first;
    }
    evaluation.migFloor = floors->second.migFloor;
    evaluation.dciFloor = floors->second.dciFloor;
    evaluation.factorVaeFloor = floors->second.factorVaeFloor;
    evaluation.betaVaeFloor = floors->second.betaVaeFloor;
    timings.noiseFloors = clock.lap();
    timings.total = total.lap();
    reportProgress(progress, 1.0, "done");
    return evaluation;
}

} // namespace

std::vector<DirectionEvaluation> evaluateDirectionSets(const std::string &generatorPath,
    const std::vector<EvaluationJob> &jobs, const EvaluationOptions &options, const ProgressFn &progress)
{
    options.validate();
    if (jobs.empty())
        throw std::invalid_argument("no direction set to evaluate");
    auto generator = loadGenerator(generatorPath);
    SharedEvaluation shared;
    shared.shape = generator->shape();
    shared.description = generator->description();
    shared.fingerprint = generator->fingerprint();
    shared.world = FactorWorld::forImages(shared.shape.channels, shared.shape.resolution);
    if (!shared.world)
        throw std::invalid_argument("the disentanglement metrics score real rendered images with known factors: "
                                    "Sprites (1 channel at 32 or 64 pixels) or Scenes (3 channels at 16 to 256 "
                                    "pixels); this generator makes "
            + std::to_string(shared.shape.channels) + "-channel images at " + std::to_string(shared.shape.resolution)
            + " pixels");
    for (const auto &job : jobs)
        requireUsable(job.directions, shared.shape, shared.description, shared.fingerprint);

    PhaseClock clock;
    const double generationShare = GenerationEnd / double(jobs.size()); // one set's generation share, spread
    shared.data = generateDistillationData(*generator, options, progress, 0.0, generationShare);
    shared.generationSeconds = clock.lap();
    shared.split = planDistillationSplit(
        options.images, options.heldOutFraction, evaluationStream(options.seed, EvaluationStream::Split));

    std::vector<DirectionEvaluation> evaluations;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const double from = generationShare + (1.0 - generationShare) * double(i) / double(jobs.size());
        const double to = generationShare + (1.0 - generationShare) * double(i + 1) / double(jobs.size());
        evaluations.push_back(evaluateOne(shared, jobs[i], options, subRange(progress, from, to)));
        if (i == 0) {
            evaluations.back().timings.generation = shared.generationSeconds;
            evaluations.back().timings.total += shared.generationSeconds;
        }
    }
    return evaluations;
}

DirectionEvaluation evaluateDirections(const std::string &generatorPath, const DirectionSet &directions,
    const EvaluationOptions &options, const ProgressFn &progress)
{
    return evaluateDirectionSets(
        generatorPath, {EvaluationJob {directions, options.encoderPath, options.directionsPath}}, options, progress)
        .front();
}

std::string formatEvaluationSummary(const DirectionEvaluation &e)
{
    const auto &r2 = e.distillation.heldOutR2;
    double meanR2 = 0.0, minR2 = r2.empty() ? 0.0 : r2.front();
    for (double value : r2) {
        meanR2 += value / double(r2.size());
        minR2 = std::min(minR2, value);
    }
    char encoder[160];
    std::snprintf(encoder, sizeof encoder, "encoder held-out MSE %.3f (train %.3f), R^2 mean %.3f min %.3f",
        e.distillation.heldOutMse, e.distillation.trainMse, meanR2, minR2);
    return e.method + " (K " + std::to_string(e.directionCount) + ", seed " + std::to_string(e.seed)
        + "): " + withNoiseFloor("MIG", e.mig.mig, e.migFloor.mig) + ", "
        + withNoiseFloor("DCI D", e.dci.disentanglement, e.dciFloor.disentanglement) + ", "
        + withNoiseFloor("C", e.dci.completeness, e.dciFloor.completeness) + ", "
        + withNoiseFloor("I", e.dci.informativeness, e.dciFloor.informativeness) + ", "
        + withNoiseFloor("FactorVAE", e.factorVae.evalAccuracy, e.factorVaeFloor.evalAccuracy) + ", "
        + withNoiseFloor("beta-VAE", e.betaVae.evalAccuracy, e.betaVaeFloor.evalAccuracy) + "; "
        + withNoiseFloor("paper-code DCI (D+C+1-I)/3", e.dci.sreCodeScore(), e.dciFloor.sreCodeScore()) + "; "
        + encoder;
}

} // namespace untangle
