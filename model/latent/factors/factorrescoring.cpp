#include "factors/factorrescoring.h"

#include "dataerror.h"
#include "factors/factorreadernet.h"
#include "factors/worldimages.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"
#include "mathconstants.h"
#include "seededrandom.h"
#include "sprites/spritegeneratorevaluation.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace untangle {

namespace {

constexpr double PredictionSumTolerance = 1e-3;

/** Where factor f's changes start in an image's change vector: categorical factors take one entry per class. */
std::vector<int> changeOffsets(const FactorWorld &world, int &total)
{
    std::vector<int> offsets;
    total = 0;
    for (const auto &factor : world.factors) {
        offsets.push_back(total);
        total += factor.kind == FactorKind::Categorical ? factor.size : 1;
    }
    return offsets;
}

double circularMeanAngle(const double *p, int n)
{
    double c = 0.0, s = 0.0;
    for (int k = 0; k < n; ++k) {
        c += p[k] * std::cos(2.0 * Pi * k / n);
        s += p[k] * std::sin(2.0 * Pi * k / n);
    }
    return std::atan2(s, c);
}

void factorImageChanges(const FactorWorld &world, const std::vector<int> &offsets, const FactorPredictions &base,
    const FactorPredictions &shifted, int i, double *out)
{
    for (int f = 0; f < world.factorCount(); ++f) {
        const auto &factor = world.factors[std::size_t(f)];
        const int n = factor.size;
        const double *b = base.probabilities[std::size_t(f)].data() + std::size_t(i) * n;
        const double *s = shifted.probabilities[std::size_t(f)].data() + std::size_t(i) * n;
        double *o = out + offsets[std::size_t(f)];
        if (factor.kind == FactorKind::Categorical) {
            for (int c = 0; c < n; ++c)
                o[c] = s[c] - b[c];
        } else if (factor.kind == FactorKind::Circular) {
            const double d = circularMeanAngle(s, n) - circularMeanAngle(b, n);
            o[0] = (d - 2.0 * Pi * std::round(d / (2.0 * Pi))) / Pi;
        } else {
            double eb = 0.0, es = 0.0;
            for (int c = 0; c < n; ++c) {
                eb += c * b[c];
                es += c * s[c];
            }
            o[0] = (es - eb) / (n - 1);
        }
    }
}

std::vector<double> factorEffectsOfMean(
    const FactorWorld &world, const std::vector<int> &offsets, const std::vector<double> &mean)
{
    std::vector<double> effects(std::size_t(world.factorCount()), 0.0);
    for (int f = 0; f < world.factorCount(); ++f) {
        const auto &factor = world.factors[std::size_t(f)];
        const int at = offsets[std::size_t(f)];
        if (factor.kind == FactorKind::Categorical)
            for (int c = 0; c < factor.size; ++c)
                effects[std::size_t(f)] += 0.5 * std::abs(mean[std::size_t(at + c)]);
        else
            effects[std::size_t(f)] = mean[std::size_t(at)];
    }
    return effects;
}

void requirePairedPredictions(const FactorWorld &world, const FactorPredictions &base, const FactorPredictions &shifted)
{
    base.validate(world, "base predictions");
    shifted.validate(world, "shifted predictions");
    if (base.count != shifted.count)
        throw std::invalid_argument("base and shifted predictions cover " + std::to_string(base.count) + " and "
            + std::to_string(shifted.count) + " images");
}

/** Per image change vectors of shifted against base (n x changeCount). */
std::vector<std::vector<double>> perImageChanges(
    const FactorWorld &world, const FactorPredictions &base, const FactorPredictions &shifted)
{
    requirePairedPredictions(world, base, shifted);
    int total = 0;
    const auto offsets = changeOffsets(world, total);
    std::vector<std::vector<double>> changes(std::size_t(base.count), std::vector<double>(std::size_t(total)));
    for (int i = 0; i < base.count; ++i)
        factorImageChanges(world, offsets, base, shifted, i, changes[std::size_t(i)].data());
    return changes;
}

Matrix zeroMatrix(int rows, int cols)
{
    return Matrix {rows, cols, std::vector<double>(std::size_t(rows) * std::size_t(cols), 0.0)};
}

struct ShiftEffects {
    Matrix plus, minus, magnitude;
    std::vector<FactorPredictions> plusTables;
};

ShiftEffects shiftEffects(Generator &generator, const FactorReader &reader, const torch::Tensor &styles,
    const FactorPredictions &base, const torch::Tensor &directions, const std::vector<double> &sigma, double epsilon,
    const ProgressFn &progress, double from, double to)
{
    const auto &world = reader.world();
    const int k = int(directions.size(0)), f = world.factorCount();
    ShiftEffects result {zeroMatrix(k, f), zeroMatrix(k, f), zeroMatrix(k, f), {}};
    for (int d = 0; d < k; ++d) {
        reportProgress(progress, from + (to - from) * d / k,
            "shifting along direction " + std::to_string(d + 1) + " of " + std::to_string(k));
        for (int sign : {1, -1}) {
            const auto shifted = styles + double(sign) * epsilon * sigma[std::size_t(d)] * directions[d].unsqueeze(0);
            auto table = predictionsOf(reader.predict(synthesiseInBatches(generator, shifted)));
            const auto effects = factorEffects(world, base, table);
            auto &target = sign > 0 ? result.plus : result.minus;
            for (int g = 0; g < f; ++g)
                target.values[std::size_t(d * f + g)] = effects[std::size_t(g)];
            if (sign > 0)
                result.plusTables.push_back(std::move(table));
        }
        for (int g = 0; g < f; ++g) {
            const std::size_t i = std::size_t(d * f + g);
            result.magnitude.values[i] = 0.5 * (std::abs(result.plus.values[i]) + std::abs(result.minus.values[i]));
        }
    }
    return result;
}

std::vector<double> stdAlong(const torch::Tensor &styles, const torch::Tensor &directions)
{
    const auto s = styleStdAlong(styles, directions).to(torch::kFloat64).contiguous();
    return std::vector<double>(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
}

torch::Tensor orthonormalRows(int k, int styleSize, std::uint64_t seed)
{
    const auto gaussian = sampleLatents(styleSize, std::min(k, styleSize), seed).to(torch::kFloat64);
    return std::get<0>(torch::linalg::qr(gaussian)).t().to(torch::kFloat32).contiguous();
}

FactorRescoring fromSprites(const SpriteRescoring &r)
{
    FactorRescoring out;
    const auto &world = FactorWorld::of(WorldKind::Sprites);
    out.world = world.key;
    out.factorNames = world.names();
    out.directionNames = r.directionNames;
    out.sigma = r.sigma;
    out.plus = r.plus;
    out.minus = r.minus;
    out.magnitude = r.magnitude;
    out.summary = r.summary;
    out.floorMagnitude = r.floorMagnitude;
    out.floor = r.floor;
    out.authors = r.authors;
    out.authorsFloor = r.authorsFloor;
    out.epsilon = r.epsilon;
    out.samples = r.samples;
    out.seconds = r.seconds;
    out.reader = r.factorModel;
    return out;
}

FactorRescoring rescoreOnReader(
    Generator &generator, const DirectionSet &directions, const FactorRescoringOptions &options)
{
    const auto shape = generator.shape();
    const auto &world = *FactorWorld::forImages(shape.channels, shape.resolution);
    const auto reader = factorReader(world, shape.resolution, options.readerPath);
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    const auto z = sampleLatents(options.samples, shape.latentSize, options.seed);
    const auto styles = truncatedStylesAroundMean(generator, z, options.truncation);
    const auto base = predictionsOf(reader->predict(synthesiseInBatches(generator, styles)));
    const Matrix raw = directions.matrix();
    auto rows = torch::tensor(raw.values, torch::kFloat64).view({raw.rows, raw.cols});
    rows = (rows / rows.norm(2, 1, true)).to(torch::kFloat32);
    const auto measured = stdAlong(styles, rows);

    FactorRescoring result;
    result.world = world.key;
    result.factorNames = world.names();
    result.epsilon = options.epsilon;
    result.samples = options.samples;
    result.reader = reader->info().path;
    for (int k = 0; k < directions.count(); ++k) {
        result.directionNames.push_back(directions.directions[std::size_t(k)].name);
        const double given = directions.directions[std::size_t(k)].sigma;
        result.sigma.push_back(given > 0.0 ? given : measured[std::size_t(k)]);
    }
    // The directions' share of the progress; the random floor's is the rest.
    const double half = options.noiseFloor ? 0.5 : 1.0;
    auto effects = shiftEffects(
        generator, *reader, styles, base, rows, result.sigma, options.epsilon, options.progress, 0, half);
    result.plus = effects.plus;
    result.minus = effects.minus;
    result.magnitude = effects.magnitude;
    result.summary = summariseRescoring(result.magnitude);
    BootstrapOptions bootstrap;
    bootstrap.resamples = options.bootstrapResamples;
    bootstrap.seed = options.seed;
    result.authors = matchedFactorRescoring(world, base, effects.plusTables, bootstrap);
    if (options.noiseFloor) {
        const auto random = orthonormalRows(directions.count(), shape.styleSize, options.floorSeed);
        auto floorEffects = shiftEffects(generator, *reader, styles, base, random, stdAlong(styles, random),
            options.epsilon, options.progress, half, 1.0);
        result.floorMagnitude = floorEffects.magnitude;
        result.floor = summariseRescoring(result.floorMagnitude);
        result.authorsFloor = matchedFactorRescoring(world, base, floorEffects.plusTables, bootstrap);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace

FactorPredictions predictionsOf(const std::vector<torch::Tensor> &probabilities)
{
    FactorPredictions table;
    table.count = int(probabilities.front().size(0));
    for (const auto &p : probabilities) {
        const auto values = p.to(torch::kFloat64).contiguous();
        table.probabilities.emplace_back(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
    }
    return table;
}

void FactorPredictions::validate(const FactorWorld &world, const std::string &what) const
{
    if (count < 1)
        throw std::invalid_argument(what + ": a prediction table needs at least one image");
    if (int(probabilities.size()) != world.factorCount())
        throw std::invalid_argument(what + ": " + std::to_string(probabilities.size()) + " factor tables, the "
            + world.title + " world has " + std::to_string(world.factorCount()));
    for (int f = 0; f < world.factorCount(); ++f) {
        const int n = world.factors[std::size_t(f)].size;
        const auto &table = probabilities[std::size_t(f)];
        if (table.size() != std::size_t(count) * std::size_t(n))
            throw std::invalid_argument(what + ": the " + world.factors[std::size_t(f)].name + " table has "
                + std::to_string(table.size()) + " values, expected " + std::to_string(count) + " x "
                + std::to_string(n));
        for (int i = 0; i < count; ++i) {
            double sum = 0.0;
            for (int c = 0; c < n; ++c) {
                const double p = table[std::size_t(i) * std::size_t(n) + std::size_t(c)];
                if (!std::isfinite(p) || p < 0.0)
                    throw std::invalid_argument(what + ": a probability is negative or not finite");
                sum += p;
            }
            if (std::abs(sum - 1.0) > PredictionSumTolerance)
                throw std::invalid_argument(what + ": row " + std::to_string(i) + " of the "
                    + world.factors[std::size_t(f)].name + " table sums to " + std::to_string(sum));
        }
    }
}

std::vector<double> factorEffects(
    const FactorWorld &world, const FactorPredictions &base, const FactorPredictions &shifted)
{
    const auto changes = perImageChanges(world, base, shifted);
    int total = 0;
    const auto offsets = changeOffsets(world, total);
    std::vector<double> mean(std::size_t(total), 0.0);
    for (const auto &image : changes)
        for (int c = 0; c < total; ++c)
            mean[std::size_t(c)] += image[std::size_t(c)] / double(changes.size());
    return factorEffectsOfMean(world, offsets, mean);
}

MatchedRescoring matchedRescoringFromChanges(const std::vector<std::vector<std::vector<double>>> &changes,
    int factorCount, const EffectsOfMeanChanges &effectsOfMean, const BootstrapOptions &bootstrap,
    const std::vector<int> &matching)
{
    bootstrap.validate();
    if (!matching.empty() && int(matching.size()) != factorCount)
        throw std::invalid_argument("a fixed matching names one direction per factor");
    if (changes.empty())
        throw std::invalid_argument("the matched rescoring needs at least one direction");
    const int k = int(changes.size()), f = factorCount;
    const int n = int(changes.front().size());
    const std::size_t width = n > 0 ? changes.front().front().size() : 0;
    const auto meanOver = [&](const std::vector<std::vector<double>> &perImage, const std::vector<int> *indices) {
        std::vector<double> mean(width, 0.0);
        const int count = indices ? int(indices->size()) : n;
        for (int j = 0; j < count; ++j) {
            const auto &image = perImage[std::size_t(indices ? (*indices)[std::size_t(j)] : j)];
            for (std::size_t c = 0; c < width; ++c)
                mean[c] += image[c] / double(count);
        }
        return mean;
    };
    MatchedRescoring result;
    result.cells = zeroMatrix(k, f);
    for (int d = 0; d < k; ++d) {
        if (int(changes[std::size_t(d)].size()) != n)
            throw std::invalid_argument("every direction's changes must cover the same images");
        const auto effects = effectsOfMean(meanOver(changes[std::size_t(d)], nullptr));
        for (int g = 0; g < f; ++g)
            result.cells.values[std::size_t(d * f + g)] = std::abs(effects[std::size_t(g)]);
    }
    result.matched = zeroMatrix(f, f);
    for (int g = 0; g < f; ++g) {
        int best = 0;
        for (int d = 1; d < k; ++d)
            if (result.cells.at(d, g) > result.cells.at(best, g))
                best = d;
        if (!matching.empty()) {
            best = matching[std::size_t(g)];
            if (best < 0 || best >= k)
                throw std::invalid_argument("a fixed matching names a direction out of range");
        }
        result.matchedDirection.push_back(best);
        for (int h = 0; h < f; ++h)
            result.matched.values[std::size_t(g * f + h)] = result.cells.at(best, h);
    }
    // The statistic on a resample of the latents, matching included: each factor's direction is chosen again on the
    // resample (unless the caller fixed it), so the interval carries the choice's own uncertainty instead of holding
    // the full sample's choice fixed, which made it too narrow and let 128- and 512-latent verdicts disagree.
    const auto matchedMean = [&](const std::vector<int> &indices, bool diagonal) {
        std::vector<std::vector<double>> effects(static_cast<std::size_t>(k));
        for (int d = 0; d < k; ++d)
            effects[std::size_t(d)] = effectsOfMean(meanOver(changes[std::size_t(d)], &indices));
        double total = 0.0;
        for (int g = 0; g < f; ++g) {
            int best = matching.empty() ? 0 : matching[std::size_t(g)];
            if (matching.empty())
                for (int d = 1; d < k; ++d)
                    if (std::abs(effects[std::size_t(d)][std::size_t(g)])
                        > std::abs(effects[std::size_t(best)][std::size_t(g)]))
                        best = d;
            for (int h = 0; h < f; ++h)
                if ((h == g) == diagonal)
                    total += std::abs(effects[std::size_t(best)][std::size_t(h)]);
        }
        return total / (diagonal ? f : std::max(1, f * (f - 1)));
    };
    result.diagonal = bootstrapInterval(
        n, [&](const std::vector<int> &indices) { return matchedMean(indices, true); }, bootstrap);
    result.offDiagonal = bootstrapInterval(
        n, [&](const std::vector<int> &indices) { return matchedMean(indices, false); }, bootstrap);
    return result;
}

MatchedRescoring matchedFactorRescoring(const FactorWorld &world, const FactorPredictions &base,
    const std::vector<FactorPredictions> &plusShifted, const BootstrapOptions &bootstrap,
    const std::vector<int> &matching)
{
    if (plusShifted.empty())
        throw std::invalid_argument("the matched rescoring needs at least one direction");
    std::vector<std::vector<std::vector<double>>> changes;
    for (const auto &shifted : plusShifted)
        changes.push_back(perImageChanges(world, base, shifted));
    int total = 0;
    const auto offsets = changeOffsets(world, total);
    return matchedRescoringFromChanges(
        changes, world.factorCount(),
        [&](const std::vector<double> &mean) { return factorEffectsOfMean(world, offsets, mean); }, bootstrap,
        matching);
}

void FactorRescoringOptions::validate() const
{
    SpriteRescoringOptions same;
    same.epsilon = epsilon;
    same.samples = samples;
    same.truncation = truncation;
    same.bootstrapResamples = bootstrapResamples;
    same.validate();
}

FactorRescoring rescoreDirections(
    const std::string &generatorPath, const DirectionSet &directions, const FactorRescoringOptions &options)
{
    options.validate();
    auto generator = loadGenerator(generatorPath);
    const auto shape = generator->shape();
    const FactorWorld *world = FactorWorld::forImages(shape.channels, shape.resolution);
    if (!world)
        throw DataError("no factor world draws " + std::to_string(shape.channels) + "-channel images at "
            + std::to_string(shape.resolution)
            + " pixels: rescoring needs a Sprites (1 channel, 32 or 64 px) or "
              "Scenes (3 channels) generator");
    try {
        directions.validate();
        directions.requireGenerator(
            shape.styleSize, shape.channels, shape.resolution, generator->description(), generator->fingerprint());
    } catch (const std::exception &problem) {
        throw DataError(std::string("cannot rescore these directions: ") + problem.what());
    }
    if (world->kind == WorldKind::Sprites) {
        SpriteRescoringOptions sprites;
        sprites.epsilon = options.epsilon;
        sprites.samples = options.samples;
        sprites.seed = options.seed;
        sprites.truncation = options.truncation;
        sprites.noiseFloor = options.noiseFloor;
        sprites.floorSeed = options.floorSeed;
        sprites.factorModelPath = options.readerPath;
        sprites.bootstrapResamples = options.bootstrapResamples;
        sprites.progress = options.progress;
        return fromSprites(rescoreSpriteDirections(*generator, directions, sprites));
    }
    return rescoreOnReader(*generator, directions, options);
}

std::string FactorRescoring::report() const
{
    std::string text;
    char line[300];
    std::snprintf(line, sizeof line,
        "rescoring on %s: %d samples, epsilon %.2f sigma, %.1f s; cells |R| (+eps / -eps signed)\n%-16s", world.c_str(),
        samples, epsilon, seconds, "direction");
    text += line;
    for (const auto &name : factorNames) {
        std::snprintf(line, sizeof line, " %17.17s", name.c_str());
        text += line;
    }
    text += "   dominant     spill\n";
    const int f = int(factorNames.size());
    for (int k = 0; k < magnitude.rows; ++k) {
        std::snprintf(line, sizeof line, "%-16.16s", directionNames[std::size_t(k)].c_str());
        text += line;
        for (int g = 0; g < f; ++g) {
            std::snprintf(line, sizeof line, " %4.2f (%+.2f/%+.2f)", magnitude.at(k, g), plus.at(k, g), minus.at(k, g));
            text += line;
        }
        std::snprintf(line, sizeof line, "   %-11s %5.3f\n",
            factorNames[std::size_t(summary.dominantFactor[std::size_t(k)])].c_str(),
            summary.spillOver[std::size_t(k)]);
        text += line;
    }
    std::snprintf(line, sizeof line,
        "mean on-target %.3f, mean spill-over %.3f; authors' statistic (+eps, matched %dx%d, 95%% bootstrap over z): "
        "diagonal %s, off-diagonal %s",
        summary.meanOnTarget, summary.meanSpillOver, f, f, authors.diagonal.format().c_str(),
        authors.offDiagonal.format().c_str());
    text += line;
    if (floorMagnitude.rows > 0) {
        std::snprintf(line, sizeof line,
            "\nnoise floor (%d random orthonormal directions): on-target %.3f, spill-over %.3f; authors' diagonal %s, "
            "off-diagonal %s",
            floorMagnitude.rows, floor.meanOnTarget, floor.meanSpillOver, authorsFloor.diagonal.format().c_str(),
            authorsFloor.offDiagonal.format().c_str());
        text += line;
    }
    return text;
}

} // namespace untangle
