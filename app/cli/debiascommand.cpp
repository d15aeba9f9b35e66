#include "debiascommand.h"

#include "clicommon.h"
#include "dataerror.h"
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "debiasseeds.h"
#include "recordjson.h"
#include "runfolder.h"
#include "runfolderclaim.h"
#include "seedsreport.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cmath>
#include <cstdio>
#include <type_traits>

namespace untangle::cli {
namespace {

constexpr int MaxSeeds = 64; // far beyond what a table needs; memory is checked for the count asked

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
    std::printf("%s on %s, ratio %g, seed %llu, data seed %llu (test accuracy, %%)\n",
        methodKey(r.config.method).c_str(), datasetKey(r.config.dataset.kind).c_str(), r.config.dataset.ratio,
        (unsigned long long)r.config.seed, (unsigned long long)r.config.dataset.seed);
    if (r.config.method == DebiasMethod::DeNetDM) {
        line("stage 1 deep", r.stage1Deep);
        line("stage 1 shallow", r.stage1Shallow);
    }
    line((r.finalHead + " (selected on valid)").c_str(), r.selected);
    line((r.finalHead + " (last epoch)").c_str(), r.last);
    std::printf("hardest samples of the %s branch: precision %.1f%% of the top %d (base rate %.1f%%)\n",
        r.hardest.branch.c_str(), 100.0 * r.hardest.precision, r.hardest.k, 100.0 * r.hardest.baseRate);
    if (const BranchHealth &h = r.stage1Health; h.known())
        std::printf("%s branch health by linear probes (stage-1 epoch %d): bias %.1f%% decodable, target %.1f%%\n",
            h.branch.c_str(), h.epoch, 100.0 * h.biasDecodability, 100.0 * h.targetDecodability);
    std::printf("seconds per epoch: stage 1 %.2f, stage 2 %.2f; total %.1f s%s\n", r.stage1SecondsPerEpoch,
        r.stage2SecondsPerEpoch, r.totalSeconds, r.stopped ? " (stopped early)" : "");
}

/**
 * LfF's recipe: the official Colored MNIST settings by default on MLP datasets (ours on the CNN pair, which the
 * official code never trained), then any --batch / --deep-depth given on top of it.
 */
int applyLffOptions(const QCommandLineParser &parser, bool resume, DebiasConfig &config)
{
    const bool lff = config.method == DebiasMethod::Lff;
    if (!lff && (parser.isSet("lff-recipe") || parser.isSet("lff-rescale-inputs")))
        return fail(UsageError, "--lff-recipe and --lff-rescale-inputs apply to lff only");
    if (!lff)
        return Success;
    if (parser.isSet("lff-rescale-inputs"))
        config.lffRescaleInputs = true;
    if (resume && !parser.isSet("lff-recipe"))
        return Success;
    LffRecipe recipe = config.architecture == BranchArchitecture::Mlp ? LffRecipe::Official : LffRecipe::Untangle;
    if (parser.isSet("lff-recipe") && !parseLffRecipeKey(parser.value("lff-recipe").toStdString(), recipe))
        return fail(UsageError, "--lff-recipe must be official or untangle");
    if (recipe == LffRecipe::Official && config.architecture != BranchArchitecture::Mlp)
        return fail(UsageError, "the official LfF recipe is the Colored MNIST MLP; use --lff-recipe untangle with cnn");
    applyLffRecipe(config, recipe);
    SettingOptions given(parser, true); // only the options given: the recipe set the others
    given.number("batch", config.batchSize);
    if (parser.isSet("deep-depth") && given.number("deep-depth", config.deepDepth))
        config.targetDepth = config.deepDepth;
    return given.ok() ? Success : given.failure();
}

/**
 * --stage1-steps: the paper counts optimiser steps (~93,700 on 60,000 digits at batch 64); on a smaller training set
 * that is many more epochs than 100. Whole epochs keep every evaluation alike, so the count is rounded up.
 */
int setStage1Steps(long long steps, int trainCount, DebiasConfig &config)
{
    const bool dropLast = config.stage1DropLast;
    const long long perEpoch
        = dropLast ? trainCount / config.batchSize : (trainCount + config.batchSize - 1) / config.batchSize;
    if (perEpoch <= 0)
        return fail(BadInput, "the training split is smaller than one batch");
    const long long epochs = (steps + perEpoch - 1) / perEpoch;
    constexpr long long MaxEpochs = 1 << 20;
    if (epochs > MaxEpochs)
        return fail(
            UsageError, QString("--stage1-steps %1 is %2 epochs; at most %3").arg(steps).arg(epochs).arg(MaxEpochs));
    const int defaultEpochs = DebiasConfig {}.stage1Epochs;
    std::fprintf(stderr,
        "stage 1: %lld steps asked = %lld epochs x %lld batches of %d = %lld steps (%.1fx the default %d epochs)\n",
        steps, epochs, perEpoch, config.batchSize, epochs * perEpoch, double(epochs) / defaultEpochs, defaultEpochs);
    config.stage1Epochs = int(epochs);
    return Success;
}

} // namespace

