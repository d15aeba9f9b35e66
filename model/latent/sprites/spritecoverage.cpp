#include "sprites/spritegeneratorevaluation.h"

#include "common/latenttensors.h"
#include "dataerror.h"
#include "factors/readingpairs.h"
#include "factors/worldcoverage.h"
#include "gan/ganimagesource.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"
#include "sprites/spritefactormodel.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace untangle {

namespace {

/** Images synthesised per call: bounds memory at 64 x 64 without costing speed. */
constexpr int SynthesisBatch = 128;
/** The factors behind the score: orientation is ambiguous by the data's symmetries (see SpriteCoverage). */
constexpr std::array<SpriteFactor, 4> ScoredFactors
    = {SpriteFactor::Shape, SpriteFactor::Scale, SpriteFactor::PositionX, SpriteFactor::PositionY};

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

void requireSpriteGenerator(const Generator &generator)
{
    const auto shape = generator.shape();
    if (shape.channels != 1 || (shape.resolution != 32 && shape.resolution != 64))
        throw DataError("the Sprites factor model reads 1-channel 32x32 or 64x64 images; the generator ("
            + generator.description() + ") makes " + std::to_string(shape.channels) + "-channel "
            + std::to_string(shape.resolution) + "x" + std::to_string(shape.resolution) + " images");
}

void requireFiniteImages(const torch::Tensor &images, const Generator &generator)
{
    if (!torch::isfinite(images).all().item<bool>())
        throw NonFiniteImages("generator " + generator.description()
            + " draws images with NaN or infinite pixels (damaged weights, or training that diverged): nothing it "
              "draws can be scored");
}

torch::Tensor synthesiseInBatches(Generator &generator, const torch::Tensor &styles)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < styles.size(0); start += SynthesisBatch)
        parts.push_back(
            generator.synthesis(styles.slice(0, start, std::min<int64_t>(styles.size(0), start + SynthesisBatch))));
    auto images = torch::cat(parts);
    requireFiniteImages(images, generator);
    return images;
}

namespace {

/** Coverage of images from what the reader read in them (`probabilities`, classifier.predict) and each one's
 * render-back IoU (`agreement`, renderAgreement): one reading serves the coverage and the GUI's per-sample readings. */
SpriteCoverage coverageOfReadings(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities,
    const torch::Tensor &agreement, const SpriteFactorClassifier &classifier)
{
    SpriteCoverage result;
    result.samples = int(images.size(0));
    result.resolution = classifier.resolution();
    result.factorModel = classifier.info().path;
    requireCoverageSamples(result.samples);
    for (int f = 0; f < SpriteFactorCount; ++f) {
        auto &c = result.factors[f];
        const int bins = SpriteCoverageBins[f];
        c.histogram.assign(bins, 0);
        const auto [top, index] = probabilities[f].max(1);
        const auto indices = index.contiguous();
        for (int64_t i = 0; i < indices.numel(); ++i)
            ++c.histogram[int(indices.data_ptr<int64_t>()[i] * bins / SpriteFactorSizes[f])];
        const double uniformShare = double(result.samples) / bins;
        double entropy = 0.0;
        int covered = 0;
        for (int count : c.histogram) {
            covered += count >= SpriteCoverageMinShare * uniformShare;
            if (count > 0) {
                const double p = double(count) / result.samples;
                entropy -= p * std::log(p);
            }
        }
        c.coverage = double(covered) / bins;
        c.entropy = entropy / std::log(double(bins));
        c.confidence = top.mean().item<double>();
        c.realConfidence = classifier.info().realConfidence[f];
    }
    for (SpriteFactor factor : ScoredFactors) {
        const auto &c = result.factors[int(factor)];
        result.meanEntropy += c.entropy / ScoredFactors.size();
        result.meanCoverage += c.coverage / ScoredFactors.size();
        result.confidence += c.confidence / ScoredFactors.size();
        result.realConfidence += c.realConfidence / ScoredFactors.size();
    }
    result.renderAgreement = agreement.mean().item<double>();
    const auto shapes = probabilities[int(SpriteFactor::Shape)].argmax(1).contiguous();
    const auto scales = probabilities[int(SpriteFactor::Scale)].argmax(1).contiguous();
    for (int64_t i = 0; i < shapes.numel(); ++i)
        ++result.shapeByScale[std::size_t(shapes.data_ptr<int64_t>()[i])][std::size_t(scales.data_ptr<int64_t>()[i])];
    for (int shape = 0; shape < SpriteShapeCount; ++shape) {
        const auto read = shapes.eq(shape);
        if (read.any().item<bool>())
            result.shapeRenderAgreement[std::size_t(shape)] = agreement.index({read}).mean().item<double>();
    }
    result.realRenderAgreement = classifier.info().realRenderAgreement;
    result.realism
        = result.realRenderAgreement > 0.0 ? std::min(1.0, result.renderAgreement / result.realRenderAgreement) : 0.0;
    result.sharpness = sharpnessAgainst(images, GanImageSource::sprites(result.resolution));
    result.score = result.meanCoverage * result.meanEntropy * result.realism;
    return result;
}

} // namespace

