#include "factors/worldcoverage.h"

#include "common/latenttensors.h"
#include "dataerror.h"
#include "factors/factorreader.h"
#include "factors/factorreadernet.h"
#include "factors/roomcommitment.h"
#include "gan/ganimagesource.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"
#include "sprites/spritegeneratorevaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

namespace untangle {

namespace {

constexpr double PresentShareOfUniform = 0.25; // a value counts as present at a quarter of its uniform share

/** The reference printed beside one view: real renders blended half and half with their mirror image, read by the
 *  same reader. It depends only on the reader, the count and the seed, so a GAN run scoring a checkpoint every few
 *  hundred iterations measures it once, not 3,840 renders each time. The key holds the reader itself, not its
 *  address, so a reader freed and another made at the same address can never find this one's value. */
double mirrorBlendOneView(const FactorReaderPtr &reader, int resolution, int count, std::uint64_t seed)
{
    static std::mutex mutex;
    static std::map<std::tuple<FactorReaderPtr, int, int, std::uint64_t>, double> measured;
    const auto key = std::make_tuple(reader, resolution, count, seed);
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto known = measured.find(key); known != measured.end())
        return known->second;
    const auto real = GanImageSource::scenes(resolution).batch(count, seed, 0);
    const auto blends = 0.5 * real + 0.5 * real.flip({3});
    return measured[key] = roomViewShare(blends, reader->predict(blends));
}

} // namespace

void requireCoverageSamples(int samples)
{
    if (samples < 1)
        throw std::invalid_argument("coverage needs at least one sample, got " + std::to_string(samples));
    if (samples > MaxCoverageSamples)
        throw std::invalid_argument("coverage samples is too large: " + std::to_string(samples) + " (at most "
            + std::to_string(MaxCoverageSamples) + ")");
}

namespace {

/** A Scenes generator's seeded samples and what its world's reader reads in them (probabilities per factor). */
struct SceneSamples {
    const FactorWorld *world = nullptr;
    int resolution = 0;
    FactorReaderPtr reader;
    torch::Tensor images;
    std::vector<torch::Tensor> probabilities;
};

SceneSamples drawSceneSamples(const std::string &generatorPath, int samples, std::uint64_t seed, double truncation)
{
    requireCoverageSamples(samples);
    auto generator = loadGenerator(generatorPath);
    const auto shape = generator->shape();
    SceneSamples result;
    result.world = FactorWorld::forImages(shape.channels, shape.resolution);
    if (!result.world || result.world->kind != WorldKind::Scenes)
        throw DataError(generatorPath + " makes " + std::to_string(shape.channels) + "-channel images at "
            + std::to_string(shape.resolution) + " px, not Scenes (3 channels)");
    result.resolution = shape.resolution;
    result.reader = factorReader(*result.world, shape.resolution);
    torch::NoGradGuard noGrad;
    const auto styles
        = truncatedStylesAroundMean(*generator, sampleLatents(samples, shape.latentSize, seed), truncation);
    result.images = synthesiseInBatches(*generator, styles);
    result.probabilities = result.reader->predict(result.images);
    return result;
}

WorldCoverage coverageOf(const SceneSamples &drawn, std::uint64_t seed, double truncation)
{
    torch::NoGradGuard noGrad;
    const FactorWorld *world = drawn.world;
    const auto &probabilities = drawn.probabilities;
    const int samples = int(drawn.images.size(0));
    WorldCoverage result;
    result.world = world->key;
    result.samples = samples;
    result.truncation = truncation;
    result.sharpness = sharpnessAgainst(drawn.images, GanImageSource::scenes(drawn.resolution));
    result.oneView = roomViewShare(drawn.images, probabilities);
    result.mirrorBlendOneView
        = mirrorBlendOneView(drawn.reader, drawn.resolution, std::min(samples, RoomViewImages), seed);
    for (int f = 0; f < world->factorCount(); ++f) {
        const auto &factor = world->factors[std::size_t(f)];
        FactorCoverage c;
        c.name = factor.name;
        const auto answers = probabilities[std::size_t(f)].argmax(1).contiguous();
        const auto counts = torch::bincount(answers, {}, factor.size).to(torch::kFloat64);
        const auto share = (counts / double(samples)).contiguous();
        c.histogram.assign(share.data_ptr<double>(), share.data_ptr<double>() + share.numel());
        for (double p : c.histogram) {
            c.coverage += p >= PresentShareOfUniform / factor.size ? 1.0 / factor.size : 0.0;
            c.entropy -= p > 0.0 ? p * std::log(p) / std::log(double(factor.size)) : 0.0;
        }
        c.confidence = std::get<0>(probabilities[std::size_t(f)].max(1)).mean().item<double>();
        const auto &record = drawn.reader->info().accuracy;
        c.realConfidence = std::size_t(f) < record.size() ? record[std::size_t(f)].confidence : 0.0;
        result.meanCoverage += c.coverage / world->factorCount();
        result.meanEntropy += c.entropy / world->factorCount();
        result.realism += std::min(1.0, c.confidence / std::max(1e-9, c.realConfidence)) / world->factorCount();
        result.factors.push_back(std::move(c));
    }
    return result;
}

} // namespace

