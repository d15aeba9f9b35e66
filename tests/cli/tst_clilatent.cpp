// The latent commands of untangle-cli end to end, as a user chains them: gan -> directions -> sre -> retrieve, with
// tiny settings, --json documents that parse, the files they name, and bad input that exits 1 or 2 with a message
// that says what is wrong.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "clirun.h"
#include "selfcheck/latentselfcheck.h"

#include <QCryptographicHash>

namespace {

constexpr int RunTimeoutMs = 300000; // a loaded 2-core machine: generous, each run takes seconds

using Run = untangle::test::CliRun;
using untangle::test::runCli;

/** stdout as one JSON object; empty when it is not exactly one JSON document. */
QJsonObject jsonOf(const Run &run)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
    return error.error == QJsonParseError::NoError && document.isObject() ? document.object() : QJsonObject();
}

QByteArray describe(const Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out + "\nstderr: " + run.err.right(2000);
}

/** Width and height from a PNG's IHDR chunk (CLI tests link Qt Core only, no QImage). */
QSize pngSize(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray head = file.read(24);
    if (head.size() < 24 || !head.startsWith("\x89PNG\r\n\x1a\n") || head.mid(12, 4) != "IHDR")
        return {};
    const auto big = [&](int at) {
        return int(
            (uchar(head[at]) << 24) | (uchar(head[at + 1]) << 16) | (uchar(head[at + 2]) << 8) | uchar(head[at + 3]));
    };
    return QSize(big(16), big(20));
}

QByteArray sha1Of(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1)
                                          : QByteArray("unreadable");
}