SpriteCoverage measureImageCoverage(const torch::Tensor &images, const SpriteFactorClassifier &classifier)
{
    const auto started = std::chrono::steady_clock::now();
    const auto probabilities = classifier.predict(images);
    auto result = coverageOfReadings(images, probabilities, renderAgreement(images, probabilities), classifier);
    result.seconds = secondsSince(started);
    return result;
}

SpriteCoverage measureSpriteCoverage(Generator &generator, const SpriteCoverageOptions &options)
{
    requireSpriteGenerator(generator);
    requireCoverageSamples(options.samples);
    const auto classifier = spriteFactorClassifier(generator.shape().resolution, options.factorModelPath);
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    const auto z = sampleLatents(options.samples, generator.shape().latentSize, options.seed);
    const auto images = synthesiseInBatches(generator, truncatedStylesAroundMean(generator, z, options.truncation));
    auto result = measureImageCoverage(images, *classifier);
    result.seconds = secondsSince(started);
    return result;
}

SpriteCoverage measureSpriteCoverage(Generator &generator, int samples, std::uint64_t seed, double truncation)
{
    SpriteCoverageOptions options;
    options.samples = samples;
    options.seed = seed;
    options.truncation = truncation;
    return measureSpriteCoverage(generator, options);
}

SpriteCoverage measureSpriteCoverage(const std::string &generatorPath, const SpriteCoverageOptions &options)
{
    requireCoverageSamples(options.samples);
    auto generator = loadGenerator(generatorPath);
    return measureSpriteCoverage(*generator, options);
}

SpriteCoverage measureSpriteCoverage(
    const std::string &generatorPath, int samples, std::uint64_t seed, double truncation)
{
    SpriteCoverageOptions options;
    options.samples = samples;
    options.seed = seed;
    options.truncation = truncation;
    return measureSpriteCoverage(generatorPath, options);
}

SpriteCoverage measureImageCoverage(
    const std::vector<float> &images, int count, int resolution, const std::string &factorModelPath)
{
    requireCoverageSamples(count);
    if (resolution != 32 && resolution != 64)
        throw DataError("the Sprites factor model reads 32x32 or 64x64 images, got " + std::to_string(resolution) + "x"
            + std::to_string(resolution));
    if (images.size() != std::size_t(count) * resolution * resolution)
        throw std::invalid_argument("coverage got " + std::to_string(images.size()) + " values for "
            + std::to_string(count) + " 1-channel " + std::to_string(resolution) + "x" + std::to_string(resolution)
            + " images");
    const auto classifier = spriteFactorClassifier(resolution, factorModelPath);
    const auto tensor
        = torch::from_blob(const_cast<float *>(images.data()), {count, 1, resolution, resolution}, torch::kFloat32);
    return measureImageCoverage(tensor, *classifier);
}

double scoreSpriteCheckpoint(const std::string &generatorPath, std::string &summary)
{
    SpriteCoverage coverage;
    try {
        coverage = measureSpriteCoverage(generatorPath, SpriteCoverageSamples, 1, 1.0);
    } catch (const NonFiniteImages &) { // a diverged checkpoint is the worst one, not the end of the run
        summary = NonFiniteImagesSummary;
        return 0.0;
    }
    char line[160];
    // The hearts' IoU too: the shape a Sprites GAN draws worst, which the mean realism hides (README).
    std::snprintf(line, sizeof line, "(coverage %.2f, entropy %.2f, realism %.2f, sharpness %.2f, heart IoU %.2f)",
        coverage.meanCoverage, coverage.meanEntropy, coverage.realism, coverage.sharpness.ratio,
        coverage.shapeRenderAgreement[int(SpriteShape::Heart)]);
    summary = line;
    return coverage.score;
}

