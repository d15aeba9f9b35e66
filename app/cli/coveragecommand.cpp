#include "coveragecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "dataerror.h"
#include "explore/latentrenderer.h"
#include "explore/traversalgrid.h"
#include "factors/factorreader.h"
#include "factors/factorworld.h"
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
#include <functional>
#include <thread>
#include <utility>

namespace untangle::cli {

namespace {

constexpr int RenderBackPairsPerShape = 8; // one row per shape, as wide as the fixed-z grid

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
    QJsonArray shapeByScale; // per shape read (square, ellipse, heart), its samples at each scale, smallest first
    for (const auto &counts : coverage.shapeByScale) {
        QJsonArray row;
        for (int count : counts)
            row.append(count);
        shapeByScale.append(row);
    }
    return {{"generator", file}, {"score", coverage.score}, {"meanCoverage", coverage.meanCoverage},
        {"shapeByScale", shapeByScale}, {"meanEntropy", coverage.meanEntropy}, {"realism", coverage.realism},
        {"sharpness", coverage.sharpness.ratio}, {"factors", factors}};
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
        {"sharpness", coverage.sharpness.ratio}, {"oneView", coverage.oneView},
        {"mirrorBlendOneView", coverage.mirrorBlendOneView}, {"truncation", coverage.truncation}, {"factors", factors}};
}

/**
 * When neither the cached nor the shipped model can be read (`problems` says why), says so on stderr, then runs
 * `train` (which returns the trained file and its seconds) with its progress shown: the replacement takes minutes,
 * and the command must not sit silent meanwhile. Nothing is said when a file loaded.
 */
void trainSaying(const QString &what, const std::string &loadedPath, const std::vector<std::string> &problems,
    int steps, const std::string &cachePath,
    const std::function<std::pair<std::string, double>(const ProgressFn &)> &train)
{
    if (!loadedPath.empty())
        return;
    QStringList reasons;
    for (const std::string &problem : problems)
        reasons << QString::fromStdString(problem);
    if (reasons.isEmpty())
        reasons << "neither a cached nor a shipped file is there";
    std::fprintf(stderr,
        "untangle-cli: the %s cannot be read (%s); training a replacement (%d steps, minutes) and caching it as %s\n",
        qPrintable(what), qPrintable(reasons.join("; ")), steps, cachePath.c_str());
    const auto [path, seconds] = train(stderrProgress());
    std::fprintf(stderr, "\nuntangle-cli: trained the %s %s in %.0f s\n", qPrintable(what), path.c_str(), seconds);
}

/** The reader coverage will use for a generator of these images, loaded or trained (saying so) before it is used. */
void ensureReaderSaying(int channels, int resolution)
{
    if (channels == 3) {
        const FactorWorld *world = FactorWorld::forImages(channels, resolution);
        if (!world)
            return; // measureWorldCoverage refuses the generator, naming it
        const FactorReaderLookup lookup = lookUpFactorReader(world->key, resolution);
        trainSaying(QString::fromStdString(world->title) + " factor reader for " + QString::number(resolution) + " px",
            lookup.path, lookup.problems, FactorReaderTrainingOptions {}.steps,
            factorReaderCachePath(world->key, resolution), [&](const ProgressFn &progress) {
                const FactorReaderInfo info = ensureFactorReader(world->key, resolution, progress);
                return std::make_pair(info.path, info.trainSeconds);
            });
        return;
    }
    if (resolution != 32 && resolution != 64)
        return; // measureSpriteCoverage refuses the generator, naming it
    const SpriteFactorModelLookup lookup = lookUpSpriteFactorModel(resolution);
    trainSaying("Sprites factor model for " + QString::number(resolution) + " px", lookup.path, lookup.problems,
        SpriteFactorTrainingSteps, spriteFactorCachePath(resolution), [&](const ProgressFn &progress) {
            const SpriteFactorModelInfo info = ensureSpriteFactorModel(resolution, progress);
            return std::make_pair(info.path, info.trainSeconds);
        });
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
    parser.addOption({"pairs",
        "Sprites: also write a PNG of what the generator draws over what the factor reader sees in it (rows: squares, "
        "ellipses, hearts as read, each over its renders; 8 per shape), the pairs the render-back IoU compares.",
        "file.png"});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("generator"))
        return fail(UsageError, "--generator PATH is required");
    if (parser.isSet("pairs") && parser.isSet("snapshots"))
        return fail(UsageError, "--pairs draws one generator's samples; leave out --snapshots");
    if (parser.isSet("pairs"))
        if (const QString problem = outputFileProblem("pairs", parser.value("pairs"), {parser.value("generator")});
            !problem.isEmpty())
            return fail(UsageError, problem); // before minutes of sampling, not after
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
            if (shape.channels == 3 && parser.isSet("pairs")) // before a Scenes reader may be trained for nothing
                throw DataError("--pairs is for Sprites generators; " + file.toStdString() + " draws 3-channel images");
            ensureReaderSaying(shape.channels, shape.resolution);
            if (shape.channels == 3) {
                const auto coverage = measureWorldCoverage(file.toStdString(), samples, seed, truncation);
                results.append(worldCoverageJson(file, coverage));
                if (!parser.isSet("json"))
                    std::printf("%s\n%s\n\n", qPrintable(file), coverage.report().c_str());
                continue;
            }
            const auto coverage = measureSpriteCoverage(file.toStdString(), samples, seed, truncation);
            if (parser.isSet("pairs"))
                writePngFile(parser.value("pairs").toStdString(),
                    spriteRenderBackPairs(file.toStdString(), RenderBackPairsPerShape, seed, truncation));
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
