// The built-in style GAN's run folder (ganrunner.h) on a tiny Sprites GAN: every file it promises, the scorer's say
// in which snapshot becomes generator.pt, a stopped and resumed run that reproduces an uninterrupted one bit for
// bit, and clear errors (bad config, mismatched resume, occupied folder, truncated checkpoint) that leave the
// folder as it was.
#include "dataerror.h"

#include "dataerrorof.h"
#include "datalocations.h"
#include "directions/directionfinder.h"
#include "gan/ganrunner.h"
#include "selfcheck/latentselfcheck.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <filesystem>

using namespace untangle;
using untangle::test::dataErrorOf;

namespace {

constexpr int Resolution = 32;
constexpr int GridSide = 8 * Resolution + 7 * 2; // 8 x 8 tiles of 32 px with 2-px gaps

/** A GAN that trains in a fraction of a second: narrow networks, 8 images per batch. */
GanConfig tinyConfig(int iterations)
{
    GanConfig config;
    config.resolution = Resolution;
    config.iterations = iterations;
    config.batch = 8;
    config.learningRate = 1e-3;
    config.sampleEvery = 3;
    config.checkpointEvery = 2;
    config.seed = 5;
    config.latentSize = 8;
    config.styleSize = 8;
    config.mappingLayers = 2;
    config.baseChannels = 8;
    config.minChannels = 4;
    config.discriminatorChannels = 4;
    return config;
}

QByteArray bytesOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable " + path.toUtf8() + ">");
}

/** Every file under dir (relative path -> SHA-1), to show an error left a folder exactly as it was. */
QMap<QString, QByteArray> folderDigest(const QString &dir)
{
    QMap<QString, QByteArray> digest;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (it.fileName() == ".untangle.lock")
            continue; // names whoever held the folder last: bookkeeping, not the run's content
        digest[QDir(dir).relativeFilePath(path)] = QCryptographicHash::hash(bytesOf(path), QCryptographicHash::Sha1);
    }
    return digest;
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : bytesOf(path).split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

/** metrics.jsonl without wall-clock fields, for comparing two runs. */
QList<QJsonObject> metricsWithoutTimes(const QString &path)
{
    auto lines = jsonLines(path);
    for (auto &line : lines)
        line.remove("secondsPerIteration");
    return lines;
}

int iterationOfSnapshot(const std::string &path)
{
    const auto name = std::filesystem::path(path).stem().string(); // iter-000004
    return std::stoi(name.substr(name.find('-') + 1));
}

template <typename Call> std::string invalidArgumentOf(Call call)
{
    try {
        call();
    } catch (const std::invalid_argument &error) {
        return error.what();
    } catch (const std::exception &error) {
        return std::string("wrong exception type: ") + error.what();
    }
    return "no exception";
}

} // namespace

