#include "sprites/spritegeneratorevaluation.h"

#include "mathconstants.h"

#include "dataerror.h"
#include "factors/factorrescoring.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"
#include "sprites/spritefactormodel.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace untangle {

namespace {

constexpr double DistributionTolerance = 1e-3; // softmax rows in float sum to 1 within ~1e-6

int size(SpriteFactor factor)
{
    return SpriteFactorSizes[int(factor)];
}

const double *row(const SpritePredictionTable &table, SpriteFactor factor, int i)
{
    return table.probabilities[int(factor)].data() + std::size_t(i) * size(factor);
}

double expectedIndex(const double *p, int n)
{
    double e = 0.0;
    for (int c = 0; c < n; ++c)
        e += c * p[c];
    return e;
}

int argmax(const double *p, int n)
{
    int best = 0;
    for (int c = 1; c < n; ++c)
        if (p[c] > p[best])
            best = c;
    return best;
}

/** arg of the m-th circular moment of the orientation distribution: m times its circular mean angle. */
double circularMoment(const double *p, int m)
{
    double c = 0.0, s = 0.0;
    for (int k = 0; k < size(SpriteFactor::Orientation); ++k) {
        c += p[k] * std::cos(m * spriteOrientation(k));
        s += p[k] * std::sin(m * spriteOrientation(k));
    }
    return std::atan2(s, c);
}

double wrapAngle(double angle)
{
    return angle - 2.0 * Pi * std::round(angle / (2.0 * Pi));
}

SpritePredictionTable toTable(const std::vector<torch::Tensor> &probabilities)
{
    SpritePredictionTable table;
    table.count = int(probabilities.front().size(0));
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto p = probabilities[f].to(torch::kFloat64).contiguous();
        table.probabilities[f].assign(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
    }
    return table;
}

Matrix emptyMatrix(int rows)
{
    return Matrix {rows, SpriteFactorCount, std::vector<double>(std::size_t(rows) * SpriteFactorCount, 0.0)};
}

struct DirectionEffects {
    Matrix plus, minus, magnitude;
    std::vector<SpritePredictionTable> plusTables; // per direction, for the authors' statistic
};

/** Signed effects of +-epsilon sigma_k d_k for every row of directions (K x styleSize, unit rows). */
DirectionEffects effectsAlong(Generator &generator, const SpriteFactorClassifier &classifier,
    const torch::Tensor &styles, const SpritePredictionTable &base, const torch::Tensor &directions,
    const std::vector<double> &sigma, double epsilon, const ProgressFn &progress, double from, double to)
{
    const int k = int(directions.size(0));
    DirectionEffects result {emptyMatrix(k), emptyMatrix(k), emptyMatrix(k)};
    for (int d = 0; d < k; ++d) {
        reportProgress(progress, from + (to - from) * d / k,
            "shifting along direction " + std::to_string(d + 1) + " of " + std::to_string(k));
        for (int sign : {1, -1}) {
            const auto shifted = styles + double(sign) * epsilon * sigma[d] * directions[d].unsqueeze(0);
            auto table = toTable(classifier.predict(synthesiseInBatches(generator, shifted)));
            const auto effects = spriteFactorEffects(base, table);
            if (sign > 0)
                result.plusTables.push_back(std::move(table));
            auto &target = sign > 0 ? result.plus : result.minus;
            for (int f = 0; f < SpriteFactorCount; ++f)
                target.values[std::size_t(d) * SpriteFactorCount + f] = effects[f];
        }
        for (int f = 0; f < SpriteFactorCount; ++f) {
            const std::size_t i = std::size_t(d) * SpriteFactorCount + f;
            result.magnitude.values[i] = 0.5 * (std::abs(result.plus.values[i]) + std::abs(result.minus.values[i]));
        }
    }
    return result;
}

/** min(K, styleSize) orthonormal directions from the QR of a seeded Gaussian matrix (rows). */
torch::Tensor randomOrthonormalRows(int k, int styleSize, std::uint64_t seed)
{
    const auto gaussian = sampleLatents(styleSize, std::min(k, styleSize), seed).to(torch::kFloat64);
    const auto q = std::get<0>(torch::linalg::qr(gaussian)); // styleSize x k, orthonormal columns
    return q.t().to(torch::kFloat32).contiguous();
}

std::vector<double> measuredSigma(const torch::Tensor &styles, const torch::Tensor &directions)
{
    const auto s = styleStdAlong(styles, directions).to(torch::kFloat64).contiguous();
    return std::vector<double>(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
}

/** Per-image signed changes: the three shape probabilities, then scale, orientation, x and y (see
 *  spriteFactorEffects); every effect is a function of their means over images. */
constexpr int ShapeClassCount = SpriteFactorSizes[int(SpriteFactor::Shape)];
constexpr int ChangeCount = ShapeClassCount + SpriteFactorCount - 1;

int changeIndex(SpriteFactor factor)
{
    return ShapeClassCount + int(factor) - 1; // shape is factor 0 and has its own ShapeClassCount entries
}

void imageChanges(const SpritePredictionTable &base, const SpritePredictionTable &shifted, int i,
    std::array<double, ChangeCount> &out)
{
    // Shape: change of the distribution, turned into a total-variation distance between means afterwards.
    const double *b = row(base, SpriteFactor::Shape, i), *s = row(shifted, SpriteFactor::Shape, i);
    for (int c = 0; c < ShapeClassCount; ++c)
        out[c] = s[c] - b[c];
    // Ordinal factors: change of the expected index, as a fraction of the range.
    for (SpriteFactor f : {SpriteFactor::Scale, SpriteFactor::PositionX, SpriteFactor::PositionY})
        out[changeIndex(f)]
            = (expectedIndex(row(shifted, f, i), size(f)) - expectedIndex(row(base, f, i), size(f))) / (size(f) - 1);
    // Orientation: circular change under the base image's symmetry, as a fraction of half its period.
    const int m = spriteSymmetryOrder(argmax(b, ShapeClassCount));
    out[changeIndex(SpriteFactor::Orientation)]
        = wrapAngle(circularMoment(row(shifted, SpriteFactor::Orientation, i), m)
              - circularMoment(row(base, SpriteFactor::Orientation, i), m))
        / Pi;
}

std::array<double, SpriteFactorCount> effectsOfMeanChanges(const std::array<double, ChangeCount> &mean)
{
    std::array<double, SpriteFactorCount> effect {};
    for (int c = 0; c < ShapeClassCount; ++c)
        effect[int(SpriteFactor::Shape)] += 0.5 * std::abs(mean[c]);
    for (int f = 1; f < SpriteFactorCount; ++f)
        effect[f] = mean[changeIndex(SpriteFactor(f))];
    return effect;
}

void requireMatchingTables(const SpritePredictionTable &base, const SpritePredictionTable &shifted)
{
    base.validate("base predictions");
    shifted.validate("shifted predictions");
    if (base.count != shifted.count)
        throw std::invalid_argument("base and shifted predictions cover " + std::to_string(base.count) + " and "
            + std::to_string(shifted.count) + " images");
}

} // namespace

void SpritePredictionTable::validate(const std::string &what) const
{
    if (count < 1)
        throw std::invalid_argument(what + ": a prediction table needs at least one image");
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const int n = SpriteFactorSizes[f];
        if (probabilities[f].size() != std::size_t(count) * n)
            throw std::invalid_argument(what + ": the " + std::string(spriteFactorName(SpriteFactor(f))) + " table has "
                + std::to_string(probabilities[f].size()) + " values, expected " + std::to_string(count) + " x "
                + std::to_string(n));
        for (int i = 0; i < count; ++i) {
            double sum = 0.0;
            for (int c = 0; c < n; ++c) {
                const double p = probabilities[f][std::size_t(i) * n + c];
                if (!std::isfinite(p) || p < 0.0)
                    throw std::invalid_argument(what + ": a probability is negative or not finite");
                sum += p;
            }
            if (std::abs(sum - 1.0) > DistributionTolerance)
                throw std::invalid_argument(what + ": row " + std::to_string(i) + " of the "
                    + spriteFactorName(SpriteFactor(f)) + " table sums to " + std::to_string(sum));
        }
    }
}