std::string SpriteCoverage::summary() const
{
    std::string text;
    char line[320];
    std::snprintf(line, sizeof line, "coverage of %d samples at %dx%d (%.2f s)\n%-12s %8s %8s %8s %8s  histogram\n",
        samples, resolution, resolution, seconds, "factor", "coverage", "entropy", "conf", "real");
    text += line;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto &c = factors[f];
        std::string bins;
        for (int count : c.histogram)
            bins += " " + std::to_string(count);
        std::snprintf(line, sizeof line, "%-12s %8.2f %8.2f %8.2f %8.2f %s\n", spriteFactorName(SpriteFactor(f)),
            c.coverage, c.entropy, c.confidence, c.realConfidence, bins.c_str());
        text += line;
    }
    std::snprintf(line, sizeof line,
        "score %.3f = mean coverage x mean entropy %.3f (shape, scale, x, y) x realism %.3f (render-back IoU %.3f vs "
        "real "
        "%.3f); confidence %.3f vs real %.3f; mean coverage %.2f\nsharpness %.2f (Laplacian energy %.4f, real "
        "sprites %.4f)\nrender-back IoU by the shape read: square %.3f, ellipse %.3f, heart %.3f\n",
        score, meanEntropy, realism, renderAgreement, realRenderAgreement, confidence, realConfidence, meanCoverage,
        sharpness.ratio, sharpness.sampleEnergy, sharpness.realEnergy, shapeRenderAgreement[0], shapeRenderAgreement[1],
        shapeRenderAgreement[2]);
    text += line;
    std::snprintf(line, sizeof line, "samples read as each shape by scale, smallest first (real sprites: %.0f each):",
        samples / double(SpriteShapeCount * SpriteFactorSizes[int(SpriteFactor::Scale)]));
    text += line;
    for (int shape = 0; shape < SpriteShapeCount; ++shape) {
        std::string counts;
        for (int count : shapeByScale[std::size_t(shape)])
            counts += " " + std::to_string(count);
        text += std::string(shape == 0 ? " square" : shape == 1 ? "; ellipse" : "; heart") + counts;
    }
    return text;
}

SpriteSampleReadings readSpriteSamples(const std::string &generatorPath, const SpriteCoverageOptions &options)
{
    requireCoverageSamples(options.samples);
    auto generator = loadGenerator(generatorPath);
    requireSpriteGenerator(*generator);
    const auto classifier = spriteFactorClassifier(generator->shape().resolution, options.factorModelPath);
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    const auto z = sampleLatents(options.samples, generator->shape().latentSize, options.seed);
    const auto images = synthesiseInBatches(*generator, truncatedStylesAroundMean(*generator, z, options.truncation));
    const auto probabilities = classifier->predict(images);
    const auto agreement = renderAgreement(images, probabilities);
    SpriteSampleReadings result;
    result.coverage = coverageOfReadings(images, probabilities, agreement, *classifier);
    result.coverage.seconds = secondsSince(started);
    std::vector<torch::Tensor> read;
    for (const auto &factor : probabilities)
        read.push_back(factor.argmax(1).contiguous());
    const auto iou = agreement.to(torch::kFloat64).contiguous();
    for (int64_t i = 0; i < images.size(0); ++i) {
        result.images.push_back(toImage(images[i].clamp(-1, 1)));
        SpriteFactors factors;
        for (int f = 0; f < SpriteFactorCount; ++f)
            factors.setIndex(SpriteFactor(f), int(read[std::size_t(f)].data_ptr<int64_t>()[i]));
        result.read.push_back(factors);
        result.renderAgreement.push_back(iou.data_ptr<double>()[i]);
    }
    return result;
}

std::vector<int> spriteReadTuples(const std::vector<SpriteFactors> &read)
{
    std::vector<int> tuples;
    tuples.reserve(read.size() * std::size_t(SpriteFactorCount));
    for (const SpriteFactors &factors : read)
        for (int f = 0; f < SpriteFactorCount; ++f)
            tuples.push_back(factors.index(SpriteFactor(f)));
    return tuples;
}

ImageU8 spriteRenderBackPairs(const SpriteSampleReadings &readings, int perShape)
{
    if (perShape < 1 || perShape > 64)
        throw std::invalid_argument("render-back pairs: 1 to 64 per shape, got " + std::to_string(perShape));
    std::vector<std::vector<int>> rows(SpriteShapeCount);
    for (std::size_t i = 0; i < readings.read.size(); ++i) {
        auto &row = rows[std::size_t(readings.read[i].shape)];
        if (row.size() < std::size_t(perShape))
            row.push_back(int(i));
    }
    return readingPairs(FactorWorld::of(WorldKind::Sprites), readings.coverage.resolution, readings.images,
        spriteReadTuples(readings.read), rows, perShape);
}

ImageU8 spriteRenderBackPairs(const std::string &generatorPath, int perShape, std::uint64_t seed, double truncation)
{
    if (perShape < 1 || perShape > 64) // before the samples are drawn
        throw std::invalid_argument("render-back pairs: 1 to 64 per shape, got " + std::to_string(perShape));
    SpriteCoverageOptions options;
    options.samples = RenderBackPairSamples;
    options.seed = seed;
    options.truncation = truncation;
    return spriteRenderBackPairs(readSpriteSamples(generatorPath, options), perShape);
}

} // namespace untangle
