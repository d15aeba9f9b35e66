#include "factormodelcommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "spritefactormodel.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

namespace untangle::cli {

int runFactorModelCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Train the Sprites factor model (shape, scale, orientation, x, y read back from an image) on the renderer's "
        "ground truth and write it to FILE, with its held-out accuracies. packaging/train-factor-models.sh makes the "
        "shipped ones with this command.");
    parser.addHelpOption();
    parser.addOption({"resolution", "32 or 64.", "px", "64"});
    parser.addOption({"steps", "Training steps.", "N", QString::number(SpriteFactorTrainingSteps)});
    parser.addOption({"seed", "Seed.", "S", "1"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Model file to write (.pt).", "file"});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("out"))
        return fail(UsageError, "--out FILE is required");
    SpriteFactorTrainingOptions options;
    bool ok[3] = {};
    options.resolution = parser.value("resolution").toInt(&ok[0]);
    options.steps = parser.value("steps").toInt(&ok[1]);
    options.seed = parser.value("seed").toULongLong(&ok[2]);
    for (bool b : ok)
        if (!b)
            return fail(UsageError, "a numeric option is not a number; see --help");
    const std::string out = QFileInfo(parser.value("out")).absoluteFilePath().toStdString();
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        options.validate();
        const SpriteFactorModelInfo info = trainSpriteFactorModel(options, out, stderrProgress());
        std::fprintf(stderr, "\n");
        std::printf("%s\n%s\n", out.c_str(), info.summary().c_str());
        return Success;
    });
}

} // namespace untangle::cli
