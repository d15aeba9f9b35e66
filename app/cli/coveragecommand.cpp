#include "coveragecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "explore/latentrenderer.h"
#include "factors/worldcoverage.h"
#include "sprites/spritecoverage.h"
#include "sprites/spritefactormodel.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <thread>

namespace untangle::cli {

namespace {

QJsonObject coverageJson(const QString &file, const SpriteCoverage &coverage)
{
    QJsonArray factors;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        QJsonArray histogram;
        for (int count : coverage.factors[std::size_t(f)].histogram)
            histogram.append(count);
        factors.append(QJsonObject {{"factor", spriteFactorName(SpriteFactor(f))},
            {"coverage", coverage.factors[std::size_t(f)].coverage},
            {"entropy", coverage.factors[std::size_t(f)].entropy}, {"histogram", histogram}});
    }
    return {{"generator", file}, {"score", coverage.score}, {"meanCoverage", coverage.meanCoverage},
        {"meanEntropy", coverage.meanEntropy}, {"realism", coverage.realism}, {"sharpness", coverage.sharpness.ratio},
        {"factors", factors}};
}

QJsonObject worldCoverageJson(const QString &file, const WorldCoverage &coverage)
{
    QJsonArray factors;
    for (const auto &factor : coverage.factors) {
        QJsonArray histogram;
        for (double share : factor.histogram)
            histogram.append(share);
        factors.append(QJsonObject {{"factor", QString::fromStdString(factor.name)}, {"coverage", factor.coverage},
            {"entropy", factor.entropy}, {"confidence", factor.confidence}, {"realConfidence", factor.realConfidence},
            {"histogram", histogram}});
    }
    return {{"generator", file}, {"world", QString::fromStdString(coverage.world)},
        {"meanCoverage", coverage.meanCoverage}, {"meanEntropy", coverage.meanEntropy}, {"realism", coverage.realism},
        {"sharpness", coverage.sharpness.ratio}, {"truncation", coverage.truncation}, {"factors", factors}};
}

/**
 * Makes sure the Sprites factor model for this resolution is loaded, saying so on stderr when neither the cached nor
 * the shipped one can be read: the replacement then trains for a minute or two, with its progress shown, instead of
 * the command sitting silent.
 */
void ensureSpriteModelSaying(int resolution)
{
    if (resolution != 32 && resolution != 64)
        return; // measureSpriteCoverage refuses the generator, naming it
    const SpriteFactorModelLookup lookup = lookUpSpriteFactorModel(resolution);
    if (!lookup.path.empty())
        return;
    QStringList problems;
    for (const std::string &problem : lookup.problems)
        problems << QString::fromStdString(problem);
    std::fprintf(stderr,
        "untangle-cli: the Sprites factor model for %d px cannot be read (%s); training a replacement (%d steps, a "
        "minute or two) and caching it as %s\n",
        resolution, qPrintable(problems.join("; ")), SpriteFactorTrainingSteps,
        spriteFactorCachePath(resolution).c_str());
    const SpriteFactorModelInfo info = ensureSpriteFactorModel(resolution, stderrProgress());
    std::fprintf(stderr, "\nuntangle-cli: trained the Sprites factor model %s in %.0f s\n", info.path.c_str(),
        info.trainSeconds);
}

} // namespace

int runCoverageCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Factor coverage of a Sprites or Scenes generator: a factor reader trained on the renderer's ground truth "
        "reads "
        "every factor of its samples (Sprites: shape, scale, orientation, position; Scenes: floor, wall and object "
        "hue, scale, shape, orientation), with its confidence next to its confidence on real renders. With a GAN run "
        "folder and --snapshots, every checkpoint is scored.");
    parser.addHelpOption();
    parser.addOption({"generator", "Generator file or GAN run folder.", "path"});
    parser.addOption({"snapshots", "Score every snapshots/iter-N.pt of the run folder."});
    parser.addOption({"samples", "Samples, 1 to " + QString::number(MaxCoverageSamples) + ".", "N",
        QString::number(SpriteCoverageSamples)});
    parser.addOption({"seed", "Seed of the samples.", "S", "1"});
    parser.addOption({"truncation", "psi (1 = none).", "psi", "1.0"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("generator"))
        return fail(UsageError, "--generator PATH is required");
    const QString generator = QFileInfo(parser.value("generator")).absoluteFilePath();
    QStringList files {generator};
    if (parser.isSet("snapshots")) {
        const QDir snapshots(generator + "/snapshots");
        files.clear();
        for (const QString &name : snapshots.entryList({"iter-*.pt"}, QDir::Files, QDir::Name))
            files << snapshots.filePath(name);
        if (files.isEmpty())
            return fail(BadInput, generator + " has no snapshots/iter-N.pt");
    }
    int samples = 0;
    std::uint64_t seed = 0;
    double truncation = 1.0; // its range, (0, 1], is the model's to check (truncatedStylesAroundMean)
    SettingOptions options(parser);
    options.number("samples", samples);
    options.number("seed", seed);
    options.number("truncation", truncation);
    if (!options.ok())
        return options.failure();
    configureComputeThread(threadsOption(parser));
    return runReportingErrors([&]() -> int {
        requireCoverageSamples(samples); // before any generator is read or model trained
        QJsonArray results;
        for (const QString &file : files) {
            const GeneratorInfo shape = LatentRenderer(file.toStdString()).info();
            if (shape.channels == 3) {
                const auto coverage = measureWorldCoverage(file.toStdString(), samples, seed, truncation);
                results.append(worldCoverageJson(file, coverage));
                if (!parser.isSet("json"))
                    std::printf("%s\n%s\n\n", qPrintable(file), coverage.report().c_str());
                continue;
            }
            ensureSpriteModelSaying(shape.resolution);
            const auto coverage = measureSpriteCoverage(file.toStdString(), samples, seed, truncation);
            results.append(coverageJson(file, coverage));
            if (!parser.isSet("json"))
                std::printf("%s\n%s\n\n", qPrintable(file), coverage.summary().c_str());
        }
        if (parser.isSet("json"))
            std::printf("%s\n",
                QJsonDocument(files.size() == 1 ? QJsonDocument(results[0].toObject()) : QJsonDocument(results))
                    .toJson(QJsonDocument::Compact)
                    .constData());
        return Success;
    });
}

} // namespace untangle::cli
