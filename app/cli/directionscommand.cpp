#include "directionscommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "directions/directionfinder.h"
#include "runfolderclaim.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <thread>

namespace untangle::cli {

int runDirectionsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Find K latent directions of a generator (SeFa, GANSpace, Voynov-Babenko, or seeded "
        "random orthonormal ones as a control) and save them as OUT/directions.json.");
    parser.addHelpOption();
    parser.addOption({"generator", "Generator: a GAN run folder, a generator.pt, or a TorchScript module.", "path"});
    parser.addOption({"method", "sefa, ganspace, voynov or random (QR of a seeded Gaussian matrix).", "name", "sefa"});
    parser.addOption({"count", "Number of directions K.", "K", "10"});
    parser.addOption({"samples", "GANSpace: w samples for the PCA.", "N", "20000"});
    parser.addOption({"unnormalised", "SeFa: skip the row normalisation (the SRE code's variant)."});
    parser.addOption({"steps", "Voynov-Babenko: training steps.", "N", "5000"});
    parser.addOption({"lr", "Voynov-Babenko: learning rate.", "lr", "0.0001"});
    parser.addOption({"seed", "Seed (GANSpace samples, Voynov-Babenko, random directions).", "S", "0"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Output folder (directions.json is written there); must be empty or new.", "dir"});
    parser.addOption({"overwrite", "Replace what --out holds instead of refusing a folder that is not empty."});
    parser.addOption({"json", "Print the directions' summary as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    DirectionsRequest request;
    if (!parser.isSet("generator"))
        return fail(UsageError, "--generator PATH is required");
    request.generatorPath = QFileInfo(parser.value("generator")).absoluteFilePath().toStdString();
    if (!parseDirectionMethod(parser.value("method").toStdString(), request.method))
        return fail(UsageError, "--method must be sefa, ganspace, voynov or random");
    SettingOptions options(parser);
    options.number("count", request.count);
    options.number("samples", request.ganspaceSamples);
    options.number("steps", request.voynovSteps);
    options.number("lr", request.learningRate);
    options.number("seed", request.seed);
    request.sefaNormaliseRows = !parser.isSet("unnormalised");
    if (!options.ok())
        return options.failure();
    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    const OutputFolder folder(out);
    if (!folder.problem().isEmpty())
        return fail(UsageError, folder.problem());
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        // Claimed before the (possibly long) search, so a refusal costs nothing and nothing is overwritten.
        const RunFolderClaim claim(out.toStdString(), RunKind::Directions,
            parser.isSet("overwrite") ? RunFolderMode::Overwrite : RunFolderMode::Fresh);
        DirectionSet set = findDirections(request, stderrProgress());
        const std::string path = QDir(out).filePath("directions.json").toStdString();
        saveDirectionSet(set, path);
        std::fprintf(stderr, "\n");
        if (parser.isSet("json")) {
            QJsonArray list;
            for (const auto &d : set.directions)
                list.append(
                    QJsonObject {{"name", QString::fromStdString(d.name)}, {"score", d.score}, {"sigma", d.sigma}});
            const QJsonObject json {{"file", QString::fromStdString(path)},
                {"method", QString::fromStdString(set.method)}, {"styleSize", set.styleSize}, {"directions", list}};
            std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s: %d %s directions in a %d-d latent\n", path.c_str(), set.count(), set.method.c_str(),
                set.styleSize);
            for (const auto &d : set.directions)
                std::printf("  %-14s score %10.4f  sigma %8.4f\n", d.name.c_str(), d.score, d.sigma);
        }
        return Success;
    });
}

} // namespace untangle::cli