std::array<double, SpriteFactorCount> spriteFactorEffects(
    const SpritePredictionTable &base, const SpritePredictionTable &shifted)
{
    requireMatchingTables(base, shifted);
    std::array<double, ChangeCount> mean {};
    std::array<double, ChangeCount> changes {};
    for (int i = 0; i < base.count; ++i) {
        imageChanges(base, shifted, i, changes);
        for (int c = 0; c < ChangeCount; ++c)
            mean[c] += changes[c] / base.count;
    }
    return effectsOfMeanChanges(mean);
}

MatchedRescoring matchedRescoring(const SpritePredictionTable &base,
    const std::vector<SpritePredictionTable> &plusShifted, const BootstrapOptions &bootstrap)
{
    if (plusShifted.empty())
        throw std::invalid_argument("the matched rescoring needs at least one direction");
    // Per direction, per image, the signed changes; every statistic is a function of their means over z.
    std::vector<std::vector<std::vector<double>>> changes;
    std::array<double, ChangeCount> one {};
    for (const auto &shifted : plusShifted) {
        requireMatchingTables(base, shifted);
        auto &perImage = changes.emplace_back();
        for (int i = 0; i < base.count; ++i) {
            imageChanges(base, shifted, i, one);
            perImage.emplace_back(one.begin(), one.end());
        }
    }
    return matchedRescoringFromChanges(
        changes, SpriteFactorCount,
        [](const std::vector<double> &mean) {
            std::array<double, ChangeCount> fixed {};
            std::copy(mean.begin(), mean.end(), fixed.begin());
            const auto effects = effectsOfMeanChanges(fixed);
            return std::vector<double>(effects.begin(), effects.end());
        },
        bootstrap);
}

