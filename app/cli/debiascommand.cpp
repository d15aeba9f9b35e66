#include "debiascommand.h"

#include "clicommon.h"
#include "dataerror.h"
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "recordjson.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cmath>
#include <cstdio>
#include <thread>

namespace untangle::cli {
namespace {

QString percent(double v)
{
    return std::isfinite(v) ? QString::number(100.0 * v, 'f', 2) : QStringLiteral("-");
}

void printText(const DebiasResult &r)
{
    auto line = [](const char *name, const HeadSnapshot &s) {
        std::printf("%-22s epoch %3d  unbiased %6s  aligned %6s  conflicting %6s  worst %6s\n", name, s.epoch,
            qPrintable(percent(s.test.unbiased)), qPrintable(percent(s.test.aligned)),
            qPrintable(percent(s.test.conflicting)), qPrintable(percent(s.test.worstGroup)));
    };
    std::printf("%s on %s, ratio %g, seed %llu (test accuracy, %%)\n", methodKey(r.config.method).c_str(),
        datasetKey(r.config.dataset.kind).c_str(), r.config.dataset.ratio, (unsigned long long)r.config.seed);
    if (r.config.method == DebiasMethod::DeNetDM) {
        line("stage 1 deep", r.stage1Deep);
        line("stage 1 shallow", r.stage1Shallow);
    }
    line((r.finalHead + " (selected on valid)").c_str(), r.selected);
    line((r.finalHead + " (last epoch)").c_str(), r.last);
    std::printf("hardest samples of the %s branch: precision %.1f%% of the top %d (base rate %.1f%%)\n",
        r.hardest.branch.c_str(), 100.0 * r.hardest.precision, r.hardest.k, 100.0 * r.hardest.baseRate);
    std::printf("seconds per epoch: stage 1 %.2f, stage 2 %.2f; total %.1f s%s\n", r.stage1SecondsPerEpoch,
        r.stage2SecondsPerEpoch, r.totalSeconds, r.stopped ? " (stopped early)" : "");
}

} // namespace

int runDebiasCommand(const QString &method, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Train " + method + " on a biased dataset into a run folder.");
    parser.addHelpOption();
    parser.addOption(
        {"dataset", "Dataset key (cmnist10k, cfmnist, corrupted-fmnist, sprites, ...).", "name", "cmnist10k"});
    parser.addOption({"ratio", "Conflicting ratio, in (0, 1).", "R", "0.01"});
    parser.addOption({"seed", "Seed for data and training.", "S", "0"});
    parser.addOption({"epochs", "Epochs of stage 1 (the only stage of erm and lff).", "N", "100"});
    parser.addOption({"stage2-epochs", "Epochs of DeNetDM's stage 2 (0 = stage 1 only).", "N", "100"});
    parser.addOption({"batch", "Batch size.", "B", "64"});
    parser.addOption({"lr", "Learning rate (stage 1 and baselines).", "lr", "0.001"});
    parser.addOption({"deep-depth", "Linear layers of the deep branch including the head.", "D", "5"});
    parser.addOption({"shallow-depth", "Linear layers of the shallow branch including the head.", "D", "3"});
    parser.addOption({"width", "Hidden width of the MLP branches.", "W", "100"});
    parser.addOption({"arch", "Branch family: mlp or cnn (default: cnn for corrupted data, else mlp).", "name"});
    parser.addOption(
        {"threads", "LibTorch threads (0 = every core: the CLI has no window to keep responsive).", "T", "0"});
    parser.addOption(
        {"probe-every", "Decodability probe every N steps in the first epoch, then per epoch (0 = off).", "N", "5"});
    parser.addOption({"out", "Run folder (created; checkpoints and metrics go here).", "dir"});
    parser.addOption({"resume", "Continue the run in --out from its last checkpoint."});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    DebiasConfig config;
    parseMethodKey(method.toStdString(), config.method);
    if (!parseDatasetKey(parser.value("dataset").toStdString(), config.dataset.kind))
        return fail(UsageError, "unknown dataset '" + parser.value("dataset") + "'");
    bool ok[10] = {};
    config.dataset.ratio = parser.value("ratio").toDouble(&ok[0]);
    config.seed = parser.value("seed").toULongLong(&ok[1]);
    config.dataset.seed = config.seed;
    config.stage1Epochs = parser.value("epochs").toInt(&ok[2]);
    config.stage2Epochs = config.method == DebiasMethod::DeNetDM ? parser.value("stage2-epochs").toInt(&ok[3]) : 0;
    ok[3] = ok[3] || config.method != DebiasMethod::DeNetDM;
    config.batchSize = parser.value("batch").toInt(&ok[4]);
    config.learningRate = parser.value("lr").toDouble(&ok[5]);
    config.deepDepth = config.targetDepth = parser.value("deep-depth").toInt(&ok[6]);
    config.shallowDepth = parser.value("shallow-depth").toInt(&ok[7]);
    config.width = parser.value("width").toInt(&ok[8]);
    config.threads = parser.value("threads").toInt(&ok[9]);
    if (config.threads == 0)
        config.threads = int(std::max(1u, std::thread::hardware_concurrency()));
    bool okProbe = false;
    config.probeEveryIterations = parser.value("probe-every").toInt(&okProbe);
    for (bool b : ok)
        if (!b)
            return fail(UsageError, "a numeric option is not a number; see --help");
    if (!okProbe || config.probeEveryIterations < 0)
        return fail(UsageError, "--probe-every must be a non-negative integer");
    config.architecture = defaultArchitecture(config.dataset.kind);
    if (parser.isSet("arch") && !parseArchitectureKey(parser.value("arch").toStdString(), config.architecture))
        return fail(UsageError, "--arch must be mlp or cnn");
    if (const std::string problem = validateConfig(config); !problem.empty())
        return fail(UsageError, QString::fromStdString(problem));
    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required (the run folder)");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    if (parser.isSet("resume") && !QFileInfo::exists(out + "/checkpoint.pt"))
        return fail(BadInput, out + "/checkpoint.pt: no checkpoint to resume from");
    QString problem;
    if (!folderWritable(out, problem))
        return fail(UsageError, problem);

    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        const BiasedDataset dataset = buildDataset(config.dataset);
        DebiasCallbacks callbacks;
        const bool json = parser.isSet("json");
        callbacks.progress = stderrProgress("evaluated");
        const DebiasResult result = runDebias(config, dataset, callbacks, out.toStdString(), parser.isSet("resume"));
        std::fprintf(stderr, "\n");
        if (json)
            std::printf("%s\n", resultToJson(result).c_str());
        else
            printText(result);
        return Success;
    });
}

} // namespace untangle::cli