/** A tiny random built-in generator (latent and style size 8) drawing `channels` x 32 x 32 images. */
QString writeTinyGenerator(const QString &path, int channels, bool nanWeights = false, std::uint64_t seed = 1)
{
    untangle::selfcheck::TinyGenerator settings;
    settings.resolution = 32;
    settings.channels = channels;
    settings.nanWeights = nanWeights;
    settings.seed = seed;
    untangle::selfcheck::writeRandomStyleGenerator(path.toStdString(), settings);
    return path;
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TstCliLatent : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_gan; // a GAN run folder (2 iterations)
    QString m_directions; // SeFa directions of its generator
    QString m_estimator; // an SRE estimator.pt

    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_gan = path("gan");
        QElapsedTimer timer;
        timer.start();
        const Run run
            = runCli({"gan", "--resolution", "32", "--iterations", "2", "--batch", "8", "--sample-every", "1",
                         "--checkpoint-every", "1", "--threads", "1", "--seed", "3", "--out", m_gan, "--json"},
                RunTimeoutMs);
        qInfo("gan --iterations 2 at 32 px: %lld ms", timer.elapsed());
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QJsonObject json = jsonOf(run);
        QVERIFY2(!json.isEmpty(), describe(run).constData());
        QCOMPARE(json["iterations"].toInt(), 2);
        QCOMPARE(json["selectedIteration"].toInt(), 2);
        QCOMPARE(json["stopped"].toBool(), false);
        QCOMPARE(json["generator"].toString(), QDir(m_gan).filePath("generator.pt"));
        for (const char *name : {"generator.pt", "checkpoint.pt", "config.json", "metrics.jsonl", "samples.png",
                 "snapshots/iter-000001.pt", "snapshots/iter-000002.pt", "samples/iter-000001.png"})
            QVERIFY2(QFile::exists(QDir(m_gan).filePath(name)), name);
        QCOMPARE(pngSize(QDir(m_gan).filePath("samples.png")), QSize(8 * 32 + 7 * 2, 8 * 32 + 7 * 2));
    }

    void ganWithoutAReaderSaysItKeepsTheLastCheckpoint()
    {
        // Real digits have no factor reader: no score is printed for a checkpoint, and the last one is kept.
        const QString dir = path("gan-digits");
        const Run run = runCli({"gan", "--dataset", "cmnist10k", "--resolution", "32", "--iterations", "2", "--batch",
                                   "8", "--checkpoint-every", "1", "--threads", "1", "--out", dir},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QVERIFY2(run.err.contains("checkpoint 1: not scored") && !run.err.contains("score "), run.err.constData());
        QVERIFY2(run.out.contains("the last checkpoint, iteration 2 of 2"), run.out.constData());
    }

    void ganUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing --out") << QStringList {"--iterations", "2"} << "--out";
        QTest::newRow("batch 6") << QStringList {"--batch", "6", "--out", "@"} << "batch";
        QTest::newRow("resolution 48") << QStringList {"--resolution", "48", "--out", "@"} << "resolution";
        QTest::newRow("unknown dataset") << QStringList {"--dataset", "imagenet", "--out", "@"} << "imagenet";
        QTest::newRow("iterations not a number") << QStringList {"--iterations", "many", "--out", "@"} << "number";
        QTest::newRow("unknown synthesis") << QStringList {"--synthesis", "stylegan9", "--out", "@"} << "stylegan9";
        QTest::newRow("unknown loss") << QStringList {"--loss", "wasserstein", "--out", "@"} << "--loss";
        QTest::newRow("unknown scene factor") << QStringList {"--dataset", "scenes", "--vary", "wall_hue,colour",
            "--out", "@"} << "'colour' (the factors are";
        QTest::newRow("scene factor twice")
            << QStringList {"--dataset", "scenes", "--vary", "shape, shape", "--out", "@"} << "named twice";
        QTest::newRow("no scene factor") << QStringList {"--dataset", "scenes", "--vary", ",", "--out", "@"}
                                         << "at least one factor";
        QTest::newRow("sub-world of Sprites") << QStringList {"--vary", "orientation", "--out", "@"} << "Scenes";
    }

    void ganUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        const QString out = path(QString("gan-usage-") + QTest::currentDataTag());
        arguments.replaceInStrings("@", out);
        const Run run = runCli(QStringList {"gan"} + arguments, RunTimeoutMs);
        QVERIFY2(run.exitCode == 2, describe(run).constData());
        QVERIFY2(run.err.contains(reason.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFileInfo::exists(out));
    }

    void ganOnAScenesSubWorldRecordsIt()
    {
        const QString dir = path("gan-sub-world");
        const Run run = runCli({"gan", "--dataset", "scenes", "--vary", "wall_hue, orientation", "--resolution", "16",
                                   "--iterations", "1", "--batch", "4", "--threads", "1", "--out", dir},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QFile file(QDir(dir).filePath("config.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(config["variedSceneFactors"].toArray(), QJsonArray({"wall_hue", "orientation"}));
        QCOMPARE(config["resolution"].toInt(), 16);
    }

    void ganIntoAnOccupiedFolderAndBadResumeExitWithOne()
    {
        const Run again = runCli({"gan", "--resolution", "32", "--iterations", "2", "--out", m_gan}, RunTimeoutMs);
        QVERIFY2(again.exitCode == 1, describe(again).constData());
        QVERIFY2(again.err.contains("already holds a GAN run"), again.err.constData());
        const Run other
            = runCli({"gan", "--resolution", "32", "--iterations", "3", "--batch", "12", "--out", m_gan, "--resume"},
                RunTimeoutMs);
        QVERIFY2(other.exitCode == 1, describe(other).constData());
        QVERIFY2(other.err.contains("different settings") && other.err.contains("batch"), other.err.constData());
    }

    void ganResumeKeepsTheRunsOwnSettings()
    {
        // Resuming needs only the folder (as sre and debias): the stored non-default settings are taken, not the
        // option defaults, and --iterations may grow.
        const QString dir = path("gan-resume");
        const QStringList settings {"--resolution", "32", "--batch", "8", "--base-channels", "32", "--sample-every",
            "1", "--checkpoint-every", "1", "--threads", "1", "--seed", "5", "--synthesis", "progan", "--loss",
            "logistic"};
        const Run first = runCli(QStringList {"gan", "--iterations", "1", "--out", dir} + settings, RunTimeoutMs);
        QVERIFY2(first.exitCode == 0, describe(first).constData());
        const Run resumed
            = runCli({"gan", "--resume", "--out", dir, "--iterations", "2", "--threads", "1", "--json"}, RunTimeoutMs);
        QVERIFY2(resumed.exitCode == 0, describe(resumed).constData());
        const QJsonObject json = jsonOf(resumed);
        QCOMPARE(json["iterations"].toInt(), 2);
        const int selected = json["selectedIteration"].toInt(); // the scorer's pick among the two checkpoints
        QVERIFY2(selected == 1 || selected == 2, describe(resumed).constData());
        QFile config(QDir(dir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject stored = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(stored["batch"].toInt(), 8);
        QCOMPARE(stored["baseChannels"].toInt(), 32);
        QCOMPARE(stored["synthesis"].toString(), QString("progan"));
        QCOMPARE(stored["loss"].toString(), QString("logistic"));
        QCOMPARE(stored["iterations"].toInt(), 2);
        // A folder that holds no GAN run cannot be resumed: exit 1, named, nothing created.
        const QString empty = path("gan-resume-nothing");
        QVERIFY(QDir().mkpath(empty));
        const Run nothing = runCli({"gan", "--resume", "--out", empty}, RunTimeoutMs);
        QVERIFY2(nothing.exitCode == 1, describe(nothing).constData());
        QVERIFY2(nothing.err.contains("gan-resume-nothing"), nothing.err.constData());
        QVERIFY(QDir(empty).isEmpty());
    }

    void directionsSefaAndGanspace_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("sefa") << "sefa" << QStringList {};
        QTest::newRow("ganspace") << "ganspace" << QStringList {"--samples", "2000"};
        QTest::newRow("random") << "random" << QStringList {"--seed", "3"};
    }

    void directionsSefaAndGanspace()
    {
        QFETCH(QString, method);
        QFETCH(QStringList, extra);
        const QString out = path("directions-" + method);
        // The run folder stands for its generator.pt.
        const Run run = runCli(QStringList {"directions", "--generator", m_gan, "--method", method, "--count", "5",
                                   "--threads", "1", "--out", out, "--json"}
                + extra,
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QJsonObject json = jsonOf(run);
        QVERIFY2(!json.isEmpty(), describe(run).constData());
        QCOMPARE(json["method"].toString(), method);
        QCOMPARE(json["styleSize"].toInt(), 64); // gan's default style size
        QCOMPARE(json["file"].toString(), QDir(out).filePath("directions.json"));
        const QJsonArray directions = json["directions"].toArray();
        QCOMPARE(directions.size(), 5);
        for (int k = 0; k < directions.size(); ++k) {
            QVERIFY(directions[k].toObject()["sigma"].toDouble() > 0.0);
            if (k > 0)
                QVERIFY(
                    directions[k - 1].toObject()["score"].toDouble() >= directions[k].toObject()["score"].toDouble());
        }
        // The file is a direction set with unit vectors of the style size.
        QFile file(QDir(out).filePath("directions.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(saved["format"].toString(), QString("untangle-directions"));
        const QJsonArray vectors = saved["directions"].toArray();
        QCOMPARE(vectors.size(), 5);
        for (const auto &direction : vectors) {
            const QJsonArray vector = direction.toObject()["vector"].toArray();
            QCOMPARE(vector.size(), 64);
            double norm = 0.0;
            for (const auto &v : vector)
                norm += v.toDouble() * v.toDouble();
            QVERIFY(std::abs(norm - 1.0) < 1e-6);
        }
        if (method == "sefa")
            m_directions = QDir(out).filePath("directions.json");
    }

    void directionsBadInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("count 1000") << QStringList {"--generator", "@gan", "--count", "1000", "--out", "@out"} << 2
                                    << "cannot find 1000 directions in a latent of size 64";
        QTest::newRow("count 0") << QStringList {"--generator", "@gan", "--count", "0", "--out", "@out"} << 2
                                 << "K must be";
        QTest::newRow("missing --out") << QStringList {"--generator", "@gan"} << 2 << "--out";
        QTest::newRow("missing --generator") << QStringList {"--out", "@out"} << 2 << "--generator";
        QTest::newRow("unknown method") << QStringList {"--generator", "@gan", "--method", "pca", "--out", "@out"} << 2
                                        << "--method";
        QTest::newRow("text file as generator")
            << QStringList {"--generator", "@text", "--out", "@out"} << 1 << "notes.txt";
        QTest::newRow("missing generator")
            << QStringList {"--generator", "@missing", "--out", "@out"} << 1 << "no-such-generator.pt";
    }

    void directionsBadInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, reason);
        writeText(path("notes.txt"), "a text file, not a generator\n");
        arguments.replaceInStrings("@gan", m_gan);
        arguments.replaceInStrings("@text", path("notes.txt"));
        arguments.replaceInStrings("@missing", path("no-such-generator.pt"));
        arguments.replaceInStrings("@out", path("directions-bad"));
        const Run run = runCli(QStringList {"directions", "--threads", "1"} + arguments, RunTimeoutMs);
        QVERIFY2(run.exitCode == exitCode, describe(run).constData());
        QVERIFY2(run.err.contains(reason.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFile::exists(path("directions-bad/directions.json")));
    }

    void sreRefinesTheDirections()
    {
        QVERIFY2(!m_directions.isEmpty(), "the sefa directions test did not run");
        const QString out = path("sre");
        const Run run
            = runCli({"sre", "--generator", m_gan, "--directions", m_directions, "--steps", "4", "--batch", "4",
                         "--log-every", "2", "--snapshot-every", "2", "--threads", "1", "--out", out, "--json"},
                RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QJsonObject json = jsonOf(run);
        QVERIFY2(!json.isEmpty(), describe(run).constData());
        QVERIFY(json.contains("selectedStep"));
        const int step = json["selectedStep"].toInt();
        QVERIFY(step == 2 || step == 4);
        QCOMPARE(json["snapshots"].toArray().size(), 2);
        QCOMPARE(json["heldOutAccuracy"].toArray().size(), 5);
        QCOMPARE(json["directions"].toString(), QDir(out).filePath("directions.json"));
        QCOMPARE(json["estimator"].toString(), QDir(out).filePath("estimator.pt"));
        QVERIFY(QFile::exists(json["directions"].toString()));
        QVERIFY(QFile::exists(json["estimator"].toString()));
        QFile refined(json["directions"].toString());
        QVERIFY(refined.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(refined.readAll()).object();
        QCOMPARE(saved["method"].toString(), QString("sefa+sre"));
        QCOMPARE(saved["directions"].toArray().size(), 5);
        m_estimator = json["estimator"].toString();
    }

    void sreResumesWithTheRunsOwnSettings()
    {
        QVERIFY2(!m_estimator.isEmpty(), "the sre test did not run");
        const QString out = path("sre");
        // --out and --resume are enough: everything else comes from the run's config.json.
        const Run again = runCli({"sre", "--out", out, "--resume", "--threads", "1", "--json"}, RunTimeoutMs);
        QVERIFY2(again.exitCode == 0, describe(again).constData());
        QCOMPARE(jsonOf(again)["snapshots"].toArray().size(), 2);
        // An option that differs from the run's own is refused, naming the setting and both values.
        const Run other = runCli({"sre", "--out", out, "--resume", "--steps", "8", "--threads", "1"}, RunTimeoutMs);
        QVERIFY2(other.exitCode == 1, describe(other).constData());
        QVERIFY2(other.err.contains("steps: the run has 4, asked 8"), other.err.constData());
        // A folder that is no SRE run, and one whose config.json is nested 100,000 deep: said, no crash.
        const Run empty = runCli({"sre", "--out", path("sre-nothing"), "--resume"}, RunTimeoutMs);
        QVERIFY2(empty.exitCode == 1, describe(empty).constData());
        QVERIFY2(empty.err.contains("no config.json"), empty.err.constData());
        QDir().mkpath(path("sre-nested"));
        writeText(path("sre-nested/config.json"), QByteArray(100000, '[') + QByteArray(100000, ']'));
        const Run nested = runCli({"sre", "--out", path("sre-nested"), "--resume"}, RunTimeoutMs);
        QVERIFY2(nested.exitCode == 1, describe(nested).constData());
        QVERIFY2(nested.err.contains("config.json"), nested.err.constData());
    }

    void sreWithDirectionsOfAnotherSizeNamesBothSizes()
    {
        // A valid direction file for a 3-d latent: the generator's is 64-d.
        const QString small = path("small-directions.json");
        writeText(small, R"({"format": "untangle-directions", "version": 1, "method": "sefa", "styleSize": 3,
                            "directions": [{"name": "a", "vector": [1, 0, 0]}, {"name": "b", "vector": [0, 1, 0]}]})");
        const QString out = path("sre-mismatch");
        const Run run = runCli({"sre", "--generator", m_gan, "--directions", small, "--steps", "2", "--batch", "4",
                                   "--threads", "1", "--out", out},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 1 || run.exitCode == 2, describe(run).constData());
        QVERIFY2(run.err.contains("3") && run.err.contains("64"), run.err.constData());
        QVERIFY(!QFile::exists(QDir(out).filePath("directions.json")));

        // And a text file as the direction file.
        writeText(path("notes.txt"), "a text file\n");
        const Run text = runCli({"sre", "--generator", m_gan, "--directions", path("notes.txt"), "--steps", "2",
                                    "--batch", "4", "--threads", "1", "--out", path("sre-text")},
            RunTimeoutMs);
        QVERIFY2(text.exitCode == 1, describe(text).constData());
        QVERIFY2(text.err.contains("notes.txt"), text.err.constData());

        const Run missing
            = runCli({"sre", "--generator", m_gan, "--steps", "2", "--out", path("sre-usage")}, RunTimeoutMs);
        QVERIFY2(missing.exitCode == 2, describe(missing).constData());
        QVERIFY2(missing.err.contains("--directions"), missing.err.constData());

        // An eps range scale <= 0 is refused before anything runs, naming the option.
        const Run zeroRange
            = runCli({"sre", "--generator", m_gan, "--directions", small, "--range", "0", "--out", path("sre-range")},
                RunTimeoutMs);
        QVERIFY2(zeroRange.exitCode == 2, describe(zeroRange).constData());
        QVERIFY2(zeroRange.err.contains("range scale c"), zeroRange.err.constData());
        QVERIFY(!QFile::exists(path("sre-range")));
    }

    void retrieveByPoolIndex()
    {
        QVERIFY2(!m_estimator.isEmpty(), "the sre test did not run");
        const Run run = runCli({"retrieve", "--sre", m_estimator, "--pool-size", "200", "--pool-seed", "1", "--query",
                                   "7", "--direction", "2", "--k", "5", "--threads", "1", "--json"},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QJsonObject json = jsonOf(run);
        QVERIFY2(!json.isEmpty(), describe(run).constData());
        QCOMPARE(json["direction"].toInt(), 2);
        const QJsonArray results = json["results"].toArray();
        QCOMPARE(results.size(), 5);
        double last = -1.0;
        for (const auto &result : results) {
            const int index = result.toObject()["index"].toInt();
            QVERIFY(index >= 0 && index < 200);
            QVERIFY(index != 7); // the query itself is not a result
            const double distance = result.toObject()["distance"].toDouble();
            QVERIFY(distance >= last); // nearest first
            last = distance;
        }

        const Run outOfPool = runCli(
            {"retrieve", "--sre", m_estimator, "--pool-size", "200", "--query", "200", "--threads", "1"}, RunTimeoutMs);
        QVERIFY2(outOfPool.exitCode == 2, describe(outOfPool).constData());
        QVERIFY2(outOfPool.err.contains("0..199"), outOfPool.err.constData());
    }

    void retrieveTableScoresEveryDirection()
    {
        QVERIFY2(!m_estimator.isEmpty(), "the sre test did not run");
        const Run run = runCli({"retrieve", "--sre", m_estimator, "--pool-size", "200", "--table", "--queries", "10",
                                   "--k", "5", "--threads", "1", "--json"},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QJsonObject json = jsonOf(run);
        QVERIFY2(!json.isEmpty(), describe(run).constData());
        QCOMPARE(json["k"].toInt(), 5);
        const QJsonArray rows = json["rows"].toArray();
        QCOMPARE(rows.size(), 5); // one per direction
        for (const auto &row : rows) {
            const double precision = row.toObject()["precisionAtK"].toDouble();
            QVERIFY(precision >= 0.0 && precision <= 1.0);
            QVERIFY(!row.toObject()["factor"].toString().isEmpty());
        }
        const double mean = json["meanPrecisionAtK"].toDouble();
        QVERIFY(mean >= 0.0 && mean <= 1.0);
    }

    void outputsNeverReplaceInputsOrRunFiles()
    {
        // A PNG written over the directions file it was drawn from, or over the generator, used to exit 0.
        QVERIFY2(!m_directions.isEmpty() && !m_estimator.isEmpty(), "the directions and sre tests did not run");
        const auto bytesOf = [](const QString &file) {
            QFile in(file);
            return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
        };
        const QByteArray directions = bytesOf(m_directions), generator = bytesOf(m_gan + "/generator.pt");
        for (const QString &target : {m_directions, m_gan + "/generator.pt", m_gan + "/config.json"}) {
            const Run run = runCli({"traverse", "--generator", m_gan, "--directions", m_directions, "--out", target});
            QVERIFY2(run.exitCode == 2 && run.err.contains("inputs"), describe(run).constData());
        }
        const Run pairs = runCli({"coverage", "--generator", m_gan, "--pairs", m_gan + "/generator.pt"});
        QVERIFY2(pairs.exitCode == 2 && pairs.err.contains("--pairs"), describe(pairs).constData());
        // A file of another run folder is that run's own.
        const Run other = runCli({"traverse", "--generator", m_gan, "--directions", m_directions, "--out",
            QFileInfo(m_estimator).dir().filePath("config.json")});
        QVERIFY2(other.exitCode == 2 && other.err.contains("SRE run"), describe(other).constData());
        QCOMPARE(bytesOf(m_directions), directions);
        QCOMPARE(bytesOf(m_gan + "/generator.pt"), generator);
        // Retrieval keeps its pool scores in the user's cache, never beside the score network (a shipped estimator
        // sits in a read-only folder).
        QVERIFY(QDir(QFileInfo(m_estimator).path()).entryList({"*.scores"}, QDir::Files).isEmpty());
    }

    void coverageRefusesAGeneratorThatDrawsNaN()
    {
        // Every weight NaN: the file reads, the images are NaN. Coverage reported "sharpness nan" and a score; now the
        // generator is refused by name (exit 1) before anything is scored.
        const QString generator = writeTinyGenerator(path("nan-generator.pt"), 1, true);
        const Run run
            = runCli({"coverage", "--generator", generator, "--samples", "16", "--threads", "1"}, RunTimeoutMs);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(
            run.err.contains(generator.toUtf8()) && run.err.contains("NaN or infinite pixels"), run.err.constData());
        QVERIFY2(!run.out.contains("sharpness"), run.out.constData());
        // The same generator drawing finite images is measured.
        const QString finite = writeTinyGenerator(path("finite-generator.pt"), 1);
        const Run measured
            = runCli({"coverage", "--generator", finite, "--samples", "16", "--threads", "1", "--json"}, RunTimeoutMs);
        QVERIFY2(measured.exitCode == 0, describe(measured).constData());
        QVERIFY2(jsonOf(measured).contains("sharpness"), describe(measured).constData());
    }

    void coverageSaysWhenItTrainsAReplacementFactorModel_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("message");
        QTest::newRow("sprites") << 1 << "sprite-factors-r32-v1.pt"
                                 << "the Sprites factor model for 32 px cannot be read";
        QTest::newRow("scenes") << 3 << "scenes-factors-r32-v1.pt"
                                << "the Scenes factor reader for 32 px cannot be read";
    }

    void coverageSaysWhenItTrainsAReplacementFactorModel()
    {
        // A damaged shipped factor model (Sprites) or reader (Scenes) and no cached one: coverage trained a new one for
        // minutes without a word. Now it says which file could not be read, why, and that it trains a replacement
        // (then shows its progress); the test stops it there.
        QFETCH(int, channels);
        QFETCH(QString, model);
        QFETCH(QString, message);
        const QString tag = QTest::currentDataTag();
        const QString generator = writeTinyGenerator(path("coverage-generator-" + tag + ".pt"), channels);
        const QString resources = path("damaged-resources-" + tag), cache = path("empty-cache-" + tag);
        QVERIFY(QDir().mkpath(resources + "/models") && QDir().mkpath(cache));
        const QString damaged = resources + "/models/" + model;
        writeText(damaged, QByteArray(4096, 'x'));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("UNTANGLE_RESOURCE_DIR", resources);
        environment.insert("XDG_CACHE_HOME", cache);
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(UNTANGLE_CLI_PATH, {"coverage", "--generator", generator, "--samples", "16", "--threads", "1"});
        QByteArray err;
        QElapsedTimer timer;
        timer.start();
        while (!err.contains("training a replacement") && timer.elapsed() < RunTimeoutMs
            && process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(1000);
            err += process.readAllStandardError();
        }
        process.kill();
        process.waitForFinished();
        err += process.readAllStandardError();
        QVERIFY2(err.contains(message.toUtf8()), err.constData());
        QVERIFY2(err.contains(damaged.toUtf8()), err.constData()); // which file, and why
        QVERIFY2(err.contains("training a replacement"), err.constData());
        QVERIFY2(err.contains((cache + "/untangle/" + model).toUtf8()), err.constData());
        QCOMPARE(readFile(damaged), QByteArray(4096, 'x')); // the shipped file is never rewritten
    }

    void directionsOfAnotherKindOfGeneratorAreRefused()
    {
        // Same latent size (8), other images: directions found on a 1-channel (Sprites) generator mean nothing on a
        // 3-channel (Scenes) one. traverse drew them without a word and label rewrote the file with the Scenes
        // factors' names; the file now records what its generator draws, and both refuse, naming both generators.
        const QString sprites = writeTinyGenerator(path("kind-sprites.pt"), 1);
        const QString scenes = writeTinyGenerator(path("kind-scenes.pt"), 3);
        const QString out = path("kind-directions");
        const Run found = runCli(
            {"directions", "--generator", sprites, "--count", "3", "--threads", "1", "--out", out}, RunTimeoutMs);
        QVERIFY2(found.exitCode == 0, describe(found).constData());
        const QString file = QDir(out).filePath("directions.json");
        QFile saved(file);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(saved.readAll()).object()["generatorImages"].toObject(),
            QJsonObject({{"channels", 1}, {"resolution", 32}}));
        saved.close();
        const QByteArray before = sha1Of(file);

        const QString png = path("kind-traversal.png");
        const Run traverse = runCli(
            {"traverse", "--generator", scenes, "--directions", file, "--columns", "3", "--out", png}, RunTimeoutMs);
        QVERIFY2(traverse.exitCode == 1, describe(traverse).constData());
        for (const QByteArray &part : {QByteArray("found on a Sprites generator (1-channel 32 px images)"),
                 sprites.toUtf8(), scenes.toUtf8(), QByteArray("a Scenes generator (3-channel 32 px images)")})
            QVERIFY2(traverse.err.contains(part), traverse.err.constData());
        QVERIFY(!QFileInfo::exists(png));

        const Run label = runCli(
            {"label", "--generator", scenes, "--directions", file, "--out", file, "--threads", "1"}, RunTimeoutMs);
        QVERIFY2(label.exitCode == 1, describe(label).constData());
        QVERIFY2(label.err.contains("belong to another generator") && label.err.contains(scenes.toUtf8()),
            label.err.constData());
        QCOMPARE(sha1Of(file), before); // not rewritten with the other world's names

        // On its own generator the set is drawn as before.
        const Run own = runCli(
            {"traverse", "--generator", sprites, "--directions", file, "--columns", "3", "--out", png}, RunTimeoutMs);
        QVERIFY2(own.exitCode == 0, describe(own).constData());
        QCOMPARE(pngSize(png), QSize(3 * 32 + 2 * 2, 3 * 32 + 2 * 2));
    }

    void directionsOfOtherWeightsAreRefused()
    {
        // Two generators of one kind and size (another seed, as another run or checkpoint would be): the same vector
        // moves other things on each. The file records its generator's weights, and the other one refuses it.
        const QString own = writeTinyGenerator(path("weights-a.pt"), 1, false, 1);
        const QString other = writeTinyGenerator(path("weights-b.pt"), 1, false, 2);
        const QString out = path("weights-directions");
        const Run found
            = runCli({"directions", "--generator", own, "--count", "3", "--threads", "1", "--out", out}, RunTimeoutMs);
        QVERIFY2(found.exitCode == 0, describe(found).constData());
        const QString file = QDir(out).filePath("directions.json");
        const QString fingerprint = QJsonDocument::fromJson(readFile(file)).object()["generatorFingerprint"].toString();
        QCOMPARE(fingerprint.size(), 16);
        const QByteArray before = sha1Of(file);

        const QString png = path("weights-traversal.png");
        const Run traverse = runCli(
            {"traverse", "--generator", other, "--directions", file, "--columns", "3", "--out", png}, RunTimeoutMs);
        QVERIFY2(traverse.exitCode == 1, describe(traverse).constData());
        for (const QByteArray &part :
            {QByteArray("found on another generator's weights"), fingerprint.toUtf8(), own.toUtf8(), other.toUtf8()})
            QVERIFY2(traverse.err.contains(part), traverse.err.constData());
        QVERIFY(!QFileInfo::exists(png));
        const Run label = runCli(
            {"label", "--generator", other, "--directions", file, "--out", file, "--threads", "1"}, RunTimeoutMs);
        QVERIFY2(label.exitCode == 1 && label.err.contains("found on another generator's weights"),
            describe(label).constData());
        QCOMPARE(sha1Of(file), before);

        // A copy of the same weights under another name is the same generator.
        const QString copy = path("weights-a-copy.pt");
        QVERIFY(QFile::copy(own, copy));
        const Run same = runCli(
            {"traverse", "--generator", copy, "--directions", file, "--columns", "3", "--out", png}, RunTimeoutMs);
        QVERIFY2(same.exitCode == 0, describe(same).constData());

        // An older file (no fingerprint) is still accepted on either; a damaged fingerprint is named, not trusted.
        QJsonObject json = QJsonDocument::fromJson(readFile(file)).object();
        json.remove("generatorFingerprint");
        const QString older = path("weights-older.json");
        writeText(older, QJsonDocument(json).toJson());
        const Run olderRun = runCli(
            {"traverse", "--generator", other, "--directions", older, "--columns", "3", "--out", png}, RunTimeoutMs);
        QVERIFY2(olderRun.exitCode == 0, describe(olderRun).constData());
        for (const QJsonValue bad : {QJsonValue("0123"), QJsonValue(42), QJsonValue("ZZZZZZZZZZZZZZZZ")}) {
            json["generatorFingerprint"] = bad;
            writeText(older, QJsonDocument(json).toJson());
            const Run damaged = runCli(
                {"traverse", "--generator", own, "--directions", older, "--columns", "3", "--out", png}, RunTimeoutMs);
            QVERIFY2(
                damaged.exitCode == 1 && damaged.err.contains("generatorFingerprint"), describe(damaged).constData());
        }
    }

    void retrieveBadInput()
    {
        const Run noSre = runCli({"retrieve", "--query", "1"}, RunTimeoutMs);
        QVERIFY2(noSre.exitCode == 2, describe(noSre).constData());
        QVERIFY2(noSre.err.contains("--sre"), noSre.err.constData());
        writeText(path("notes.txt"), "a text file\n");
        const Run text
            = runCli({"retrieve", "--sre", path("notes.txt"), "--query", "1", "--pool-size", "50"}, RunTimeoutMs);
        QVERIFY2(text.exitCode == 1, describe(text).constData());
        QVERIFY2(text.err.contains("notes.txt"), text.err.constData());
        // A generator is not a score network.
        const Run generator
            = runCli({"retrieve", "--sre", QDir(m_gan).filePath("generator.pt"), "--query", "1", "--pool-size", "50"},
                RunTimeoutMs);
        QVERIFY2(generator.exitCode == 1, describe(generator).constData());
        QVERIFY2(generator.err.contains("generator.pt"), generator.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliLatent)
#include "tst_clilatent.moc"