WorldCoverage measureWorldCoverage(const std::string &generatorPath, int samples, std::uint64_t seed, double truncation)
{
    return coverageOf(drawSceneSamples(generatorPath, samples, seed, truncation), seed, truncation);
}

WorldSampleReadings readWorldSamples(const std::string &generatorPath, int samples, std::uint64_t seed)
{
    const SceneSamples drawn = drawSceneSamples(generatorPath, samples, seed, 1.0);
    WorldSampleReadings result;
    result.coverage = coverageOf(drawn, seed, 1.0);
    torch::NoGradGuard noGrad;
    const int factors = drawn.world->factorCount();
    std::vector<torch::Tensor> answers;
    for (const auto &p : drawn.probabilities)
        answers.push_back(p.argmax(1).to(torch::kInt64).contiguous());
    result.read.reserve(std::size_t(samples) * std::size_t(factors));
    for (int64_t i = 0; i < drawn.images.size(0); ++i) {
        result.images.push_back(toImage(drawn.images[i].clamp(-1, 1)));
        for (int f = 0; f < factors; ++f)
            result.read.push_back(int(answers[std::size_t(f)].data_ptr<int64_t>()[i]));
    }
    return result;
}

double scoreSceneCheckpoint(const std::string &generatorPath, std::string &summary)
{
    WorldCoverage coverage;
    try {
        coverage = measureWorldCoverage(generatorPath, SceneCheckpointSamples, 1);
    } catch (const NonFiniteImages &) { // a diverged checkpoint is the worst one, not the end of the run
        summary = NonFiniteImagesSummary;
        return 0.0;
    }
    char line[200];
    std::snprintf(line, sizeof line, "(coverage %.2f, entropy %.2f, realism %.2f, sharpness %.2f, one view %.2f)",
        coverage.meanCoverage, coverage.meanEntropy, coverage.realism, coverage.sharpness.ratio, coverage.oneView);
    summary = line;
    return coverage.score();
}

bool sceneReaderReady(int resolution)
{
    std::error_code error;
    return std::filesystem::is_regular_file(factorReaderCachePath("scenes", resolution), error)
        || !shippedFactorReaderPath("scenes", resolution).empty();
}

std::string WorldCoverage::report() const
{
    std::string text;
    char line[320];
    char psi[40] = "";
    if (truncation != 1.0)
        std::snprintf(psi, sizeof psi, ", truncation psi %.2f", truncation);
    std::snprintf(line, sizeof line, "coverage on %s, %d samples%s\n%-14s %9s %8s %11s %6s  %s\n", world.c_str(),
        samples, psi, "factor", "coverage", "entropy", "confidence", "real", "samples per value (0, 1, ...)");
    text += line;
    for (const auto &f : factors) {
        std::snprintf(line, sizeof line, "%-14s %9.2f %8.2f %11.3f %6.3f ", f.name.c_str(), f.coverage, f.entropy,
            f.confidence, f.realConfidence);
        text += line;
        // Every value with its count, as the Sprites report does, so a missing or rare value is seen, not inferred.
        for (double share : f.histogram)
            text += " " + std::to_string(std::lround(share * samples));
        text += '\n';
    }
    std::snprintf(line, sizeof line,
        "score %.3f = mean coverage %.2f x mean entropy %.2f x realism %.2f\nsharpness %.2f (Laplacian energy %.4f, "
        "real renders %.4f)\n",
        score(), meanCoverage, meanEntropy, realism, sharpness.ratio, sharpness.sampleEnergy, sharpness.realEnergy);
    text += line;
    std::snprintf(line, sizeof line,
        "one view %.2f: samples nearer to a render of what the reader reads than to that room averaged over its "
        "orientations (renders 1.00, renders blended with their mirror image %.2f)",
        oneView, mirrorBlendOneView);
    return text + line;
}

} // namespace untangle