int runDebiasCommand(const QString &method, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Train " + method + " on a biased dataset into a run folder.");
    parser.addHelpOption();
    parser.addOption(
        {"dataset", "Dataset key (cmnist10k, cfmnist, corrupted-fmnist, sprites, ...).", "name", "cmnist10k"});
    parser.addOption({"path", "Folder of the cmnist-idx, folder and lff datasets.", "dir"});
    parser.addOption({"ratio", "Conflicting ratio, in (0, 1).", "R", "0.01"});
    parser.addOption({"seed", "Training seed: initialisation and shuffling (the dataset stays the same).", "S", "0"});
    parser.addOption({"data-seed",
        "Dataset seed: which training images are conflicting and the colour noise. Fixed by default, so seeds "
        "differ only in training, as in the official code.",
        "S", "0"});
    parser.addOption({"epochs", "Epochs of stage 1 (the only stage of erm and lff).", "N", "100"});
    parser.addOption({"stage1-steps",
        "Stage-1 length in optimiser steps instead of --epochs (e.g. 93700, the paper's count on 60,000 digits); "
        "rounded up to whole epochs, each evaluated as usual. The cost is printed before training.",
        "N"});
    parser.addOption({"stage2-epochs", "Epochs of DeNetDM's stage 2 (0 = stage 1 only).", "N", "100"});
    parser.addOption({"batch", "Batch size (lff: set by --lff-recipe unless given).", "B", "64"});
    parser.addOption({"lr", "Learning rate (stage 1 and baselines).", "lr", "0.001"});
    parser.addOption({"deep-depth",
        "Linear layers of the deep branch including the head (lff: set by --lff-recipe unless given).", "D", "5"});
    parser.addOption({"shallow-depth", "Linear layers of the shallow branch including the head.", "D", "3"});
    parser.addOption({"width", "Hidden width of the MLP branches.", "W", "100"});
    parser.addOption({"arch", "Branch family: mlp or cnn (default: cnn for corrupted data, else mlp).", "name"});
    parser.addOption({"lff-recipe",
        "lff only: official (alinlab/LfF's Colored MNIST settings: batch 256, 3 hidden layers, last partial batch "
        "kept; the default on MLP datasets) or untangle (batch 64, 4 hidden layers, last partial batch dropped).",
        "name"});
    parser.addOption({"lff-rescale-inputs",
        "lff only: divide the inputs by 255 a second time, as the official MLP's forward does (off by default)."});
    parser.addOption(
        {"threads", "LibTorch threads (0 = every core: the CLI has no window to keep responsive).", "T", "0"});
    parser.addOption(
        {"probe-every", "Decodability probe every N steps in the first epoch, then per epoch (0 = off).", "N", "5"});
    parser.addOption({"seeds",
        "Train N seeds at once in this process (--seed, --seed + 1, ...), each in DIR/seed-S, with DIR/summary.json "
        "holding the mean and std over them.",
        "N"});
    parser.addOption({"out", "Run folder (created; checkpoints and metrics go here). Must be empty or new.", "dir"});
    parser.addOption({"resume",
        "Continue the run in --out from its last checkpoint, with the settings in its config.json (options given "
        "too must agree with them)."});
    parser.addOption({"overwrite", "Replace what --out holds instead of refusing a folder that is not empty."});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    if (!parser.isSet("out"))
        return fail(UsageError, "--out DIR is required (the run folder)");
    const QString out = QFileInfo(parser.value("out")).absoluteFilePath();
    const bool resume = parser.isSet("resume");
    if (resume && parser.isSet("overwrite"))
        return fail(UsageError, "--resume and --overwrite exclude each other");

    // A resumed run starts from the settings it was started with (config.json): no option needs repeating, and an
    // option given anyway must agree with the folder (the session names any difference).
    int seedCount = 0; // 0: one run in --out itself; N: --seeds N, a folder of N runs
    if (parser.isSet("seeds")) {
        SettingOptions seeds(parser);
        if (!seeds.number("seeds", seedCount) || seedCount < 1 || seedCount > MaxSeeds)
            return fail(UsageError,
                QString("--seeds must be a whole number from 1 to %1, got '%2'")
                    .arg(MaxSeeds)
                    .arg(parser.value("seeds")));
    }
    DebiasConfig config;
    std::vector<std::uint64_t> seeds;
    const bool seedsFolder = resume && detectRunKind(out.toStdString()) == RunKind::DebiasSeeds;
    if (seedsFolder) {
        try {
            const SeedsPlan plan = readSeedsPlan(out.toStdString());
            config = plan.config;
            seeds = plan.seeds;
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromStdString(error.what()));
        }
        if (seedCount != 0 && seedCount != int(seeds.size()))
            return fail(BadInput, QString("%1 holds %2 seeds, not %3").arg(out).arg(seeds.size()).arg(seedCount));
        seedCount = int(seeds.size());
    } else if (resume && seedCount != 0) {
        return fail(BadInput, out + " is not a multi-seed run folder (no seeds.json); resume it without --seeds");
    } else if (resume && !QFileInfo::exists(out + "/checkpoint.pt")) {
        return fail(BadInput, out + "/checkpoint.pt: no checkpoint to resume from");
    }
    if (resume && !seedsFolder) {
        if (const auto kind = detectRunKind(out.toStdString()); kind && *kind != RunKind::Debias)
            return fail(BadInput, out + " holds a " + runKindName(*kind) + ", not a debias run");
        try {
            config = RunFolder(out.toStdString()).readConfig();
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromStdString(error.what()));
        }
    }
    if (resume) {
        DebiasMethod asked;
        parseMethodKey(method.toStdString(), asked);
        if (asked != config.method)
            return fail(BadInput,
                out + " holds a " + QString::fromStdString(methodKey(config.method)) + " run; resume it with `"
                    + QString::fromStdString(methodKey(config.method)) + " --resume`");
    } else {
        parseMethodKey(method.toStdString(), config.method);
    }
    SettingOptions options(parser, resume);
    const auto given = [&](const char *name) { return options.given(name); };
    const auto number = [&](const char *name, auto &field) { options.number(name, field); };
    if (given("dataset") && !parseDatasetKey(parser.value("dataset").toStdString(), config.dataset.kind))
        return fail(UsageError, "unknown dataset '" + parser.value("dataset") + "'");
    if (given("path"))
        config.dataset.path
            = parser.isSet("path") ? QFileInfo(parser.value("path")).absoluteFilePath().toStdString() : "";
    number("ratio", config.dataset.ratio);
    number("seed", config.seed);
    number("data-seed", config.dataset.seed);
    number("epochs", config.stage1Epochs);
    if (config.method == DebiasMethod::DeNetDM)
        number("stage2-epochs", config.stage2Epochs);
    else
        config.stage2Epochs = 0;
    number("batch", config.batchSize);
    number("lr", config.learningRate);
    number("deep-depth", config.deepDepth);
    if (given("deep-depth"))
        config.targetDepth = config.deepDepth;
    number("shallow-depth", config.shallowDepth);
    number("width", config.width);
    number("probe-every", config.probeEveryIterations);
    if (!options.ok())
        return options.failure();
    if (config.probeEveryIterations < 0)
        return fail(UsageError, "--probe-every must be a non-negative integer");
    // Threads change speed, not results: always this machine's choice (parseCommandLine checked the count).
    config.threads = threadsOption(parser);
    if (!resume)
        config.architecture = defaultArchitecture(config.dataset.kind);
    if (parser.isSet("arch") && !parseArchitectureKey(parser.value("arch").toStdString(), config.architecture))
        return fail(UsageError, "--arch must be mlp or cnn");
    if (const int code = applyLffOptions(parser, resume, config); code != Success)
        return code;
    if (const std::string problem = validateConfig(config); !problem.empty())
        return fail(UsageError, QString::fromStdString(problem));
    // Checked before the folder is touched; turned into epochs once the dataset's size is known.
    long long stage1Steps = 0;
    if (parser.isSet("stage1-steps")) {
        SettingOptions steps(parser);
        constexpr long long MaxSteps = 1'000'000'000;
        if (!steps.number("stage1-steps", stage1Steps) || stage1Steps <= 0 || stage1Steps > MaxSteps)
            return fail(UsageError,
                "--stage1-steps must be a whole number from 1 to 1000000000, got '" + parser.value("stage1-steps")
                    + "'");
    }
    const OutputFolder folder(out);
    if (!folder.problem().isEmpty())
        return fail(UsageError, folder.problem());

    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        const BiasedDataset dataset = buildDataset(config.dataset);
        if (stage1Steps > 0)
            if (const int code = setStage1Steps(stage1Steps, dataset.train.count, config); code != Success)
                return code;
        const bool json = parser.isSet("json");
        if (seedCount > 0) {
            if (seeds.empty())
                seeds = consecutiveSeeds(config.seed, seedCount);
            const SeedsOutcome outcome = runDebiasSeeds(config, seeds, dataset, stderrProgress("evaluated"),
                out.toStdString(), resume, parser.isSet("overwrite"));
            std::fprintf(stderr, "\n");
            if (json)
                printSeedsJson(outcome);
            else
                printSeedsText(outcome, printText);
            return Success;
        }
        DebiasCallbacks callbacks;
        callbacks.progress = stderrProgress("evaluated");
        const DebiasResult result
            = runDebias(config, dataset, callbacks, out.toStdString(), resume, parser.isSet("overwrite"));
        std::fprintf(stderr, "\n");
        if (json)
            std::printf("%s\n", resultToJson(result).c_str());
        else
            printText(result);
        return Success;
    });
}

} // namespace untangle::cli
