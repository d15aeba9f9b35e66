// The built-in style GAN's run folder (ganrunner.h) on a tiny Sprites GAN: every file it promises, the scorer's say
// in which snapshot becomes generator.pt, a stopped and resumed run that reproduces an uninterrupted one bit for
// bit, and clear errors (bad config, mismatched resume, occupied folder, truncated checkpoint) that leave the
// folder as it was. The network options (convolutions per stage, styled input, ProGAN, critic, growth) are in
// tst_gannetworks.cpp.
#include "dataerror.h"

#include "dataerrorof.h"
#include "datalocations.h"
#include "gan/ganrunner.h"
#include "scenesrenderer.h"
#include "selfcheck/latentselfcheck.h"
#include "tinygan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <set>

using namespace untangle;
using untangle::test::bytesOf;
using untangle::test::dataErrorOf;
using untangle::test::folderDigest;
using untangle::test::invalidArgumentOf;
using untangle::test::jsonLines;
using untangle::test::sceneAsStream;
using untangle::test::tinyGanConfig;

namespace {

constexpr int Resolution = untangle::test::TinyGanResolution;

/** Which of `candidates` image `index` of a streamed batch is (-1: none). */
int matchingScene(const std::vector<float> &batch, int index, const std::vector<std::vector<float>> &candidates)
{
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const auto &candidate = candidates[c];
        bool same = true;
        for (std::size_t v = 0; v < candidate.size() && same; ++v)
            same = std::abs(batch[std::size_t(index) * candidate.size() + v] - candidate[v]) < 1e-6f;
        if (same)
            return int(c);
    }
    return -1;
}
constexpr int GridSide = 8 * Resolution + 7 * 2; // 8 x 8 tiles of 32 px with 2-px gaps

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
        const GanConfig config = tinyGanConfig(6);
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
        const GanResult result = trainGan(tinyGanConfig(6), callbacks, early.toStdString());
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
        const GanResult second = trainGan(tinyGanConfig(6), callbacks, middle.toStdString());
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
        const GanConfig config = tinyGanConfig(8);
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
        GanConfig config = tinyGanConfig(8);
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
        trainGan(tinyGanConfig(4), {}, dir.toStdString());
        const GanResult grown = trainGan(tinyGanConfig(8), {}, dir.toStdString(), true);
        QCOMPARE(grown.iterations, 8);
        QCOMPARE(QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object()["iterations"].toInt(), 8);
        // Training does not depend on the planned length: the same weights as eight iterations in one go.
        QCOMPARE(bytesOf(QDir(dir).filePath("snapshots/iter-000008.pt")),
            bytesOf(runDir("whole") + "/snapshots/iter-000008.pt"));
    }

    void continuedRunCountsOnWithItsOwnSettings()
    {
        const QString source = runDir("continue-source");
        trainGan(tinyGanConfig(4), {}, source.toStdString());
        const auto sourceBefore = folderDigest(source);

        // With the other run's settings, continuing it is resuming it: the same weights at 8 as eight in one go.
        GanConfig same = tinyGanConfig(8);
        same.continueFrom = source.toStdString();
        const QString continued = runDir("continued");
        const GanResult result = trainGan(same, {}, continued.toStdString());
        QCOMPARE(result.iterations, 8);
        QVERIFY(!QFile::exists(QDir(continued).filePath("snapshots/iter-000004.pt"))); // it counts on from 4
        QVERIFY(QFile::exists(QDir(continued).filePath("snapshots/iter-000006.pt")));
        QCOMPARE(bytesOf(QDir(continued).filePath("snapshots/iter-000008.pt")),
            bytesOf(runDir("whole") + "/snapshots/iter-000008.pt"));
        QCOMPARE(folderDigest(source), sourceBefore); // the other run is only read
        const auto recorded = QJsonDocument::fromJson(bytesOf(QDir(continued).filePath("config.json"))).object();
        QCOMPARE(recorded["continueFrom"].toString(), source);
        QCOMPARE(readGanConfig(continued.toStdString()).continueFrom, source.toStdString());
        const auto lines = jsonLines(QDir(continued).filePath("metrics.jsonl"));
        QVERIFY(!lines.isEmpty());
        for (const auto &line : lines) // its own metrics, from iteration 5 on
            QVERIFY2(line["iteration"].toInt() > 4, qPrintable(QJsonDocument(line).toJson(QJsonDocument::Compact)));

        // Its own learning rate replaces the saved one (the optimiser's state would otherwise bring the old rate).
        GanConfig slower = same;
        slower.learningRate = same.learningRate / 10;
        trainGan(slower, {}, runDir("continued-slower").toStdString());
        QVERIFY(bytesOf(runDir("continued-slower") + "/snapshots/iter-000008.pt")
            != bytesOf(QDir(continued).filePath("snapshots/iter-000008.pt")));
        // A continued run resumes like any other.
        GanConfig longer = same;
        longer.iterations = 10;
        QCOMPARE(trainGan(longer, {}, continued.toStdString(), true).iterations, 10);

        // Refused before its folder exists: networks that do not fit, too few iterations, and growth as well.
        GanConfig wider = same;
        wider.baseChannels *= 2;
        const QString misfit = dataErrorOf([&] { trainGan(wider, {}, runDir("misfit").toStdString()); });
        QVERIFY2(misfit.contains("do not fit"), qPrintable(misfit));
        QVERIFY(!QFileInfo::exists(runDir("misfit")));
        GanConfig shorter = same;
        shorter.iterations = 4;
        const QString early = dataErrorOf([&] { trainGan(shorter, {}, runDir("too-short").toStdString()); });
        QVERIFY2(early.contains("iteration 4"), qPrintable(early));
        QVERIFY(!QFileInfo::exists(runDir("too-short")));
        GanConfig nowhere = same;
        nowhere.continueFrom = runDir("no-such-run").toStdString();
        QVERIFY(dataErrorOf([&] {
            trainGan(nowhere, {}, runDir("from-nowhere").toStdString());
        }).contains("no GAN checkpoint"));
        GanConfig both = same;
        both.growFrom = QDir(source).filePath("generator.pt").toStdString();
        QVERIFY(invalidArgumentOf([&] { both.validate(); }).find("not both") != std::string::npos);
        QCOMPARE(folderDigest(source), sourceBefore);
    }

    void resumeRestoresARemovedGeneratorAndRefusesWeightsThatDoNotFit()
    {
        // generator.pt removed by hand, then a resume with nothing left to train: it comes back from its snapshot
        // (the run used to report a generator.pt that was not there).
        const QString dir = runDir("removed-generator");
        trainGan(tinyGanConfig(4), {}, dir.toStdString());
        QVERIFY(QFile::remove(QDir(dir).filePath("generator.pt")));
        const GanResult resumed = trainGan(tinyGanConfig(4), {}, dir.toStdString(), true);
        QVERIFY(QFileInfo::exists(QString::fromStdString(resumed.generatorPath)));
        QCOMPARE(bytesOf(QDir(dir).filePath("generator.pt")), bytesOf(QDir(dir).filePath("snapshots/iter-000004.pt")));

        // A config.json edited to a wider generator than its checkpoint holds: the resume names the layer that does
        // not fit (torch's load took any shape and the run went on with weights its settings do not describe).
        QFile file(QDir(dir).filePath("config.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        config["baseChannels"] = 16;
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(config).toJson());
        file.close();
        const auto before = folderDigest(dir);
        const QString message
            = dataErrorOf([&] { trainGan(readGanConfig(dir.toStdString()), {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("checkpoint.pt") && message.contains("do not fit"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
    }

    void resumeWithOtherSettingsNamesTheDifference()
    {
        const QString dir = runDir("plain");
        const auto before = folderDigest(dir);
        GanConfig other = tinyGanConfig(6);
        other.batch = 12;
        const QString message = dataErrorOf([&] { trainGan(other, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("different settings"), qPrintable(message));
        QVERIFY2(message.contains("batch"), qPrintable(message));
        QVERIFY2(!message.contains("seed"), qPrintable(message)); // only what differs
        QCOMPARE(folderDigest(dir), before);

        const QString empty = runDir("never-ran");
        QDir().mkpath(empty);
        const QString missing = dataErrorOf([&] { trainGan(tinyGanConfig(6), {}, empty.toStdString(), true); });
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
        const QString message = dataErrorOf([&] { trainGan(tinyGanConfig(6), {}, dir.toStdString()); });
        QVERIFY2(message.contains("already holds a GAN run"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
    }

    void freshRunThatFailsBeforeItsFirstCheckpointLeavesNoRun()
    {
        // A failure at iteration 1 (out of memory at an absurd batch, say) left config.json and empty folders: the
        // same command was then refused ("already holds a GAN run") and a resume found no checkpoint.
        const QString dir = runDir("fails-early");
        GanCallbacks failing;
        failing.logged = [](const GanLog &) { throw std::runtime_error("out of memory (simulated)"); };
        GanConfig config = tinyGanConfig(6);
        config.sampleEvery = 1; // a logged line at iteration 1, before the first checkpoint at 2
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainGan(config, failing, dir.toStdString()));
        for (const char *name : {"config.json", "metrics.jsonl", "samples", "snapshots", "checkpoint.pt"})
            QVERIFY2(!QFileInfo::exists(QDir(dir).filePath(name)), name);
        const GanResult again = trainGan(config, {}, dir.toStdString());
        QCOMPARE(again.iterations, 6);

        // A resume that fails the same way keeps the run as it was: config.json still says 6 iterations.
        GanConfig longer = config;
        longer.iterations = 10;
        const QByteArray configBefore = bytesOf(QDir(dir).filePath("config.json"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainGan(longer, failing, dir.toStdString(), true));
        QCOMPARE(bytesOf(QDir(dir).filePath("config.json")), configBefore);
        QVERIFY(QFileInfo::exists(QDir(dir).filePath("checkpoint.pt")));
    }

    void damagedMetricsOrGeneratorRefuseTheResumeAndTouchNothing()
    {
        const QString dir = runDir("damaged-records");
        trainGan(tinyGanConfig(4), {}, dir.toStdString());
        const QString metrics = QDir(dir).filePath("metrics.jsonl");
        const QByteArray good = bytesOf(metrics);
        const auto rewrite = [](const QString &file, const QByteArray &bytes) {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(bytes);
        };
        // A damaged line in the middle: named, nothing changes (it used to be dropped without a word).
        rewrite(metrics, "xx" + good);
        auto before = folderDigest(dir);
        QString message = dataErrorOf([&] { trainGan(tinyGanConfig(6), {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("metrics.jsonl, line 1") && message.contains("damaged"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
        // generator.pt replaced by something else: refused before training, with the way out.
        rewrite(metrics, good);
        const QString generator = QDir(dir).filePath("generator.pt");
        const QByteArray generatorBytes = bytesOf(generator);
        rewrite(generator, "\x89PNG not a generator");
        before = folderDigest(dir);
        message = dataErrorOf([&] { trainGan(tinyGanConfig(6), {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("generator.pt") && message.contains("remove generator.pt and resume"),
            qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
        // A torn last line (a kill mid-append) is what a crash leaves: dropped, and the resume goes on.
        rewrite(generator, generatorBytes);
        rewrite(metrics, good + "{\"iterat");
        QCOMPARE(trainGan(tinyGanConfig(6), {}, dir.toStdString(), true).iterations, 6);
    }

    void truncatedCheckpointIsADataErrorAndTouchesNothing()
    {
        const QString dir = runDir("truncated");
        trainGan(tinyGanConfig(4), {}, dir.toStdString());
        QFile checkpoint(QDir(dir).filePath("checkpoint.pt"));
        const QByteArray full = bytesOf(checkpoint.fileName());
        QVERIFY(checkpoint.open(QIODevice::WriteOnly | QIODevice::Truncate));
        checkpoint.write(full.left(full.size() / 2));
        checkpoint.close();
        const auto before = folderDigest(dir);
        // Growing the iterations as a user would when resuming: config.json must not be rewritten before the
        // checkpoint proved readable.
        const QString message = dataErrorOf([&] { trainGan(tinyGanConfig(8), {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("checkpoint.pt"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);
    }

    void criticWidthIsChecked()
    {
        // 0 and -1 failed deep inside torch; 100000 was accepted.
        for (int channels : {0, -1, 100000}) {
            GanConfig config = tinyGanConfig(2);
            config.discriminatorChannels = channels;
            const std::string message = invalidArgumentOf([&] { config.validate(); });
            QVERIFY2(message.find("critic channels must be 1 to 1024") != std::string::npos, message.c_str());
        }
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
        GanConfig config = tinyGanConfig(2);
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
        GanConfig config = tinyGanConfig(2);
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
        GanConfig config = tinyGanConfig(2);
        config.sprites = false;
        config.dataset.kind = DatasetKind::Scenes;
        const QString dir = runDir("scenes");
        ImageU8 streamed;
        GanCallbacks callbacks;
        callbacks.samples = [&](int, const ImageU8 &grid) { streamed = grid; };
        const GanResult result = trainGan(config, callbacks, dir.toStdString());
        QCOMPARE(result.iterations, 2);
        const cv::Mat grid = cv::imread(QDir(dir).filePath("samples.png").toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(grid.cols, GridSide);
        QCOMPARE(grid.channels(), 3);
        // Both PNGs of the last grid hold the grid the run streamed, in its colours: the second write of one grid
        // (samples.png) once came out with red and blue swapped, as the first had converted the grid in place.
        QCOMPARE(bytesOf(QDir(dir).filePath("samples.png")), bytesOf(QDir(dir).filePath("samples/iter-000002.png")));
        cv::Mat rgb;
        cv::cvtColor(grid, rgb, cv::COLOR_BGR2RGB);
        QCOMPARE(streamed.channels, 3);
        QCOMPARE(streamed.bytes.size(), std::size_t(rgb.total() * 3));
        QVERIFY(std::equal(streamed.bytes.begin(), streamed.bytes.end(), rgb.data));
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

    void scenesSubWorldHoldsTheOtherFactors()
    {
        // The held scene as the documentation states it (GanImageSource::scenes, the CLI's --vary): a blue cube (hue 6)
        // at scale 4 turned to the centre orientation, on a red floor (hue 0) before a green wall (hue 3).
        constexpr int SceneSide = 16, Count = 24;
        const SceneFactors held {/*floor*/ 0, /*wall*/ 3, /*object*/ 6, /*scale*/ 4, int(SceneShape::Cube), /*turn*/ 7};
        std::vector<std::vector<float>> turned; // index o: the held scene at orientation o
        for (int o = 0; o < SceneFactorSizes[int(SceneFactor::Orientation)]; ++o) {
            SceneFactors scene = held;
            scene.orientation = o;
            turned.push_back(sceneAsStream(scene, SceneSide));
        }
        const auto alone = selfcheck::sceneStreamBatch(SceneSide, {"orientation"}, Count, 0, 5);
        std::vector<int> orientations;
        for (int i = 0; i < Count; ++i) {
            orientations.push_back(matchingScene(alone, i, turned));
            QVERIFY2(orientations.back() >= 0, qPrintable(QString("image %1 is not the held scene turned").arg(i)));
        }
        QVERIFY(std::set<int>(orientations.begin(), orientations.end()).size() >= 5);

        // Letting the wall hue vary too changes nothing else: each image is the held scene with some wall hue and the
        // orientation the first stream drew for it.
        std::vector<std::vector<float>> coloured; // index 15 * hue + o
        for (int hue = 0; hue < SceneFactorSizes[int(SceneFactor::WallHue)]; ++hue)
            for (int o = 0; o < SceneFactorSizes[int(SceneFactor::Orientation)]; ++o) {
                SceneFactors scene = held;
                scene.wallHue = hue;
                scene.orientation = o;
                coloured.push_back(sceneAsStream(scene, SceneSide));
            }
        const auto both = selfcheck::sceneStreamBatch(SceneSide, {"wall_hue", "orientation"}, Count, 0, 5);
        std::set<int> hues;
        for (int i = 0; i < Count; ++i) {
            const int match = matchingScene(both, i, coloured);
            QVERIFY2(match >= 0, qPrintable(QString("image %1 is not the held scene recoloured and turned").arg(i)));
            QCOMPARE(match % 15, orientations[std::size_t(i)]);
            hues.insert(match / 15);
        }
        QVERIFY(hues.size() >= 4);

        // No list is the whole world; the stream of all six named is the same stream.
        QVERIFY(selfcheck::sceneStreamBatch(SceneSide, {}, 8, 0, 5)
            == selfcheck::sceneStreamBatch(
                SceneSide, {"floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"}, 8, 0, 5));
    }

    void scenesSubWorldIsPartOfTheRun()
    {
        GanConfig config = tinyGanConfig(2);
        config.sprites = false;
        config.dataset.kind = DatasetKind::Scenes;
        config.variedSceneFactors = {"wall_hue", "orientation"};
        const QString dir = runDir("scenes-sub-world");
        QCOMPARE(trainGan(config, {}, dir.toStdString()).iterations, 2);
        const GanConfig read = readGanConfig(dir.toStdString());
        QCOMPARE(read.variedSceneFactors, config.variedSceneFactors);
        // A resume with another sub-world is refused by name; the run is left as it was.
        const auto before = folderDigest(dir);
        GanConfig other = read;
        other.variedSceneFactors = {"orientation"};
        const QString refused = dataErrorOf([&] { trainGan(other, {}, dir.toStdString(), true); });
        QVERIFY2(refused.contains("variedSceneFactors"), qPrintable(refused));
        QCOMPARE(folderDigest(dir), before);

        // Bad settings are named before a folder exists.
        for (const auto &[names, expected] : std::vector<std::pair<std::vector<std::string>, QString>> {
                 {{"wall_hue", "bogus"}, "bogus"}, {{"shape", "shape"}, "twice"}}) {
            config.variedSceneFactors = names;
            const std::string problem = invalidArgumentOf([&] { config.validate(); });
            QVERIFY2(QString::fromStdString(problem).contains(expected), problem.c_str());
        }
        GanConfig sprites = tinyGanConfig(2);
        sprites.variedSceneFactors = {"orientation"};
        const std::string problem = invalidArgumentOf([&] { sprites.validate(); });
        QVERIFY2(QString::fromStdString(problem).contains("Scenes"), problem.c_str());

        // A config.json whose list is not a list of names does not describe a run.
        const QString hostile = runDir("scenes-sub-world-hostile");
        QDir().mkpath(hostile);
        auto json = QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object();
        for (const QJsonValue value : {QJsonValue(5), QJsonValue(QJsonArray {1, 2}), QJsonValue(QJsonArray {"nope"})}) {
            json["variedSceneFactors"] = value;
            QFile file(QDir(hostile).filePath("config.json"));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(json).toJson());
            file.close();
            const QString message = dataErrorOf([&] { readGanConfig(hostile.toStdString()); });
            QVERIFY2(message.contains("does not describe a GAN run"), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TstGanRunner)
#include "tst_ganrunner.moc"
