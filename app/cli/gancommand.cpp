#include "gancommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "factors/worldcoverage.h"
#include "gan/ganrunner.h"
#include "sprites/spritecoverage.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <thread>

namespace untangle::cli {

namespace {

QJsonObject resultJson(const GanResult &result, const QString &out)
{
    return {{"runDir", out}, {"generator", QString::fromStdString(result.generatorPath)},
        {"iterations", result.iterations},
        {"selectedIteration", result.selected ? QJsonValue(result.selectedIteration) : QJsonValue()},
        {"selectedScore", result.selected ? QJsonValue(result.selectedScore) : QJsonValue()},
        {"selectedSummary", QString::fromStdString(result.selectedSummary)}, {"styleStdRatio", result.styleStdRatio},
        {"seconds", result.seconds}, {"stopped", result.stopped}};
}

} // namespace

int runGanCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Train the built-in GAN (mapping network + style-modulated or ProGAN synthesis) into a "
        "run folder; generator.pt is the best checkpoint's EMA generator.");
    parser.addHelpOption();
    parser.addOption(
        {"dataset", "sprites or scenes (procedural, uniform factors) or a dataset key (cmnist10k, cfmnist, ...).",
            "name", "sprites"});
    parser.addOption({"ratio", "Conflicting ratio of a biased dataset.", "R", "0.01"});
    parser.addOption({"path", "Folder for folder-based datasets.", "dir"});
    parser.addOption(
        {"resolution", "Image size: Sprites 32 or 64; Scenes and datasets a power of two, 16 to 128.", "R", "32"});
    parser.addOption({"iterations", "Training iterations.", "N", "5000"});
    parser.addOption({"batch", "Batch size (a multiple of 4).", "B", "64"});
    parser.addOption({"lr", "Adam learning rate of both networks.", "lr", "0.0002"});
    parser.addOption(
        {"mapping-lr", "Mapping network's learning rate as a multiple of --lr (StyleGAN2: 0.01).", "m", "1"});
    parser.addOption({"style-size", "Size of z and of the style vector w.", "N", "64"});
    parser.addOption({"base-channels", "Generator channels at 4 x 4 (halved per stage).", "N", "64"});
    parser.addOption({"min-channels", "Fewest generator channels of a stage (the large stages').", "N", "8"});
    parser.addOption({"critic-channels", "Discriminator channels of its first layer.", "N", "16"});
    parser.addOption({"critic-convs",
        "Critic convolutions per resolution: 1, or 2 to 3 (3x3 convolutions before each halving, as ProGAN's and "
        "StyleGAN's critics; at 2 the critic costs about 2.3x as much on 64 px Sprites).",
        "N", "1"});
    parser.addOption({"convs-per-stage",
        "Generator 3x3 convolutions per stage from 8 x 8 on: 1, or StyleGAN's 2 (twice the detail capacity).", "N",
        "1"});
    parser.addOption({"r1",
        "R1 penalty weight gamma on the critic's gradient at real images, every 16 iterations (StyleGAN2); 0 = off.",
        "gamma", "0"});
    parser.addOption({"mirror-negatives",
        "Weight of mirror negatives: each real image blended with its mirror image is shown to the critic as fake, "
        "so a room drawn as the mean of its orientations is too (negative data augmentation); 0 = off.",
        "weight", "0"});
    parser.addOption({"view-negatives",
        "Scenes only: weight of view negatives: rooms rendered from 2 to 15 of their orientations and averaged (up to "
        "the dome a GAN draws when it does not commit to one view) are shown to the critic as fake; 0 = off.",
        "weight", "0"});
    parser.addOption({"view-factors",
        "Scenes only: the factors view negatives average a room over, comma-separated, one picked per room (e.g. "
        "orientation,shape,scale: averaged over its shapes a room's object is a blur). Default: orientation.",
        "factors"});
    parser.addOption({"shape-negatives",
        "Sprites only: weight of shape negatives: sprites morphed halfway between two of the three shapes are shown "
        "to the critic as fake; a run reaches a given score sooner, but draws concave squares, not hearts; 0 = off.",
        "weight", "0"});
    parser.addOption({"render-back",
        "Sprites and Scenes: weight of the render-back pull: each sample is pulled (Sprites: soft IoU; Scenes: mean "
        "absolute difference) toward "
        "what the world's factor reader reads in it, drawn by the world's renderer, so blobs settle into the world's "
        "shapes; 0 = off.",
        "weight", "0"});
    parser.addOption({"vary",
        "Scenes only: the factors that vary, comma-separated (floor_hue, wall_hue, object_hue, scale, shape, "
        "orientation); the others are held (a blue cube at the centre orientation, red floor, green wall). Default: "
        "all six.",
        "factors"});
    parser.addOption({"grow-from",
        "Start the generator from a smaller built-in generator (e.g. a 32 px run's generator.pt, same widths): its "
        "layers are copied and the new stage starts as an upsampling (ProGAN's growing), so training refines detail. "
        "One of this run's size and settings is fine-tuned as it is, against a fresh critic. A ProGAN generator of "
        "this run's size may also be narrower (--base-channels, --min-channels): it is widened so the run first "
        "draws what it draws, and the new channels learn.",
        "file"});
    parser.addOption({"continue-from",
        "Continue another run (its folder or checkpoint.pt) with this run's settings, e.g. a lighter --r1: its "
        "generator, critic and optimiser moments are loaded and the iterations count on from its checkpoint's "
        "(--iterations is the total). The other run is only read; its networks must fit these settings.",
        "run"});
    parser.addOption({"styled-input",
        "Add a linear map of w to the generator's 4 x 4 constant, so w places the layout directly (DCGAN's first "
        "layer); SeFa then factorises it with the modulation weights."});
    parser.addOption({"no-spectral-norm",
        "A critic of plain layers held in check by the R1 penalty alone (StyleGAN2's); needs --r1 > 0."});
    parser.addOption({"synthesis",
        "Generator synthesis network: style (StyleGAN's modulated convolutions) or progan (ProGAN's plain "
        "convolutions with pixel norm, w entering once through a linear map to the 4 x 4 input).",
        "name", "style"});
    parser.addOption({"loss", "Adversarial loss: hinge, or StyleGAN2's logistic (non-saturating).", "name", "hinge"});
    parser.addOption({"seed", "Seed of the networks, latents and data.", "S", "0"});
    parser.addOption({"sample-every", "Write the fixed-z sample grid every N iterations.", "N", "250"});
    parser.addOption({"checkpoint-every", "Checkpoint and score the EMA generator every N iterations.", "N", "500"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Run folder.", "dir"});
    parser.addOption({"resume",
        "Continue the run in --out with its own settings (--iterations may grow; other options given must match)."});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required (the run folder)");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    const bool resume = parser.isSet("resume");
    // A resumed run continues with its own settings (as sre and debias do); an option given anyway must match them,
    // which trainGan checks and names.
    GanConfig config;
    if (resume) {
        try {
            config = readGanConfig(out.toStdString());
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromUtf8(error.what()));
        }
    }
    SettingOptions options(parser, resume);
    if (options.given("dataset")) {
        const QString dataset = parser.value("dataset");
        config.sprites = dataset == "sprites";
        if (!config.sprites && !parseDatasetKey(dataset.toStdString(), config.dataset.kind))
            return fail(UsageError, "unknown dataset '" + dataset + "'");
    }
    if (options.given("path"))
        config.dataset.path = parser.value("path").toStdString();
    options.number("ratio", config.dataset.ratio);
    options.number("resolution", config.resolution);
    options.number("iterations", config.iterations);
    options.number("batch", config.batch);
    options.number("lr", config.learningRate);
    if (options.given("seed")) {
        options.number("seed", config.seed);
        config.dataset.seed = config.seed;
    }
    options.number("sample-every", config.sampleEvery);
    options.number("checkpoint-every", config.checkpointEvery);
    options.number("mapping-lr", config.mappingLrMultiplier);
    if (options.given("style-size")) {
        options.number("style-size", config.styleSize);
        config.latentSize = config.styleSize;
    }
    options.number("base-channels", config.baseChannels);
    options.number("min-channels", config.minChannels);
    options.number("critic-channels", config.discriminatorChannels);
    options.number("critic-convs", config.discriminatorConvsPerStage);
    options.number("convs-per-stage", config.convsPerStage);
    options.number("r1", config.r1Gamma);
    options.number("mirror-negatives", config.mirrorNegatives);
    options.number("view-negatives", config.viewNegatives);
    options.number("shape-negatives", config.shapeNegatives);
    options.number("render-back", config.renderBack);
    if (parser.isSet("styled-input"))
        config.styledInput = true;
    if (parser.isSet("no-spectral-norm"))
        config.spectralNorm = false;
    if (options.given("synthesis") && !parseGanSynthesis(parser.value("synthesis").toStdString(), config.synthesis))
        return fail(UsageError, "--synthesis is style or progan, not '" + parser.value("synthesis") + "'");
    if (options.given("loss") && !parseGanLoss(parser.value("loss").toStdString(), config.loss))
        return fail(UsageError, "--loss is hinge or logistic, not '" + parser.value("loss") + "'");
    if (parser.isSet("vary")) { // unset: a fresh run varies all six, a resumed run keeps its own list
        config.variedSceneFactors.clear();
        for (const QString &name : parser.value("vary").split(',', Qt::SkipEmptyParts))
            config.variedSceneFactors.push_back(name.trimmed().toStdString());
        if (config.variedSceneFactors.empty())
            return fail(UsageError, "--vary needs at least one factor (or leave it out: all six vary)");
    }
    if (parser.isSet("view-factors")) {
        config.viewNegativeFactors.clear();
        for (const QString &name : parser.value("view-factors").split(',', Qt::SkipEmptyParts))
            config.viewNegativeFactors.push_back(name.trimmed().toStdString());
    }
    if (parser.isSet("grow-from"))
        config.growFrom = QFileInfo(options.value("grow-from")).absoluteFilePath().toStdString();
    if (parser.isSet("continue-from"))
        config.continueFrom = QFileInfo(options.value("continue-from")).absoluteFilePath().toStdString();
    if (!options.ok())
        return options.failure();
    const int threads = threadsOption(parser);
    try {
        config.validate();
    } catch (const std::invalid_argument &error) {
        return fail(UsageError, QString::fromUtf8(error.what()));
    }
    const OutputFolder folder(out);
    if (!folder.problem().isEmpty())
        return fail(UsageError, folder.problem());

    installInterruptHandler();
    configureComputeThread(threads);
    return runReportingErrors([&]() -> int {
        GanCallbacks callbacks;
        callbacks.progress = stderrProgress();
        // Sprites runs keep the checkpoint whose samples best cover the factors and look like sprites
        // (docs/methods/sre.md §11).
        if (config.sprites)
            callbacks.scoreGenerator = scoreSpriteCheckpoint;
        else if (config.dataset.kind == DatasetKind::Scenes && sceneReaderReady(config.resolution))
            callbacks.scoreGenerator = scoreSceneCheckpoint; // the Scenes reader's coverage
        const bool scored = bool(callbacks.scoreGenerator);
        callbacks.checkpointed = [scored](const GanCheckpoint &checkpoint) {
            if (scored)
                std::fprintf(stderr, "\ncheckpoint %d: score %.4f %s, W std ratio %.2f%s\n", checkpoint.iteration,
                    checkpoint.score, checkpoint.summary.c_str(), checkpoint.styleStdRatio,
                    checkpoint.selected ? " (selected)" : "");
            else // no reader for this world or size: the last checkpoint is kept, and no score is invented
                std::fprintf(stderr, "\ncheckpoint %d: not scored (no factor reader here), W std ratio %.2f\n",
                    checkpoint.iteration, checkpoint.styleStdRatio);
        };
        callbacks.logged = [](const GanLog &log) {
            if (log.iteration % 250 == 0)
                std::fprintf(stderr, "\niteration %d: D %.3f G %.3f real %.2f fake %.2f%s, %.3f s/it\n", log.iteration,
                    log.lossD, log.lossG, log.realScore, log.fakeScore,
                    log.renderBack >= 0 ? (" render-back " + std::to_string(log.renderBack).substr(0, 5)).c_str() : "",
                    log.secondsPerIteration);
        };
        const GanResult result = trainGan(config, callbacks, out.toStdString(), resume);
        std::fprintf(stderr, "\n");
        if (parser.isSet("json")) {
            std::printf("%s\n", QJsonDocument(resultJson(result, out)).toJson(QJsonDocument::Compact).constData());
        } else if (!result.selected) { // stopped before the first checkpoint: nothing was scored
            std::printf("generator %s: the EMA generator at iteration %d (stopped before the first checkpoint, so none "
                        "was scored yet), W std ratio %.2f, %.0f s (stopped early)\n",
                result.generatorPath.c_str(), result.iterations, result.styleStdRatio, result.seconds);
        } else if (!scored) {
            std::printf("generator %s: the last checkpoint, iteration %d of %d (not scored: no factor reader for this "
                        "world or size), W std ratio %.2f, %.0f s%s\n",
                result.generatorPath.c_str(), result.selectedIteration, result.iterations, result.styleStdRatio,
                result.seconds, result.stopped ? " (stopped early)" : "");
        } else {
            std::printf("generator %s: iteration %d of %d selected (score %.4f %s), W std ratio %.2f, %.0f s%s\n",
                result.generatorPath.c_str(), result.selectedIteration, result.iterations, result.selectedScore,
                result.selectedSummary.c_str(), result.styleStdRatio, result.seconds,
                result.stopped ? " (stopped early)" : "");
        }
        return Success;
    });
}

} // namespace untangle::cli