RescoringSummary summariseRescoring(const Matrix &magnitude)
{
    const int f = magnitude.cols;
    if (magnitude.rows < 1 || f < 2 || magnitude.values.size() != std::size_t(magnitude.rows) * std::size_t(f))
        throw std::invalid_argument("a rescoring matrix is K x F with K >= 1 and F >= 2, got "
            + std::to_string(magnitude.rows) + " x " + std::to_string(magnitude.cols));
    RescoringSummary s;
    const int k = magnitude.rows;
    for (int d = 0; d < k; ++d) {
        int best = 0;
        double total = 0.0;
        for (int g = 0; g < f; ++g) {
            total += magnitude.at(d, g);
            if (magnitude.at(d, g) > magnitude.at(d, best))
                best = g;
        }
        s.dominantFactor.push_back(best);
        s.onTarget.push_back(magnitude.at(d, best));
        s.spillOver.push_back((total - magnitude.at(d, best)) / (f - 1));
        s.meanOnTarget += s.onTarget.back() / k;
        s.meanSpillOver += s.spillOver.back() / k;
    }
    s.matched = Matrix {f, f, std::vector<double>(std::size_t(f) * std::size_t(f), 0.0)};
    for (int g = 0; g < f; ++g) {
        int best = 0;
        for (int d = 1; d < k; ++d)
            if (magnitude.at(d, g) > magnitude.at(best, g))
                best = d;
        s.matchedDirection.push_back(best);
        for (int h = 0; h < f; ++h) {
            const double value = magnitude.at(best, h);
            s.matched.values[std::size_t(g * f + h)] = value;
            if (h == g)
                s.matchedDiagonal += value / f;
            else
                s.matchedOffDiagonal += value / (f * (f - 1));
        }
    }
    return s;
}

void SpriteRescoringOptions::validate() const
{
    if (!(epsilon > 0.0) || !std::isfinite(epsilon))
        throw std::invalid_argument("rescoring epsilon must be positive and finite");
    if (samples < 1)
        throw std::invalid_argument("rescoring needs at least one sample, got " + std::to_string(samples));
    if (bootstrapResamples < 2)
        throw std::invalid_argument(
            "rescoring needs at least 2 bootstrap resamples, got " + std::to_string(bootstrapResamples));
    if (!(truncation > 0.0) || truncation > 1.0)
        throw std::invalid_argument("rescoring truncation must be in (0, 1]");
}

