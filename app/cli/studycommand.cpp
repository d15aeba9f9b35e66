#include "studycommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "evaluation/directionevaluation.h"
#include "explore/latentrenderer.h"
#include "factors/factorlabels.h"
#include "factors/oraclerescoring.h"
#include "retrieval/retrievalpool.h"
#include "study/latentstudy.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <thread>

namespace untangle::cli {

namespace {

QJsonObject scoresJson(const StudyScores &scores)
{
    QJsonObject json;
    for (const auto &[key, value] : scores)
        json.insert(QString::fromStdString(key), value);
    return json;
}

QJsonObject intervalJson(const ConfidenceInterval &interval)
{
    return QJsonObject {{"mean", interval.mean}, {"low", interval.low}, {"high", interval.high}};
}

QJsonObject oracleJson(const OracleRescoring &oracle)
{
    QJsonArray rows;
    for (int e = 0; e < oracle.authors.cells.rows; ++e) {
        QJsonArray row;
        for (int f = 0; f < oracle.authors.cells.cols; ++f)
            row.append(oracle.authors.cells.at(e, f));
        rows.append(row);
    }
    QJsonArray names, expected;
    for (std::size_t f = 0; f < oracle.factorNames.size(); ++f) {
        names.append(QString::fromStdString(oracle.factorNames[f]));
        expected.append(oracle.expectedDiagonal[f]);
    }
    return {{"world", QString::fromStdString(oracle.world)}, {"resolution", oracle.resolution},
        {"samples", oracle.samples}, {"reader", QString::fromStdString(oracle.reader)}, {"factors", names},
        {"matrix", rows}, {"expectedDiagonal", expected}, {"diagonal", intervalJson(oracle.authors.diagonal)},
        {"offDiagonal", intervalJson(oracle.authors.offDiagonal)},
        {"ratio", oracle.authors.diagonal.mean / std::max(1e-12, oracle.authors.offDiagonal.mean)},
        {"passes", oracle.passes()}};
}

/** `evaluate --oracle`: the renderer sanity check of the rescoring measurement. */
int runOracleCheck(const QCommandLineParser &parser)
{
    const std::string key = parser.value("dataset").toStdString();
    const FactorWorld *world = FactorWorld::byKey(key);
    if (!world)
        return fail(UsageError,
            "--dataset must be sprites or scenes for the renderer check, not '" + parser.value("dataset") + "'");
    SettingOptions options(parser);
    int resolution = 0, samples = 0;
    options.number("resolution", resolution);
    options.number("samples", samples);
    if (!options.ok())
        return options.failure();
    if (!world->rendersAt(resolution) || samples < 2)
        return fail(UsageError, "the renderer check needs a resolution the world draws and at least 2 samples");
    if (world->kind == WorldKind::Sprites)
        return fail(UsageError,
            "the renderer check runs on scenes (the Sprites factor model has its own checks in "
            "tests/model/tst_spriterescoring)");
    return runReportingErrors([&]() -> int {
        const auto oracle = oracleRescoring(*world, resolution, samples, RescoringSeed);
        if (parser.isSet("json"))
            std::printf("%s\n", QJsonDocument(oracleJson(oracle)).toJson(QJsonDocument::Compact).constData());
        else
            std::printf("%s\n", oracle.report().c_str());
        return oracle.passes() ? Success : BadInput;
    });
}

} // namespace

int runStudyCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Find directions with each method on each generator, refine them with SRE for every seed, and score before "
        "and after with the paper's protocol (MIG, DCI, FactorVAE, beta-VAE), the rescoring matrix on the generator's "
        "world, Sprites or Scenes (ours and the authors' +eps matched statistic with 95% intervals) and retrieval; "
        "every score beside its noise floor. Resumable: finished stages under --out are reused, seed by seed; a "
        "folder started with other settings is refused.");
    parser.addHelpOption();
    parser.addOption({"generator", "A generator (repeat for several generator seeds).", "path"});
    parser.addOption({"methods",
        "Comma-separated: random,sefa,ganspace,voynov (random: seeded orthonormal directions, the control).", "list",
        "random,sefa,ganspace,voynov"});
    parser.addOption({"seeds", "SRE / evaluation seeds.", "N", "3"});
    parser.addOption({"count", "Directions K.", "K", "10"});
    parser.addOption({"voynov-steps", "Voynov-Babenko training steps.", "N", "2000"});
    parser.addOption({"sre-steps", "SRE steps per run (the authors' 6000).", "N", "6000"});
    parser.addOption({"sre-lr", "SRE learning rate of both networks (the authors' 1e-4).", "lr", "0.0001"});
    parser.addOption({"sre-range", "SRE eps range scale c > 0 (eps_k ~ U(-c sigma_k, c sigma_k)).", "c", "1.5"});
    parser.addOption({"snapshot-every", "SRE snapshot interval (the kept step is chosen among them).", "N", "500"});
    parser.addOption(
        {"sre-backbone", "SRE estimator: light (our CPU default) or resnet18 (the paper's).", "name", "light"});
    parser.addOption({"rescoring-only",
        "Directions, SRE and the rescoring matrix only (no encoder protocol, no retrieval): for sweeps over SRE's "
        "settings; the folder can be completed later without it."});
    parser.addOption({"eval-images",
        "Images the evaluation encoder is distilled from, 100 to " + QString::number(MaxDistillationImages) + ".", "N",
        "10000"});
    parser.addOption({"eval-epochs", "Encoder epochs (at most).", "N", "20"});
    parser.addOption({"mig-points", "MIG points.", "N", "10000"});
    parser.addOption({"dci-points", "DCI train and test points each.", "N", "5000"});
    parser.addOption(
        {"pool", "Retrieval pool size, 10 to " + QString::number(MaxRetrievalPoolImages) + ".", "N", "5000"});
    parser.addOption({"k", "Retrieval k.", "k", "5"});
    parser.addOption({"only-generator",
        "Run only this generator's stages (0-based) and skip the table, so several "
        "processes can share one study folder.",
        "I", "-1"});
    parser.addOption({"table",
        "Compute nothing: print the table of the runs finished so far (a long study's interim "
        "result)."});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"out", "Study folder.", "dir"});
    parser.addOption({"json", "Print every run's scores as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    LatentStudyConfig config;
    config.tableOnly = parser.isSet("table");
    config.rescoringOnly = parser.isSet("rescoring-only");
    config.sreBackbone = parser.value("sre-backbone").toStdString();
    for (const QString &path : parser.values("generator"))
        config.generators.push_back(QFileInfo(path).absoluteFilePath().toStdString());
    config.methods.clear();
    for (const QString &method : parser.value("methods").split(',', Qt::SkipEmptyParts))
        config.methods.push_back(method.trimmed().toStdString());
    SettingOptions options(parser);
    options.number("seeds", config.seeds);
    options.number("count", config.directionCount);
    options.number("voynov-steps", config.voynovSteps);
    options.number("sre-steps", config.sreSteps);
    options.number("sre-lr", config.sreLearningRate);
    options.number("sre-range", config.sreRange);
    options.number("snapshot-every", config.sreSnapshotEvery);
    options.number("eval-images", config.evaluationImages);
    options.number("eval-epochs", config.evaluationEpochs);
    options.number("mig-points", config.migPoints);
    options.number("dci-points", config.dciPoints);
    options.number("pool", config.retrievalPool);
    options.number("k", config.retrievalK);
    options.number("only-generator", config.onlyGenerator);
    if (!options.ok())
        return options.failure();
    if (parser.isSet("out"))
        config.outDir = QFileInfo(parser.value("out")).absoluteFilePath().toStdString();
    try {
        config.validate();
    } catch (const std::invalid_argument &error) {
        return fail(UsageError, QString::fromUtf8(error.what()));
    }
    const OutputFolder folder(QString::fromStdString(config.outDir));
    if (!folder.problem().isEmpty())
        return fail(UsageError, folder.problem());
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        const auto result = runLatentStudy(config, stderrProgress("study"));
        std::fprintf(stderr, "\n");
        if (parser.isSet("json")) {
            QJsonArray cells;
            for (const auto &cell : result.cells) {
                QJsonArray runs;
                for (const auto &run : cell.runs)
                    runs.append(scoresJson(run));
                cells.append(QJsonObject {
                    {"method", QString::fromStdString(cell.method)}, {"refined", cell.refined}, {"runs", runs}});
            }
            std::printf(
                "%s\n", QJsonDocument(QJsonObject {{"cells", cells}}).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s", result.tableMarkdown.c_str());
        }
        return Success;
    });
}

int runEvaluateCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Score direction files on a Sprites or Scenes generator: the paper's protocol (encoder distilled from "
        "generated "
        "images, then MIG, DCI D/C/I, FactorVAE and beta-VAE on rendered images) and the rescoring matrix, each beside "
        "its noise floor. With --oracle, check the measurement itself: one-factor renderer edits rescored by the "
        "factor reader must give a diagonal matrix (exit 1 when the diagonal is not 10x the off-diagonal).");
    parser.addHelpOption();
    parser.addOption({"oracle", "Run the renderer sanity check of the rescoring (no generator)."});
    parser.addOption({"dataset", "World of the renderer check: scenes.", "name", "scenes"});
    parser.addOption({"resolution", "Resolution of the renderer check.", "px", "64"});
    parser.addOption({"samples", "Scenes per edit in the renderer check.", "N", QString::number(RescoringSamples)});
    parser.addOption({"generator", "The generator the directions belong to.", "path"});
    parser.addOption({"directions", "A directions.json (repeat to compare several on the same protocol run).", "path"});
    parser.addOption(
        {"images", "Images the encoder is distilled from, 2 to " + QString::number(MaxDistillationImages) + ".", "N",
            QString::number(DistillationImages)});
    parser.addOption({"epochs", "Encoder epochs (at most).", "N", "20"});
    parser.addOption({"seed", "Evaluation seed.", "S", "0"});
    parser.addOption(
        {"encoder", "Save the (first set's) distilled encoder here (a score file for retrieval).", "path"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"json", "Print the results as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (parser.isSet("oracle")) {
        configureComputeThread(threadsOption(parser));
        return runOracleCheck(parser);
    }
    if (!parser.isSet("generator") || !parser.isSet("directions"))
        return fail(UsageError, "--generator PATH and --directions PATH are required");
    const std::string generator = QFileInfo(parser.value("generator")).absoluteFilePath().toStdString();
    EvaluationOptions options;
    SettingOptions numbers(parser);
    numbers.number("images", options.images);
    numbers.number("epochs", options.epochs);
    numbers.number("seed", options.seed);
    if (!numbers.ok())
        return numbers.failure();
    if (parser.isSet("encoder"))
        if (const QString problem = outputFileProblem(
                "encoder", parser.value("encoder"), parser.values("directions") << parser.value("generator"));
            !problem.isEmpty())
            return fail(UsageError, problem);
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        options.validate();
        std::vector<EvaluationJob> jobs;
        for (const QString &path : parser.values("directions")) {
            const std::string file = QFileInfo(path).absoluteFilePath().toStdString();
            jobs.push_back({loadDirectionSet(file),
                jobs.empty() && parser.isSet("encoder")
                    ? QFileInfo(parser.value("encoder")).absoluteFilePath().toStdString()
                    : std::string(),
                file});
        }
        const auto evaluations = evaluateDirectionSets(generator, jobs, options, stderrProgress("evaluat"));
        std::fprintf(stderr, "\n");
        QJsonArray results;
        for (std::size_t j = 0; j < evaluations.size(); ++j) {
            const auto rescoring = rescoreDirections(generator, jobs[j].directions);
            const std::string summary = formatEvaluationSummary(evaluations[j]);
            char line[400];
            std::snprintf(line, sizeof line,
                "rescoring: spill-over %.3f (floor %.3f), on-target %.3f (floor %.3f); authors' matched (+eps): "
                "diagonal %s (floor %.3f), off-diagonal %s (floor %.3f)",
                rescoring.summary.meanSpillOver, rescoring.floor.meanSpillOver, rescoring.summary.meanOnTarget,
                rescoring.floor.meanOnTarget, rescoring.authors.diagonal.format().c_str(),
                rescoring.authorsFloor.diagonal.mean, rescoring.authors.offDiagonal.format().c_str(),
                rescoring.authorsFloor.offDiagonal.mean);
            if (parser.isSet("json")) {
                results.append(QJsonObject {{"directions", QString::fromStdString(jobs[j].directionsPath)},
                    {"mig", evaluations[j].mig.mig}, {"migFloor", evaluations[j].migFloor.mig},
                    {"dciD", evaluations[j].dci.disentanglement}, {"dciC", evaluations[j].dci.completeness},
                    {"dciI", evaluations[j].dci.informativeness}, {"factorVae", evaluations[j].factorVae.evalAccuracy},
                    {"betaVae", evaluations[j].betaVae.evalAccuracy}, {"spillOver", rescoring.summary.meanSpillOver},
                    {"spillOverFloor", rescoring.floor.meanSpillOver},
                    {"authorsDiagonal", intervalJson(rescoring.authors.diagonal)},
                    {"authorsOffDiagonal", intervalJson(rescoring.authors.offDiagonal)},
                    {"authorsDiagonalFloor", rescoring.authorsFloor.diagonal.mean},
                    {"authorsOffDiagonalFloor", rescoring.authorsFloor.offDiagonal.mean},
                    {"summary", QString::fromStdString(summary)}});
            } else {
                std::printf("%s\n  %s\n  %s\n", jobs[j].directionsPath.c_str(), summary.c_str(), line);
            }
        }
        if (parser.isSet("json"))
            std::printf("%s\n", QJsonDocument(results).toJson(QJsonDocument::Compact).constData());
        return Success;
    });
}

int runLabelCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Rescore each direction on the generator's ground-truth world (Sprites or Scenes: the mean change of every "
        "factor at +-1.5 sigma, read by the factor reader) and rename it after the factor it moves most compared with "
        "random orthonormal directions, with that multiple (\"wall hue 6.7x\": 6.7 times what a random direction "
        "moves the wall hue); the old name is kept in the note. The matrix, the random-direction floor and the "
        "authors' intervals are stored in the file, and the app shows them for these weights without measuring "
        "again.");
    parser.addHelpOption();
    parser.addOption({"generator", "The generator the directions belong to.", "path"});
    parser.addOption({"directions", "A directions.json (or the run folder holding it).", "path"});
    parser.addOption({"out", "Where to write the labelled set (may be the input file itself).", "file"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"json", "Print the labels and the matrix as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("generator") || !parser.isSet("directions") || !parser.isSet("out"))
        return fail(UsageError, "--generator PATH, --directions PATH and --out FILE are required");
    const std::string generator = QFileInfo(parser.value("generator")).absoluteFilePath().toStdString();
    const std::string out = QFileInfo(parser.value("out")).absoluteFilePath().toStdString();
    // Before the rescoring (seconds to minutes): a folder or a missing folder fails the write only at the end.
    // In place over the set it labels is allowed; over the generator or another run's file it is not.
    QString labelled = parser.value("directions");
    try {
        labelled = QString::fromStdString(directionsFileOf(labelled.toStdString()));
    } catch (const std::exception &) {
        // a folder without directions.json: the load below says so
    }
    if (const QString problem = outputFileProblem("out", parser.value("out"), {parser.value("generator")}, labelled);
        !problem.isEmpty())
        return fail(UsageError, problem);
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        const auto set = loadDirectionSet(directionsFileOf(parser.value("directions").toStdString()));
        const auto rescoring = rescoreDirections(generator, set); // refuses a set found on another kind of generator
        auto labelled = labelledByFactors(
            set, rescoring.magnitude, rescoring.factorNames, randomDirectionFloor(rescoring.floorMagnitude));
        if (labelled.generatorChannels == 0 || labelled.generatorFingerprint.empty()) {
            // an older file: record what its generator draws, and which weights, from now on
            const GeneratorInfo info = LatentRenderer(generator).info();
            labelled.generatorChannels = info.channels;
            labelled.generatorResolution = info.resolution;
            labelled.generatorFingerprint = info.fingerprint;
        }
        // The measurement itself goes with the names, so the app shows this attribution on these weights instead of
        // measuring a smaller one of its own at launch (directionset.h: StoredAttribution).
        labelled.attribution.samples = rescoring.samples;
        labelled.attribution.factorNames = rescoring.factorNames;
        labelled.attribution.magnitude = rescoring.magnitude;
        labelled.attribution.randomFloor = randomDirectionFloor(rescoring.floorMagnitude);
        labelled.attribution.authorsDiagonal = rescoring.authors.diagonal;
        labelled.attribution.authorsOffDiagonal = rescoring.authors.offDiagonal;
        saveDirectionSet(labelled, out);
        if (parser.isSet("json")) {
            QJsonArray rows;
            for (int k = 0; k < labelled.count(); ++k) {
                QJsonArray cells;
                for (int f = 0; f < rescoring.magnitude.cols; ++f)
                    cells.append(rescoring.magnitude.at(k, f));
                rows.append(QJsonObject {
                    {"name", QString::fromStdString(labelled.directions[std::size_t(k)].name)}, {"cells", cells}});
            }
            QJsonArray factors;
            for (const auto &name : rescoring.factorNames)
                factors.append(QString::fromStdString(name));
            std::printf("%s\n",
                QJsonDocument(QJsonObject {{"world", QString::fromStdString(rescoring.world)}, {"factors", factors},
                                  {"directions", rows}, {"out", QString::fromStdString(out)}})
                    .toJson(QJsonDocument::Compact)
                    .constData());
        } else {
            std::printf("%s\n", rescoring.report().c_str());
            for (const auto &direction : labelled.directions)
                std::printf("%-24s (%s)\n", direction.name.c_str(), direction.note.c_str());
            std::printf("wrote %s\n", out.c_str());
        }
        return Success;
    });
}

} // namespace untangle::cli
