#include "factormodelcommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "factors/factorreader.h"
#include "sprites/spritefactormodel.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

namespace untangle::cli {

int runFactorModelCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Train a factor reader (every ground-truth factor read back from an image) on the renderer's exact labels and "
        "write it to FILE with its held-out accuracies. --world sprites: the Sprites factor model (shape, scale, "
        "orientation, x, y); --world scenes: the Scenes reader (floor, wall and object hue, scale, shape, "
        "orientation), "
        "trained on renders degraded like generator output. packaging/train-factor-models.sh makes the shipped ones "
        "with this command.");
    parser.addHelpOption();
    parser.addOption({"world", "sprites or scenes.", "name", "sprites"});
    parser.addOption({"resolution", "Sprites: 32 or 64; scenes: 16 to 256 (a power of two).", "px", "64"});
    parser.addOption({"steps",
        "Training steps (default: sprites " + QString::number(SpriteFactorTrainingSteps) + ", scenes "
            + QString::number(FactorReaderTrainingOptions {}.steps) + ").",
        "N"});
    parser.addOption({"seed", "Seed.", "S", "1"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Model file to write (.pt).", "file"});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("out"))
        return fail(UsageError, "--out FILE is required");
    const QString world = parser.value("world");
    if (world != "sprites" && world != "scenes")
        return fail(UsageError, "--world must be sprites or scenes, not '" + world + "'");
    int resolution = 0, steps = 0; // steps 0: the world's default
    std::uint64_t seed = 0;
    SettingOptions numbers(parser);
    numbers.number("resolution", resolution);
    numbers.number("steps", steps); // no default: read only when given
    numbers.number("seed", seed);
    if (!numbers.ok())
        return numbers.failure();
    if (const QString problem = outputFileProblem("out", parser.value("out")); !problem.isEmpty())
        return fail(UsageError, problem); // before minutes of training
    const std::string out = QFileInfo(parser.value("out")).absoluteFilePath().toStdString();
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    if (world == "scenes") {
        FactorReaderTrainingOptions options;
        options.world = "scenes";
        options.resolution = resolution;
        if (steps)
            options.steps = steps;
        options.seed = seed;
        return runReportingErrors([&]() -> int {
            options.validate();
            const FactorReaderInfo info = trainFactorReaderModel(options, out, stderrProgress());
            std::fprintf(stderr, "\n");
            std::printf("%s\n%s\n", out.c_str(), info.summary().c_str());
            return Success;
        });
    }
    SpriteFactorTrainingOptions options;
    options.resolution = resolution;
    if (steps)
        options.steps = steps;
    options.seed = seed;
    return runReportingErrors([&]() -> int {
        options.validate();
        const SpriteFactorModelInfo info = trainSpriteFactorModel(options, out, stderrProgress());
        std::fprintf(stderr, "\n");
        std::printf("%s\n%s\n", out.c_str(), info.summary().c_str());
        return Success;
    });
}

} // namespace untangle::cli
