#include "factors/oraclerescoring.h"

#include "factors/factorreadernet.h"
#include "factors/worldimages.h"
#include "seededrandom.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace untangle {
namespace {
constexpr double OraclePassRatio = 10.0;
constexpr double OracleReadFraction
    = 0.5; // each edited factor read at least half as strongly as a perfect reader would
} // namespace

bool OracleRescoring::passes() const
{
    // Both: the diagonal stands far above the off-diagonal, and every factor is read (a reader trained for two steps
    // passed the ratio alone on one hue, reading nothing of the other five factors).
    for (std::size_t f = 0; f < expectedDiagonal.size(); ++f)
        if (authors.cells.at(int(f), int(f)) < OracleReadFraction * expectedDiagonal[f])
            return false;
    return authors.diagonal.mean >= OraclePassRatio * authors.offDiagonal.mean;
}

OracleRescoring oracleRescoring(
    const FactorWorld &world, int resolution, int samples, std::uint64_t seed, const std::string &readerPath)
{
    if (samples < 2)
        throw std::invalid_argument("the renderer check needs at least 2 samples");
    const auto started = std::chrono::steady_clock::now();
    const auto reader = factorReader(world, resolution, readerPath);
    const int f = world.factorCount();
    // Base tuples from which every edit is one valid step: ordinal factors below their top class, categorical ones
    // away from class 0 (the edit moves every image to class 0, which shifts the class proportions; a permutation
    // would read 0 by the categorical effect's definition).
    SeededRandom random(seed);
    std::vector<int> base;
    for (int i = 0; i < samples; ++i)
        for (const auto &factor : world.factors)
            base.push_back(factor.kind == FactorKind::Ordinal ? random.below(factor.size - 1)
                    : factor.kind == FactorKind::Categorical  ? 1 + random.below(factor.size - 1)
                                                              : random.below(factor.size));
    const auto baseTable = predictionsOf(reader->predict(renderWorldImages(world, base, resolution)));
    std::vector<FactorPredictions> edited;
    OracleRescoring result;
    for (int e = 0; e < f; ++e) {
        const auto &factor = world.factors[std::size_t(e)];
        auto tuples = base;
        for (int i = 0; i < samples; ++i) {
            int &value = tuples[std::size_t(i * f + e)];
            value = factor.kind == FactorKind::Categorical ? 0 : (value + 1) % factor.size;
        }
        edited.push_back(predictionsOf(reader->predict(renderWorldImages(world, tuples, resolution))));
        result.expectedDiagonal.push_back(factor.kind == FactorKind::Categorical ? 1.0
                : factor.kind == FactorKind::Circular                            ? 2.0 / factor.size
                                                                                 : 1.0 / (factor.size - 1));
    }
    BootstrapOptions bootstrap;
    bootstrap.seed = seed;
    // Each factor matched with its own edit (not the edit that moves it most): the check must not pick its rows.
    std::vector<int> identity(static_cast<std::size_t>(f));
    for (int e = 0; e < f; ++e)
        identity[std::size_t(e)] = e;
    result.authors = matchedFactorRescoring(world, baseTable, edited, bootstrap, identity);
    result.world = world.key;
    result.resolution = resolution;
    result.factorNames = world.names();
    result.samples = samples;
    result.reader = reader->info().path;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::string OracleRescoring::report() const
{
    std::string text;
    char line[240];
    std::snprintf(line, sizeof line,
        "renderer check on %s (%d px, %d samples, reader %s): |mean change| of each factor (columns) under a one-class "
        "renderer edit of one factor (rows)\n%-14s",
        world.c_str(), resolution, samples, reader.c_str(), "edit");
    text += line;
    for (const auto &name : factorNames) {
        std::snprintf(line, sizeof line, " %11.11s", name.c_str());
        text += line;
    }
    text += "   expected\n";
    const int f = int(factorNames.size());
    for (int e = 0; e < f; ++e) {
        std::snprintf(line, sizeof line, "%-14.14s", factorNames[std::size_t(e)].c_str());
        text += line;
        for (int g = 0; g < f; ++g) {
            std::snprintf(line, sizeof line, " %11.3f", authors.cells.at(e, g));
            text += line;
        }
        std::snprintf(line, sizeof line, "   %8.3f\n", expectedDiagonal[std::size_t(e)]);
        text += line;
    }
    const double ratio = authors.diagonal.mean / std::max(1e-12, authors.offDiagonal.mean);
    std::snprintf(line, sizeof line,
        "diagonal %s, off-diagonal %s: ratio %.1f (%s: needs >= %.0f, and each diagonal cell >= %.0f%% of expected)",
        authors.diagonal.format().c_str(), authors.offDiagonal.format().c_str(), ratio, passes() ? "PASS" : "FAIL",
        OraclePassRatio, 100.0 * OracleReadFraction);
    return text + line;
}

} // namespace untangle
