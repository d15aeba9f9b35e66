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
    parser.addOption({"samples", "Samples.", "N", "512"});
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
    bool truncationOk = false;
    const double truncation = parser.value("truncation").toDouble(&truncationOk);
    if (!truncationOk) // its range, (0, 1], is the model's to check (truncatedStylesAroundMean)
        return fail(UsageError, "--truncation must be a number, got '" + parser.value("truncation") + "'");
    configureComputeThread(threadsOption(parser));
    return runReportingErrors([&]() -> int {
        QJsonArray results;
        for (const QString &file : files) {
            if (LatentRenderer(file.toStdString()).info().channels == 3) {
                const auto coverage = measureWorldCoverage(file.toStdString(), parser.value("samples").toInt(),
                    parser.value("seed").toULongLong(), truncation);
                results.append(worldCoverageJson(file, coverage));
                if (!parser.isSet("json"))
                    std::printf("%s\n%s\n\n", qPrintable(file), coverage.report().c_str());
                continue;
            }
            const auto coverage = measureSpriteCoverage(
                file.toStdString(), parser.value("samples").toInt(), parser.value("seed").toULongLong(), truncation);
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
