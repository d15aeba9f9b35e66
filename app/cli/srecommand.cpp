#include "srecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "srerunner.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <thread>

namespace untangle::cli {

namespace {

QJsonArray toJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

} // namespace

int runSreCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Refine directions with the Scale Ranking Estimator (pairs share z, all K scales "
                                     "vary at once, estimator and directions updated in turn, generator frozen).");
    parser.addHelpOption();
    parser.addOption({"generator", "Generator: a GAN run folder, a generator.pt, or a TorchScript module.", "path"});
    parser.addOption({"directions", "Initial directions: a directions.json, or the run folder holding it.", "path"});
    parser.addOption({"steps", "Alternating steps (default 6000, the authors' budget).", "N", "6000"});
    parser.addOption(
        {"batch", "Images per step (pairs = batch / 2; even, >= 4; default 32, the authors').", "B", "32"});
    parser.addOption(
        {"lr", "Adam learning rate of estimator and directions (default 1e-4, the authors').", "lr", "0.0001"});
    parser.addOption({"range", "eps range scale c > 0: eps_k ~ U(-c sigma_k, c sigma_k) (default 1.5).", "c", "1.5"});
    parser.addOption({"truncation",
        "psi of the latents pairs are drawn from, around a fixed mean w (1 = none; default 0.8, the authors').", "psi",
        "0.8"});
    parser.addOption({"backbone", "Estimator: light (CPU default) or resnet18 (the paper's).", "name", "light"});
    parser.addOption({"seed", "Seed.", "S", "2"});
    parser.addOption({"log-every", "Log losses and ranking accuracy every N steps.", "N", "50"});
    parser.addOption({"snapshot-every", "Snapshot, score and checkpoint every N steps.", "N", "1000"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Run folder.", "dir"});
    parser.addOption({"resume", "Continue the run in --out."});
    parser.addOption({"overwrite", "Replace what --out holds instead of refusing a folder that is not empty."});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    SreConfig config;
    if (!parser.isSet("generator") || !parser.isSet("directions"))
        return fail(UsageError, "--generator PATH and --directions PATH are required");
    config.generatorPath = QFileInfo(parser.value("generator")).absoluteFilePath().toStdString();
    config.directionsPath = QFileInfo(parser.value("directions")).absoluteFilePath().toStdString();
    bool ok[8] = {};
    config.steps = parser.value("steps").toInt(&ok[0]);
    config.batch = parser.value("batch").toInt(&ok[1]);
    config.learningRate = parser.value("lr").toDouble(&ok[2]);
    config.rangeScale = parser.value("range").toDouble(&ok[3]);
    config.truncation = parser.value("truncation").toDouble(&ok[4]);
    config.seed = parser.value("seed").toULongLong(&ok[5]);
    config.logEvery = parser.value("log-every").toInt(&ok[6]);
    config.snapshotEvery = parser.value("snapshot-every").toInt(&ok[7]);
    for (bool b : ok)
        if (!b)
            return fail(UsageError, "a numeric option is not a number; see --help");
    const QString backbone = parser.value("backbone");
    if (backbone != "light" && backbone != "resnet18")
        return fail(UsageError, "--backbone must be light or resnet18");
    config.backbone = backbone == "light" ? SreBackbone::LightCnn : SreBackbone::ResNet18;
    try {
        config.validate();
    } catch (const std::invalid_argument &error) {
        return fail(UsageError, QString::fromUtf8(error.what()));
    }
    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    QString problem;
    if (!folderWritable(out, problem))
        return fail(UsageError, problem);
    config.threads = threadsOption(parser);
    configureComputeThread(config.threads);
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        config.directionsPath = directionsFileOf(config.directionsPath); // a run folder means its directions.json
        SreCallbacks callbacks;
        callbacks.progress = stderrProgress();
        callbacks.logged = [&config](const SreLog &log) {
            if (log.step % config.snapshotEvery == 0)
                std::fprintf(stderr, "\nstep %d: loss S %.4f D %.4f, held-out ranking accuracy %.3f\n", log.step,
                    log.lossS, log.lossD, log.heldOutMean);
        };
        const SreResult result
            = runSre(config, callbacks, out.toStdString(), parser.isSet("resume"), parser.isSet("overwrite"));
        std::fprintf(stderr, "\n");
        if (parser.isSet("json")) {
            QJsonArray scores;
            for (const auto &[step, score] : result.snapshotScores)
                scores.append(QJsonObject {{"step", step}, {"score", score}});
            const QJsonObject json {{"directions", QString::fromStdString(result.directionsPath)},
                {"estimator", QString::fromStdString(result.estimatorPath)}, {"selectedStep", result.selectedStep},
                {"selectedScore", result.selectedScore}, {"snapshots", scores},
                {"heldOutAccuracy", toJson(result.lastLog.heldOutAccuracy)}, {"lossS", result.lastLog.lossS},
                {"lossD", result.lastLog.lossD}, {"seconds", result.lastLog.seconds}};
            std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s: step %d selected (held-out score %.3f); estimator %s\n", result.directionsPath.c_str(),
                result.selectedStep, result.selectedScore, result.estimatorPath.c_str());
            for (std::size_t k = 0; k < result.directions.directions.size(); ++k)
                std::printf("  %-16s ranking accuracy %.3f  sigma %.3f\n", result.directions.directions[k].name.c_str(),
                    result.directions.directions[k].score, result.directions.directions[k].sigma);
        }
        return Success;
    });
}

} // namespace untangle::cli