SpriteRescoring rescoreSpriteDirections(
    Generator &generator, const DirectionSet &directions, const SpriteRescoringOptions &options)
{
    options.validate();
    requireSpriteGenerator(generator);
    const auto shape = generator.shape();
    try {
        directions.validate();
        directions.requireGenerator(
            shape.styleSize, shape.channels, shape.resolution, generator.description(), generator.fingerprint());
    } catch (const std::invalid_argument &problem) {
        throw DataError(std::string("cannot rescore these directions: ") + problem.what());
    } catch (const DataError &problem) { // requireGenerator's mismatch
        throw DataError(std::string("cannot rescore these directions: ") + problem.what());
    }
    const auto classifier = spriteFactorClassifier(shape.resolution, options.factorModelPath);
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;

    const auto z = sampleLatents(options.samples, shape.latentSize, options.seed);
    const auto styles = truncatedStylesAroundMean(generator, z, options.truncation);
    const auto base = toTable(classifier->predict(synthesiseInBatches(generator, styles)));

    const Matrix raw = directions.matrix();
    auto rows = torch::tensor(raw.values, torch::kFloat64).view({raw.rows, raw.cols});
    rows = (rows / rows.norm(2, 1, true)).to(torch::kFloat32); // unit vectors, whatever the file held
    const auto measured = measuredSigma(styles, rows);

    SpriteRescoring result;
    result.epsilon = options.epsilon;
    result.samples = options.samples;
    result.factorModel = classifier->info().path;
    for (int k = 0; k < directions.count(); ++k) {
        result.directionNames.push_back(directions.directions[k].name);
        const double given = directions.directions[k].sigma;
        result.sigma.push_back(given > 0.0 ? given : measured[k]);
    }
    // The directions' share of the progress; the random floor's is the rest.
    const double half = options.noiseFloor ? 0.5 : 1.0;
    auto effects = effectsAlong(
        generator, *classifier, styles, base, rows, result.sigma, options.epsilon, options.progress, 0, half);
    result.plus = effects.plus;
    result.minus = effects.minus;
    result.magnitude = effects.magnitude;
    result.summary = summariseRescoring(result.magnitude);
    BootstrapOptions bootstrap;
    bootstrap.resamples = options.bootstrapResamples;
    bootstrap.seed = options.seed;
    result.authors = matchedRescoring(base, effects.plusTables, bootstrap);

    if (options.noiseFloor) {
        const auto random = randomOrthonormalRows(directions.count(), shape.styleSize, options.floorSeed);
        const auto floorEffects = effectsAlong(generator, *classifier, styles, base, random,
            measuredSigma(styles, random), options.epsilon, options.progress, half, 1.0);
        result.floorMagnitude = floorEffects.magnitude;
        result.floor = summariseRescoring(result.floorMagnitude);
        result.authorsFloor = matchedRescoring(base, floorEffects.plusTables, bootstrap);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

SpriteRescoring rescoreSpriteDirections(
    const std::string &generatorPath, const DirectionSet &directions, const SpriteRescoringOptions &options)
{
    options.validate();
    auto generator = loadGenerator(generatorPath);
    return rescoreSpriteDirections(*generator, directions, options);
}

std::string SpriteRescoring::report() const
{
    std::string text;
    char line[300];
    std::snprintf(line, sizeof line,
        "rescoring: %d samples, epsilon %.2f sigma, %.1f s; cells |R| (+eps / -eps signed)\n%-16s", samples, epsilon,
        seconds, "direction");
    text += line;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        std::snprintf(line, sizeof line, " %17s", spriteFactorName(SpriteFactor(f)));
        text += line;
    }
    text += "   dominant     spill\n";
    for (int k = 0; k < magnitude.rows; ++k) {
        std::snprintf(line, sizeof line, "%-16.16s", directionNames[k].c_str());
        text += line;
        for (int f = 0; f < SpriteFactorCount; ++f) {
            // |R| with the signed +eps / -eps effects (docs/methods/sre.md, pitfall 15: the sign is kept).
            std::snprintf(line, sizeof line, " %4.2f (%+.2f/%+.2f)", magnitude.at(k, f), plus.at(k, f), minus.at(k, f));
            text += line;
        }
        std::snprintf(line, sizeof line, "   %-11s %5.3f\n", spriteFactorName(SpriteFactor(summary.dominantFactor[k])),
            summary.spillOver[k]);
        text += line;
    }
    std::snprintf(line, sizeof line,
        "mean on-target %.3f, mean spill-over %.3f; matched %dx%d: diagonal %.3f, off-diagonal %.3f",
        summary.meanOnTarget, summary.meanSpillOver, SpriteFactorCount, SpriteFactorCount, summary.matchedDiagonal,
        summary.matchedOffDiagonal);
    text += line;
    if (floorMagnitude.rows > 0) {
        std::snprintf(line, sizeof line,
            "\nnoise floor (%d random orthonormal directions): on-target %.3f, spill-over %.3f; matched "
            "diagonal %.3f, off-diagonal %.3f",
            floorMagnitude.rows, floor.meanOnTarget, floor.meanSpillOver, floor.matchedDiagonal,
            floor.matchedOffDiagonal);
        text += line;
    }
    if (authors.cells.rows > 0) {
        std::snprintf(line, sizeof line,
            "\nauthors' statistic (+eps, |mean change|, matched %dx%d, 95%% bootstrap over z): diagonal %s, "
            "off-diagonal %s",
            SpriteFactorCount, SpriteFactorCount, authors.diagonal.format().c_str(),
            authors.offDiagonal.format().c_str());
        text += line;
    }
    if (authorsFloor.cells.rows > 0) {
        std::snprintf(line, sizeof line, "\nauthors' statistic, noise floor: diagonal %s, off-diagonal %s",
            authorsFloor.diagonal.format().c_str(), authorsFloor.offDiagonal.format().c_str());
        text += line;
    }
    return text;
}

} // namespace untangle
