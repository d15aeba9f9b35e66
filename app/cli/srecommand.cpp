#include "srecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "sre/srerunner.h"

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
    parser.addOption({"batch",
        "Images per step (pairs = batch / 2; even, 4 to " + QString::number(MaxSreBatch)
            + "; default 32, the authors').",
        "B", "32"});
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
    parser.addOption({"resume", "Continue the run in --out with its own settings (from its config.json)."});
    parser.addOption({"overwrite", "Replace what --out holds instead of refusing a folder that is not empty."});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    const bool resume = parser.isSet("resume");
    // A resume takes the run's own settings from its config.json; options given as well override them, and the run
    // then refuses any that differ from its own, naming each.
    SreConfig config;
    if (!resume && (!parser.isSet("generator") || !parser.isSet("directions")))
        return fail(UsageError, "--generator PATH and --directions PATH are required (or --resume with --out)");
    try {
        if (resume)
            config = readSreConfig(out.toStdString());
        if (parser.isSet("generator"))
            config.generatorPath = QFileInfo(parser.value("generator")).absoluteFilePath().toStdString();
        if (parser.isSet("directions")) // a run folder means its directions.json
            config.directionsPath
                = directionsFileOf(QFileInfo(parser.value("directions")).absoluteFilePath().toStdString());
    } catch (const std::exception &error) {
        return fail(BadInput, QString::fromUtf8(error.what()));
    }
    SettingOptions options(parser, resume);
    options.number("steps", config.steps);
    options.number("batch", config.batch);
    options.number("lr", config.learningRate);
    options.number("range", config.rangeScale);
    options.number("truncation", config.truncation);
    options.number("seed", config.seed);
    options.number("log-every", config.logEvery);
    options.number("snapshot-every", config.snapshotEvery);
    if (!options.ok())
        return options.failure();
    if (!resume || parser.isSet("backbone")) {
        const QString backbone = parser.value("backbone");
        if (backbone != "light" && backbone != "resnet18")
            return fail(UsageError, "--backbone must be light or resnet18");
        config.backbone = backbone == "light" ? SreBackbone::LightCnn : SreBackbone::ResNet18;
    }
    try {
        config.validate();
    } catch (const std::invalid_argument &error) {
        return fail(UsageError, QString::fromUtf8(error.what()));
    }
    const OutputFolder folder(out);
    if (!folder.problem().isEmpty())
        return fail(UsageError, folder.problem());
    config.threads = threadsOption(parser);
    configureComputeThread(config.threads);
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        SreCallbacks callbacks;
        callbacks.progress = stderrProgress();
        callbacks.logged = [&config](const SreLog &log) {
            if (log.step % config.snapshotEvery == 0)
                std::fprintf(stderr, "\nstep %d: loss S %.4f D %.4f, held-out ranking accuracy %.3f\n", log.step,
                    log.lossS, log.lossD, log.heldOutMean);
        };
        const SreResult result = runSre(config, callbacks, out.toStdString(), resume, parser.isSet("overwrite"));
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