class TstGanRunner : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString runDir(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void tinyRunWritesEveryFile()
    {
        const QString dir = runDir("plain");
        const GanConfig config = tinyConfig(6);
        int grids = 0, logs = 0;
        QList<int> checkpoints, selected;
        GanCallbacks callbacks;
        callbacks.samples = [&](int, const ImageU8 &grid) {
            ++grids;
            QCOMPARE(grid.width, GridSide);
            QCOMPARE(grid.height, GridSide);
            QCOMPARE(grid.channels, 1);
        };
        callbacks.logged = [&](const GanLog &log) {
            ++logs;
            QVERIFY(std::isfinite(log.lossD) && std::isfinite(log.lossG));
        };
        callbacks.checkpointed = [&](const GanCheckpoint &checkpoint) {
            checkpoints << checkpoint.iteration;
            if (checkpoint.selected)
                selected << checkpoint.iteration;
            QVERIFY(checkpoint.styleStdRatio >= 1.0);
        };
        QElapsedTimer timer;
        timer.start();
        const GanResult result = trainGan(config, callbacks, dir.toStdString());
        qInfo("6 tiny GAN iterations with 3 checkpoints: %lld ms", timer.elapsed());

        QCOMPARE(result.iterations, 6);
        QVERIFY(!result.stopped);
        QCOMPARE(checkpoints, (QList<int> {2, 4, 6}));
        QCOMPARE(selected, (QList<int> {2, 4, 6})); // without a scorer the latest checkpoint wins
        QCOMPARE(result.selectedIteration, 6);
        QCOMPARE(grids, 2); // iterations 3 and 6
        QCOMPARE(logs, 2);
        QVERIFY(std::isfinite(result.styleStdRatio) && result.styleStdRatio >= 1.0);
        QCOMPARE(QString::fromStdString(result.generatorPath), QDir(dir).filePath("generator.pt"));

        // config.json holds the settings (what resume compares) and the iteration count.
        const QJsonObject saved = QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object();
        QCOMPARE(saved["iterations"].toInt(), 6);
        QCOMPARE(saved["batch"].toInt(), 8);
        QCOMPARE(saved["baseChannels"].toInt(), 8);
        QCOMPARE(saved["sprites"].toBool(), true);

        const QStringList expected {".untangle-run", "config.json", "metrics.jsonl", "checkpoint.pt", "generator.pt",
            "samples.png", "samples/iter-000003.png", "samples/iter-000006.png", "snapshots/iter-000002.pt",
            "snapshots/iter-000004.pt", "snapshots/iter-000006.pt"};
        auto files = folderDigest(dir).keys();
        std::sort(files.begin(), files.end());
        QStringList sortedExpected = expected;
        std::sort(sortedExpected.begin(), sortedExpected.end());
        QCOMPARE(files, sortedExpected);

        // The latest snapshot is generator.pt, byte for byte, and it is a working 32 x 32 one-channel generator.
        QCOMPARE(bytesOf(QDir(dir).filePath("generator.pt")), bytesOf(QDir(dir).filePath("snapshots/iter-000006.pt")));
        QVERIFY(bytesOf(QDir(dir).filePath("snapshots/iter-000002.pt"))
            != bytesOf(QDir(dir).filePath("snapshots/iter-000006.pt")));
        const auto pixels = selfcheck::renderFromGenerator(result.generatorPath, 2, 1);
        QCOMPARE(int(pixels.size()), 2 * 1 * Resolution * Resolution);
        for (float v : pixels)
            QVERIFY(v >= -1.0f && v <= 1.0f);

        // Sample grids: 8 x 8 tiles of 32 px, grey; samples.png is the latest one.
        for (const char *name : {"samples.png", "samples/iter-000003.png", "samples/iter-000006.png"}) {
            const cv::Mat grid = cv::imread(QDir(dir).filePath(name).toStdString(), cv::IMREAD_UNCHANGED);
            QVERIFY2(!grid.empty(), name);
            QCOMPARE(grid.cols, GridSide);
            QCOMPARE(grid.rows, GridSide);
            QCOMPARE(grid.channels(), 1);
        }
        QCOMPARE(bytesOf(QDir(dir).filePath("samples.png")), bytesOf(QDir(dir).filePath("samples/iter-000006.png")));

        // metrics.jsonl: a loss line per logged iteration and a line per checkpoint, in order.
        const auto metrics = jsonLines(QDir(dir).filePath("metrics.jsonl"));
        QList<int> iterations, checkpointLines;
        for (const auto &line : metrics) {
            iterations << line["iteration"].toInt();
            if (line["checkpoint"].toBool())
                checkpointLines << line["iteration"].toInt();
            else
                QVERIFY(line.contains("lossD") && line.contains("lossG") && line.contains("realScore"));
        }
        QCOMPARE(iterations, (QList<int> {2, 3, 4, 6, 6}));
        QCOMPARE(checkpointLines, (QList<int> {2, 4, 6}));
    }

    void scorerDecidesWhichSnapshotIsTheGenerator()
    {
        // Prefers the earliest checkpoint: generator.pt must stay the first snapshot even though later ones exist.
        const QString early = runDir("earliest");
        QList<int> scored;
        GanCallbacks callbacks;
        callbacks.scoreGenerator = [&](const std::string &path, std::string &summary) {
            // The candidate is a complete generator file when the scorer sees it.
            if (selfcheck::renderFromGenerator(path, 1, 0).size() != std::size_t(Resolution * Resolution))
                return -1e9;
            const int iteration = iterationOfSnapshot(path);
            scored << iteration;
            summary = "earliest is best (" + std::to_string(iteration) + ")";
            return -double(iteration);
        };
        const GanResult result = trainGan(tinyConfig(6), callbacks, early.toStdString());
        QCOMPARE(scored, (QList<int> {2, 4, 6}));
        QCOMPARE(result.selectedIteration, 2);
        QCOMPARE(result.selectedScore, -2.0);
        QCOMPARE(result.selectedSummary, std::string("earliest is best (2)"));
        QCOMPARE(
            bytesOf(QDir(early).filePath("generator.pt")), bytesOf(QDir(early).filePath("snapshots/iter-000002.pt")));
        QVERIFY(
            bytesOf(QDir(early).filePath("generator.pt")) != bytesOf(QDir(early).filePath("snapshots/iter-000006.pt")));
        QList<int> selectedLines;
        for (const auto &line : jsonLines(QDir(early).filePath("metrics.jsonl")))
            if (line["selected"].toBool())
                selectedLines << line["iteration"].toInt();
        QCOMPARE(selectedLines, QList<int> {2});

        // Prefers the middle one: selection moves 2 -> 4 and then stays.
        const QString middle = runDir("middle");
        callbacks.scoreGenerator = [](const std::string &path, std::string &) {
            const int iteration = iterationOfSnapshot(path);
            return -double((iteration - 4) * (iteration - 4));
        };
        const GanResult second = trainGan(tinyConfig(6), callbacks, middle.toStdString());
        QCOMPARE(second.selectedIteration, 4);
        QCOMPARE(
            bytesOf(QDir(middle).filePath("generator.pt")), bytesOf(QDir(middle).filePath("snapshots/iter-000004.pt")));
    }

    void stoppedAndResumedRunEqualsUninterruptedRun()
    {
        // With one thread every step is deterministic; data and latents depend only on (seed, iteration).
        GanCallbacks scoring;
        scoring.scoreGenerator = [](const std::string &path, std::string &summary) {
            const int iteration = iterationOfSnapshot(path);
            summary = "picked at " + std::to_string(iteration);
            return iteration <= 2 ? 1.0 : 0.0; // selected before the interruption: resume must remember it
        };
        const GanConfig config = tinyConfig(8);
        const QString whole = runDir("whole");
        const GanResult uninterrupted = trainGan(config, scoring, whole.toStdString());
        QCOMPARE(uninterrupted.selectedIteration, 2);

        const QString pieces = runDir("pieces");
        GanCallbacks stopping = scoring;
        int reports = 0;
        stopping.progress = [&](double, const std::string &) { return ++reports < 5; }; // stop after iteration 5
        const GanResult stopped = trainGan(config, stopping, pieces.toStdString());
        QVERIFY(stopped.stopped);
        QCOMPARE(reports, 5);
        QCOMPARE(stopped.iterations, 5); // a stop writes the checkpoint of the last finished iteration
        QVERIFY(!QFile::exists(QDir(pieces).filePath("snapshots/iter-000006.pt")));

        const GanResult resumed = trainGan(config, scoring, pieces.toStdString(), true);
        QVERIFY(!resumed.stopped);
        QCOMPARE(resumed.iterations, 8);
        QCOMPARE(resumed.selectedIteration, uninterrupted.selectedIteration);
        QCOMPARE(resumed.selectedScore, uninterrupted.selectedScore);
        QCOMPARE(resumed.selectedSummary, uninterrupted.selectedSummary);
        QCOMPARE(bytesOf(QDir(pieces).filePath("generator.pt")), bytesOf(QDir(whole).filePath("generator.pt")));
        QCOMPARE(selfcheck::generatorChecksum(QDir(pieces).filePath("snapshots/iter-000008.pt").toStdString()),
            selfcheck::generatorChecksum(QDir(whole).filePath("snapshots/iter-000008.pt").toStdString()));
        QCOMPARE(bytesOf(QDir(pieces).filePath("snapshots/iter-000008.pt")),
            bytesOf(QDir(whole).filePath("snapshots/iter-000008.pt")));
        QCOMPARE(bytesOf(QDir(pieces).filePath("samples.png")), bytesOf(QDir(whole).filePath("samples.png")));
        // The resumed run's metrics replace what came after the checkpoint: the same lines, the same losses.
        QCOMPARE(metricsWithoutTimes(QDir(pieces).filePath("metrics.jsonl")),
            metricsWithoutTimes(QDir(whole).filePath("metrics.jsonl")));
    }

    void stopBeforeTheFirstCheckpointKeepsTheRun()
    {
        // Closing the window at iteration ~150 of a 500-iteration checkpoint interval used to leave nothing.
        GanConfig config = tinyConfig(8);
        config.checkpointEvery = 100;
        const QString dir = runDir("early-stop");
        GanCallbacks stopping;
        int reports = 0;
        stopping.progress = [&](double, const std::string &) { return ++reports < 3; }; // stop after iteration 3
        const GanResult stopped = trainGan(config, stopping, dir.toStdString());
        QVERIFY(stopped.stopped);
        QCOMPARE(stopped.iterations, 3);
        QVERIFY(QFile::exists(QDir(dir).filePath("checkpoint.pt")));
        QVERIFY(QFile::exists(QDir(dir).filePath("generator.pt"))); // something to open in the explorer
        QVERIFY(!QFile::exists(QDir(dir).filePath("snapshots/iter-000003.pt"))); // not a scored checkpoint
        // Nothing was selected, and the result says so rather than reporting a sentinel score.
        QVERIFY(!stopped.selected);
        QCOMPARE(stopped.selectedIteration, 0);
        QCOMPARE(stopped.selectedScore, 0.0);

        // It resumes from there, and its first real checkpoint becomes the run's generator.
        const GanResult resumed = trainGan(config, {}, dir.toStdString(), true);
        QVERIFY(!resumed.stopped);
        QCOMPARE(resumed.iterations, 8);
        QVERIFY(resumed.selected);
        QCOMPARE(resumed.selectedIteration, 8);
        QCOMPARE(bytesOf(QDir(dir).filePath("generator.pt")), bytesOf(QDir(dir).filePath("snapshots/iter-000008.pt")));
    }

    void resumeMayGrowTheIterations()
    {
        const QString dir = runDir("grown");
        trainGan(tinyConfig(4), {}, dir.toStdString());
        const GanResult grown = trainGan(tinyConfig(8), {}, dir.toStdString(), true);
        QCOMPARE(grown.iterations, 8);
        QCOMPARE(QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object()["iterations"].toInt(), 8);
        // Training does not depend on the planned length: the same weights as eight iterations in one go.
        QCOMPARE(bytesOf(QDir(dir).filePath("snapshots/iter-000008.pt")),
            bytesOf(runDir("whole") + "/snapshots/iter-000008.pt"));
    }

    void resumeWithOtherSettingsNamesTheDifference()
    {
        const QString dir = runDir("plain");
        const auto before = folderDigest(dir);
        GanConfig other = tinyConfig(6);
        other.batch = 12;
        const QString message = dataErrorOf([&] { trainGan(other, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("different settings"), qPrintable(message));
        QVERIFY2(message.contains("batch"), qPrintable(message));
        QVERIFY2(!message.contains("seed"), qPrintable(message)); // only what differs
        QCOMPARE(folderDigest(dir), before);

        const QString empty = runDir("never-ran");
        QDir().mkpath(empty);
        const QString missing = dataErrorOf([&] { trainGan(tinyConfig(6), {}, empty.toStdString(), true); });
        QVERIFY2(missing.contains("no run to resume"), qPrintable(missing)); // says why, before touching anything
    }

    void readGanConfigRefusesWhatIsNotARun()
    {
        const QString empty = runDir("no-config");
        QDir().mkpath(empty);
        QVERIFY(dataErrorOf([&] { readGanConfig(empty.toStdString()); }).contains("not a GAN run folder"));
        const QString bad = runDir("bad-config");
        QDir().mkpath(bad);
        for (const QByteArray &text :
            {QByteArray("not json"), QByteArray("{\"sprites\": true}"),
                QByteArray(
                    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
                QByteArray("{\"sprites\": true, \"resolution\": -4}")}) {
            QFile file(QDir(bad).filePath("config.json"));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(text);
            file.close();
            const QString message = dataErrorOf([&] { readGanConfig(bad.toStdString()); });
            QVERIFY2(message.contains("config.json"), qPrintable(message));
        }
    }

    void secondRunIntoAnOccupiedFolderIsRefused()
    {
        const QString dir = runDir("plain");
        const auto before = folderDigest(dir);
        const QString message = dataErrorOf([&] { trainGan(tinyConfig(6), {}, dir.toStdString()); });
        QVERIFY2(message.contains("already holds a GAN run"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
    }

    void truncatedCheckpointIsADataErrorAndTouchesNothing()
    {
        const QString dir = runDir("truncated");
        trainGan(tinyConfig(4), {}, dir.toStdString());
        QFile checkpoint(QDir(dir).filePath("checkpoint.pt"));
        const QByteArray full = bytesOf(checkpoint.fileName());
        QVERIFY(checkpoint.open(QIODevice::WriteOnly | QIODevice::Truncate));
        checkpoint.write(full.left(full.size() / 2));
        checkpoint.close();
        const auto before = folderDigest(dir);
        // Growing the iterations as a user would when resuming: config.json must not be rewritten before the
        // checkpoint proved readable.
        const QString message = dataErrorOf([&] { trainGan(tinyConfig(8), {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("checkpoint.pt"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
    }

    void twoConvsPerStageTrainAndOneKeepsTheOlderFileFormat()
    {
        // StyleGAN's stage: a second 3x3 conv at each stage's own resolution from 8 x 8 on.
        GanConfig config = tinyConfig(2);
        config.convsPerStage = 2;
        const QString dir = runDir("two-convs");
        const GanResult result = trainGan(config, {}, dir.toStdString());
        QCOMPARE(result.iterations, 2);
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        // 32 px: stages 4, 8, 16 and 32, so 1 + 3 x 2 convolutions, and the 8th stored value says so.
        QCOMPARE(selfcheck::styleGeneratorConvCount(generator), 7);
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 8);
        QCOMPARE(values.back(), std::int64_t(2));
        const auto pixels = selfcheck::renderFromGenerator(generator, 2, 3);
        QCOMPARE(int(pixels.size()), 2 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        QCOMPARE(
            QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object()["convsPerStage"].toInt(), 2);
        QCOMPARE(readGanConfig(dir.toStdString()).convsPerStage, 2);
        // Resuming it with one conv names the setting and changes nothing.
        const auto before = folderDigest(dir);
        GanConfig one = tinyConfig(4);
        const QString message = dataErrorOf([&] { trainGan(one, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("convsPerStage"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);

        // One conv per stage writes exactly the 7 values (and config.json keys) of files from before the option.
        const QString plain = runDir("one-conv");
        trainGan(tinyConfig(2), {}, plain.toStdString());
        const std::string plainGenerator = QDir(plain).filePath("generator.pt").toStdString();
        QCOMPARE(int(selfcheck::styleGeneratorConfigValues(plainGenerator).size()), 7);
        QCOMPARE(selfcheck::styleGeneratorConvCount(plainGenerator), 4);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(plain + "/config.json")).object().contains("convsPerStage"));
        QCOMPARE(readGanConfig(plain.toStdString()).convsPerStage, 1);

        // The FLOP bound counts the extra convolutions: per stage from 8 x 8 on, pixels x 9 x 4 x 4 + style 8 x 4
        // (channels 8 >> stage, at least 4), over 64 + 256 + 1024 pixels; 2 FLOPs per multiply-accumulate.
        const double extraMacs = (64 + 256 + 1024) * 9.0 * 4 * 4 + 3 * 8.0 * 4;
        QCOMPARE(ganGeneratorFlops(config) - ganGeneratorFlops(tinyConfig(2)), 2.0 * extraMacs);

        GanConfig three = tinyConfig(2);
        three.convsPerStage = 3;
        const std::string refused = invalidArgumentOf([&] { three.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("convolutions per stage"), refused.c_str());
    }

    void r1PenaltyIsLazyAndRecorded()
    {
        // R1 acts every 16th iteration only: 15 iterations with it equal 15 without it to the bit; the 16th differs.
        GanConfig plain = tinyConfig(16);
        plain.checkpointEvery = 15;
        GanConfig r1 = plain;
        r1.r1Gamma = 10.0;
        const QString without = runDir("r1-off"), with = runDir("r1-on");
        trainGan(plain, {}, without.toStdString());
        trainGan(r1, {}, with.toStdString());
        QCOMPARE(bytesOf(with + "/snapshots/iter-000015.pt"), bytesOf(without + "/snapshots/iter-000015.pt"));
        QVERIFY(bytesOf(with + "/snapshots/iter-000016.pt") != bytesOf(without + "/snapshots/iter-000016.pt"));
        // The penalty is logged on its iteration: a positive mean squared gradient norm.
        int logged = 0;
        for (const QJsonObject &line : jsonLines(with + "/metrics.jsonl"))
            if (line.contains("r1Penalty")) {
                QCOMPARE(line["iteration"].toInt(), 16);
                QVERIFY(line["r1Penalty"].toDouble() > 0);
                ++logged;
            }
        QCOMPARE(logged, 1);
        for (const QJsonObject &line : jsonLines(without + "/metrics.jsonl"))
            QVERIFY(!line.contains("r1Penalty"));
        QCOMPARE(readGanConfig(with.toStdString()).r1Gamma, 10.0);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(without + "/config.json")).object().contains("r1Gamma"));
        r1.r1Gamma = -1.0;
        const std::string refused = invalidArgumentOf([&] { r1.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("R1 gamma"), refused.c_str());
    }

    void styledInputTrainsIsRecordedAndGrows()
    {
        // w also feeds the 4 x 4 input through a linear map. The file then stores a 9th config value (older files
        // keep 7), the run records it, SeFa factorises it, and a 32 px run grows into a 64 px one of the same kind
        // but not into one without it.
        GanConfig config = tinyConfig(2);
        config.styledInput = true;
        const QString dir = runDir("styled-input");
        trainGan(config, {}, dir.toStdString());
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 9);
        QCOMPARE(values[7], std::int64_t(1)); // one conv per stage
        QCOMPARE(values[8], std::int64_t(1));
        QVERIFY(readGanConfig(dir.toStdString()).styledInput);
        const auto pixels = selfcheck::renderFromGenerator(generator, 3, 2);
        QCOMPARE(int(pixels.size()), 3 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        DirectionsRequest sefa;
        sefa.generatorPath = generator;
        sefa.count = 4;
        QCOMPARE(int(findDirections(sefa).directions.size()), 4);
        // SeFa's A gains the input's 4 x 4 x 8 rows (8 channels at 4 x 4) over a generator without it.
        const QString plainRun = runDir("styled-input-control");
        trainGan(tinyConfig(2), {}, plainRun.toStdString());
        QCOMPARE(selfcheck::sefaWeightRows(generator),
            selfcheck::sefaWeightRows(QDir(plainRun).filePath("generator.pt").toStdString()) + 16 * 8);

        GanConfig grown = config;
        grown.resolution = 64;
        grown.growFrom = generator;
        trainGan(grown, {}, runDir("styled-input-64").toStdString());
        QCOMPARE(selfcheck::styleGeneratorConfigValues(runDir("styled-input-64/generator.pt").toStdString()).size(),
            std::size_t(9));
        GanConfig plain = grown;
        plain.styledInput = false;
        const QString message = dataErrorOf([&] { trainGan(plain, {}, runDir("styled-input-plain").toStdString()); });
        QVERIFY2(message.contains("styled input"), qPrintable(message));
    }

    void proGanSynthesisTrainsIsRecordedAndDoesNotGrow()
    {
        // ProGAN's synthesis with StyleGAN2's logistic loss: the file stores a 10th config value, the run records
        // both settings, the images are finite and in range, SeFa factorises the input map alone (4 x 4 x 8 rows), and
        // the run differs from a style-synthesis run of the same seed. Growth, built for modulated convolutions,
        // refuses it; resuming with the other loss names the setting.
        GanConfig config = tinyConfig(4);
        config.synthesis = GanConfig::Synthesis::ProGan;
        config.loss = GanConfig::Loss::Logistic;
        config.convsPerStage = 2;
        const QString dir = runDir("progan");
        trainGan(config, {}, dir.toStdString());
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 10);
        QCOMPARE(values[7], std::int64_t(2)); // convolutions per stage
        QCOMPARE(values[8], std::int64_t(0)); // no styled input
        QCOMPARE(values[9], std::int64_t(1)); // ProGAN
        const auto json = QJsonDocument::fromJson(bytesOf(dir + "/config.json")).object();
        QCOMPARE(json["synthesis"].toString(), QString("progan"));
        QCOMPARE(json["loss"].toString(), QString("logistic"));
        const GanConfig read = readGanConfig(dir.toStdString());
        QVERIFY(read.synthesis == GanConfig::Synthesis::ProGan && read.loss == GanConfig::Loss::Logistic);
        const auto pixels = selfcheck::renderFromGenerator(generator, 3, 2);
        QCOMPARE(int(pixels.size()), 3 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        QCOMPARE(selfcheck::sefaWeightRows(generator), 16 * 8);
        DirectionsRequest sefa;
        sefa.generatorPath = generator;
        sefa.count = 4;
        QCOMPARE(int(findDirections(sefa).directions.size()), 4);

        GanConfig style = config;
        style.synthesis = GanConfig::Synthesis::Style;
        const QString styleDir = runDir("progan-control");
        trainGan(style, {}, styleDir.toStdString());
        QVERIFY(!QJsonDocument::fromJson(bytesOf(styleDir + "/config.json")).object().contains("synthesis"));
        QVERIFY(selfcheck::renderFromGenerator(generator, 3, 2)
            != selfcheck::renderFromGenerator((styleDir + "/generator.pt").toStdString(), 3, 2));
        GanConfig hinge = config;
        hinge.loss = GanConfig::Loss::Hinge;
        const QString hingeDir = runDir("progan-hinge");
        trainGan(hinge, {}, hingeDir.toStdString());
        QVERIFY(bytesOf(dir + "/snapshots/iter-000004.pt") != bytesOf(hingeDir + "/snapshots/iter-000004.pt"));

        GanConfig grown = config;
        grown.resolution = 64;
        grown.growFrom = generator;
        const QString refused = dataErrorOf([&] { trainGan(grown, {}, runDir("progan-64").toStdString()); });
        QVERIFY2(refused.contains("style synthesis only"), qPrintable(refused));
        QVERIFY(!QDir(runDir("progan-64")).exists()); // refused before the folder is claimed
        const QString message = dataErrorOf([&] {
            GanConfig other = hinge;
            other.iterations = 6;
            trainGan(other, {}, dir.toStdString(), true);
        });
        QVERIFY2(message.contains("loss"), qPrintable(message));
    }

    void hostileGanConfigSettingsAreNamed()
    {
        // config.json is the user's file too: an unknown synthesis or loss, or one of the wrong type, is a DataError.
        const QString dir = runDir("hostile-settings");
        trainGan(tinyConfig(2), {}, dir.toStdString());
        const QString path = dir + "/config.json";
        const QByteArray original = bytesOf(path);
        const QList<QPair<QString, QJsonValue>> edits {
            {"synthesis", QJsonValue("stylegan9")}, {"loss", QJsonValue("wasserstein")}, {"loss", QJsonValue(5)}};
        for (const auto &[key, value] : edits) {
            QJsonObject json = QJsonDocument::fromJson(original).object();
            json[key] = value;
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(json).toJson());
            file.close();
            const QString message = dataErrorOf([&] { readGanConfig(dir.toStdString()); });
            QVERIFY2(message.contains("does not describe a GAN run") && message.contains(key), qPrintable(message));
        }
    }

    void hostileGeneratorConfigValuesAreNamed_data()
    {
        QTest::addColumn<QList<qint64>>("values");
        QTest::addColumn<QString>("named");
        const QList<qint64> tiny {8, 8, 3, 16, 1, 16, 4};
        QTest::newRow("styled-input flag 2") << (tiny + QList<qint64> {1, 2}) << "styled-input flag of 2";
        QTest::newRow("eleven values") << (tiny + QList<qint64> {1, 0, 1, 1}) << "no valid style-generator config";
        QTest::newRow("synthesis 2") << (tiny + QList<qint64> {2, 0, 2}) << "unknown synthesis network 2";
        QTest::newRow("ProGAN with a styled input") << (tiny + QList<qint64> {2, 1, 1}) << "styled input belongs";
        QTest::newRow("six values") << tiny.mid(0, 6) << "no valid style-generator config";
        QTest::newRow("2^32 + 8 latents") << (QList<qint64> {4294967304LL} + tiny.mid(1)) << "out of range";
        QTest::newRow("three convs per stage") << (tiny + QList<qint64> {3}) << "convolutions per stage";
    }

    void hostileGeneratorConfigValuesAreNamed()
    {
        // A built-in generator file is read whole before a network is built: a bad stored setting is a DataError
        // that names it, never a crash or a network of another shape.
        QFETCH(QList<qint64>, values);
        QFETCH(QString, named);
        const std::string file = runDir(QString("hostile-%1.pt").arg(QTest::currentDataTag())).toStdString();
        selfcheck::writeStyleGeneratorWithConfigValues(file, std::vector<std::int64_t>(values.begin(), values.end()));
        const QString message = dataErrorOf([&] { selfcheck::renderFromGenerator(file, 1, 0); });
        QVERIFY2(message.contains(named), qPrintable(message));
    }

    void criticWithoutSpectralNormNeedsR1AndIsRecorded()
    {
        // StyleGAN2's critic: plain layers, the R1 penalty alone keeps it in check. It trains to a different
        // generator than the spectral-norm critic from the same seed, and config.json says which it was.
        GanConfig normed = tinyConfig(4);
        normed.r1Gamma = 1.0;
        GanConfig plain = normed;
        plain.spectralNorm = false;
        const QString withNorm = runDir("critic-sn"), without = runDir("critic-plain");
        trainGan(normed, {}, withNorm.toStdString());
        trainGan(plain, {}, without.toStdString());
        QVERIFY(bytesOf(withNorm + "/snapshots/iter-000004.pt") != bytesOf(without + "/snapshots/iter-000004.pt"));
        QCOMPARE(
            QJsonDocument::fromJson(bytesOf(without + "/config.json")).object()["spectralNorm"].toBool(true), false);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(withNorm + "/config.json")).object().contains("spectralNorm"));
        QVERIFY(!readGanConfig(without.toStdString()).spectralNorm);
        for (float p : selfcheck::renderFromGenerator((without + "/generator.pt").toStdString(), 2, 1))
            QVERIFY(std::isfinite(p));
        // Resuming with the other critic names the setting.
        const QString message = dataErrorOf([&] {
            GanConfig other = normed;
            other.iterations = 6;
            trainGan(other, {}, without.toStdString(), true);
        });
        QVERIFY2(message.contains("spectralNorm"), qPrintable(message));
        plain.r1Gamma = 0.0;
        const std::string refused = invalidArgumentOf([&] { plain.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("R1"), refused.c_str());
    }

    void grownGeneratorFirstDrawsTheSmallerOnesPicturesUpsampled()
    {
        // A random 16 px generator grown to 32 px: the copied stages and the identity start of the new one make it
        // draw nearly what the small one draws, upsampled (the double leaky slope on negative activations is the
        // only difference). A 32 px generator that was not grown is the control: it draws something else.
        const std::string small = runDir("grow-small.pt").toStdString();
        const std::string grown = runDir("grow-grown.pt").toStdString();
        const std::string unrelated = runDir("grow-unrelated.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(small);
        QCOMPARE(selfcheck::growStyleGeneratorFile(small, 32, grown), std::string());
        selfcheck::TinyGenerator control;
        control.resolution = 32;
        control.seed = 2;
        selfcheck::writeRandomStyleGenerator(unrelated, control);
        constexpr int Count = 6;
        const auto smallImages = selfcheck::renderFromGenerator(small, Count, 9);
        const auto upsampled = [&] {
            std::vector<float> out(std::size_t(Count) * 32 * 32);
            for (int n = 0; n < Count; ++n)
                for (int y = 0; y < 32; ++y)
                    for (int x = 0; x < 32; ++x)
                        out[std::size_t(n * 32 + y) * 32 + x] = smallImages[std::size_t(n * 16 + y / 2) * 16 + x / 2];
            return out;
        }();
        const auto correlation = [](const std::vector<float> &a, const std::vector<float> &b) {
            double ma = 0, mb = 0;
            for (std::size_t i = 0; i < a.size(); ++i)
                ma += a[i] / a.size(), mb += b[i] / b.size();
            double ab = 0, aa = 0, bb = 0;
            for (std::size_t i = 0; i < a.size(); ++i)
                ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
            return ab / std::sqrt(aa * bb + 1e-30);
        };
        const double grownCorrelation = correlation(selfcheck::renderFromGenerator(grown, Count, 9), upsampled);
        const double controlCorrelation = correlation(selfcheck::renderFromGenerator(unrelated, Count, 9), upsampled);
        QVERIFY2(grownCorrelation > 0.9, qPrintable(QString::number(grownCorrelation)));
        QVERIFY2(std::abs(controlCorrelation) < 0.5, qPrintable(QString::number(controlCorrelation)));
        QCOMPARE(selfcheck::styleGeneratorConvCount(grown), selfcheck::styleGeneratorConvCount(small) + 1);

        // What does not fit is named, and nothing is written.
        const std::string refused = runDir("grow-refused.pt").toStdString();
        QVERIFY(selfcheck::growStyleGeneratorFile(small, 16, refused).find("not fewer") != std::string::npos);
        selfcheck::TinyGenerator halving; // 64, 32, 16 channels at 4, 8, 16 px: a 32 px stage would have 8
        halving.baseChannels = 64;
        const std::string halvingPath = runDir("grow-halving.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(halvingPath, halving);
        const std::string widths = selfcheck::growStyleGeneratorFile(halvingPath, 32, refused);
        QVERIFY2(widths.find("last stage channels 16") != std::string::npos, widths.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(refused)));
    }

    void runGrownFromASmallerRunRecordsItAndResumesWithoutIt()
    {
        // A 32 px run, then a 64 px run grown from its generator.
        const QString small = runDir("grow-run-32");
        trainGan(tinyConfig(2), {}, small.toStdString());
        const QString copy = runDir("grow-run-32-generator.pt");
        QVERIFY(QFile::copy(small + "/generator.pt", copy));
        GanConfig config = tinyConfig(2);
        config.resolution = 64;
        config.growFrom = copy.toStdString();
        const QString grown = runDir("grow-run-64");
        trainGan(config, {}, grown.toStdString());
        QCOMPARE(QString::fromStdString(readGanConfig(grown.toStdString()).growFrom), copy);
        QCOMPARE(int(selfcheck::renderFromGenerator((grown + "/generator.pt").toStdString(), 1, 0).size()), 64 * 64);
        // Resuming continues from the checkpoint: the smaller file is no longer needed.
        QVERIFY(QFile::remove(copy));
        config.iterations = 4;
        QCOMPARE(trainGan(config, {}, grown.toStdString(), true).iterations, 4);
        // Runs without it keep config.json as before the option.
        QVERIFY(!QJsonDocument::fromJson(bytesOf(small + "/config.json")).object().contains("growFrom"));

        // A file that is missing or does not fit is named before the folder exists.
        GanConfig missing = config;
        missing.growFrom = runDir("no-such-generator.pt").toStdString();
        const QString missingDir = runDir("grow-missing");
        QVERIFY(dataErrorOf([&] { trainGan(missing, {}, missingDir.toStdString()); }).contains("no-such-generator"));
        QVERIFY(!QFileInfo::exists(missingDir));
        GanConfig same = config; // 64 px from 64 px: not smaller
        same.growFrom = (grown + "/generator.pt").toStdString();
        const QString sameDir = runDir("grow-same");
        const QString message = dataErrorOf([&] { trainGan(same, {}, sameDir.toStdString()); });
        QVERIFY2(message.contains("cannot grow from") && message.contains("not fewer"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(sameDir));
        GanConfig foreign = config; // not a generator at all
        foreign.growFrom = (grown + "/config.json").toStdString();
        QVERIFY(!dataErrorOf([&] { trainGan(foreign, {}, runDir("grow-foreign").toStdString()); }).isEmpty());
        QVERIFY(!QFileInfo::exists(runDir("grow-foreign")));
    }

    void badConfigsAreRefusedBeforeAnythingIsWritten_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("resolution");
        QTest::addColumn<double>("learningRate");
        QTest::addColumn<QString>("named");
        QTest::newRow("batch 6") << 6 << 32 << 2e-4 << "batch";
        QTest::newRow("resolution 48") << 8 << 48 << 2e-4 << "resolution";
        QTest::newRow("learning rate 0") << 8 << 32 << 0.0 << "learning rate";
        QTest::newRow("sprites at 16 px") << 8 << 16 << 2e-4 << "32 or 64";
    }

    void badConfigsAreRefusedBeforeAnythingIsWritten()
    {
        QFETCH(int, batch);
        QFETCH(int, resolution);
        QFETCH(double, learningRate);
        QFETCH(QString, named);
        GanConfig config = tinyConfig(2);
        config.batch = batch;
        config.resolution = resolution;
        config.learningRate = learningRate;
        const std::string validated = invalidArgumentOf([&] { config.validate(); });
        QVERIFY2(QString::fromStdString(validated).contains(named), validated.c_str());
        const QString dir = runDir(QString("bad-%1-%2").arg(batch).arg(resolution));
        const std::string trained = invalidArgumentOf([&] { trainGan(config, {}, dir.toStdString()); });
        QCOMPARE(trained, validated);
        QVERIFY(!QFileInfo::exists(dir));
    }

    void datasetGanTrainsOnColouredDigits()
    {
        if (!std::filesystem::exists(mnist10kImagesPath()))
            QSKIP("MNIST-10k is not installed (packaging/fetch-data.sh)");
        GanConfig config = tinyConfig(2);
        config.sprites = false;
        config.dataset.kind = DatasetKind::ColoredMnist10k;
        const QString dir = runDir("cmnist");
        const GanResult result = trainGan(config, {}, dir.toStdString());
        QCOMPARE(result.iterations, 2);
        const cv::Mat grid = cv::imread(QDir(dir).filePath("samples.png").toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(grid.cols, GridSide);
        QCOMPARE(grid.rows, GridSide);
        QCOMPARE(grid.channels(), 3);
        QCOMPARE(int(selfcheck::renderFromGenerator(result.generatorPath, 1, 0).size()), 3 * Resolution * Resolution);
        const QJsonObject saved = QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object();
        QCOMPARE(saved["dataset"].toObject()["kind"].toString(), QString("cmnist10k"));
    }

    void scenesGanStreamsRgbScenes()
    {
        GanConfig config = tinyConfig(2);
        config.sprites = false;
        config.dataset.kind = DatasetKind::Scenes;
        const QString dir = runDir("scenes");
        const GanResult result = trainGan(config, {}, dir.toStdString());
        QCOMPARE(result.iterations, 2);
        const cv::Mat grid = cv::imread(QDir(dir).filePath("samples.png").toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(grid.cols, GridSide);
        QCOMPARE(grid.channels(), 3);
        QCOMPARE(int(selfcheck::renderFromGenerator(result.generatorPath, 1, 0).size()), 3 * Resolution * Resolution);
        const QJsonObject saved = QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object();
        QCOMPARE(saved["dataset"].toObject()["kind"].toString(), QString("scenes"));

        // The run folder describes itself: readGanConfig gives back what resume needs, mapping multiplier included.
        config.mappingLrMultiplier = 0.01;
        const QString scaled = runDir("scenes-mapping");
        trainGan(config, {}, scaled.toStdString());
        const GanConfig read = readGanConfig(scaled.toStdString());
        QCOMPARE(ganConfigJson(read), ganConfigJson(config));
        QCOMPARE(read.mappingLrMultiplier, 0.01);
        QVERIFY(trainGan(read, {}, scaled.toStdString(), true).iterations == 2); // resumes (nothing left to do)

        config.resolution = 8; // a valid GAN size, but smaller than the scene renderer draws
        const std::string refused = invalidArgumentOf([&] { config.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("Scenes"), refused.c_str());
    }
};

QTEST_GUILESS_MAIN(TstGanRunner)
#include "tst_ganrunner.moc"
