// untangle-cli as a user runs it: exit codes, JSON output, the LfF export read back, clear errors.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "clirun.h"

#include <opencv2/imgcodecs.hpp>

#include <sys/resource.h>

namespace {

using Run = untangle::test::CliRun;
using untangle::test::runCli;

QJsonObject parse(const Run &run)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
}

QByteArray describe(const Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out + "\nstderr: " + run.err.right(2000);
}

/** A file the tests read from the source tree (the shipped generators and their directions). */
QString sourceFile(const QString &relative)
{
    return QDir(UNTANGLE_SOURCE_DIR).filePath(relative);
}

QVector<int> ints(const QJsonValue &value)
{
    QVector<int> out;
    for (const auto &v : value.toArray())
        out << v.toInt();
    return out;
}

} // namespace

class TstCli : public QObject {
    Q_OBJECT

private:
    /** Runs the CLI (`@out` in arguments = a fresh path) and expects exit 2 with message, none of `forbidden` on
     *  stderr, nothing on stdout and no output written. */
    void expectUsageErrorBeforeAnyWork(QStringList arguments, const QString &message, const QStringList &forbidden)
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("run");
        arguments.replaceInStrings("@out", out);
        const Run run = runCli(arguments);
        QVERIFY2(run.exitCode == 2, describe(run).constData());
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        for (const QString &text : forbidden)
            QVERIFY2(!QString::fromUtf8(run.err).contains(text), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFileInfo::exists(out) && !QFileInfo::exists(out + ".pt"));
    }

private slots:
    void cmnistJsonHasTheProtocolCounts()
    {
        const Run run = runCli({"dataset", "--dataset", "cmnist10k", "--ratio", "0.01", "--seed", "0", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = parse(run);
        QVERIFY2(!json.isEmpty(), "stdout is not one JSON document");
        const QJsonObject train = json["splits"].toObject()["train"].toObject();
        QCOMPARE(train["total"].toInt(), 7996);
        QCOMPARE(train["conflicting"].toInt(), 81);
        QCOMPARE(ints(train["conflictingPerClass"]), (QVector<int> {8, 9, 8, 8, 8, 7, 8, 9, 8, 8}));
        QCOMPARE(json["splits"].toObject()["valid"].toObject()["total"].toInt(), 9970);
        QCOMPARE(json["splits"].toObject()["test"].toObject()["total"].toInt(), 10070);
        QCOMPARE(json["numTargets"].toInt(), 10);
    }

    void textOutputIsATable()
    {
        const Run run = runCli({"dataset", "--dataset", "sprites", "--ratio", "0.05"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("train"));
        QVERIFY(run.out.contains("conflicting"));
    }

    void exportedLffReadsBackWithTheSameCounts()
    {
        QTemporaryDir dir;
        const Run exported = runCli({"dataset", "--dataset", "sprites", "--ratio", "0.05", "--seed", "3",
            "--export-lff", dir.path(), "--json"});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY(QFile::exists(dir.filePath("train/images.npy")));
        QVERIFY(QFile::exists(dir.filePath("test/attrs.npy")));
        const Run imported = runCli({"dataset", "--dataset", "lff", "--path", dir.path(), "--json"});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QJsonObject a = parse(exported)["splits"].toObject(), b = parse(imported)["splits"].toObject();
        for (const char *split : {"train", "valid", "test"})
            QCOMPARE(b[split].toObject()["cells"], a[split].toObject()["cells"]);
    }

    void scenesJsonListsTheFactorsAndExportsToLff()
    {
        QTemporaryDir dir;
        const Run run = runCli({"dataset", "--dataset", "scenes", "--ratio", "0.05", "--size", "32", "--export-lff",
            dir.path(), "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = parse(run);
        QCOMPARE(json["dataset"].toString(), QString("scenes"));
        QCOMPARE(ints(json["imageShape"]), (QVector<int> {32, 32, 3}));
        QCOMPARE(json["numTargets"].toInt(), 4);
        const QJsonObject train = json["splits"].toObject()["train"].toObject();
        QCOMPARE(train["total"].toInt(), 8000);
        QCOMPARE(ints(train["conflictingPerClass"]), (QVector<int> {100, 100, 100, 100}));
        // The six 3D Shapes factors with their value counts, in their order.
        const QJsonArray factors = json["factors"].toArray();
        const QStringList names {"floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"};
        const QVector<int> counts {10, 10, 10, 8, 4, 15};
        QCOMPARE(factors.size(), names.size());
        for (int f = 0; f < factors.size(); ++f) {
            QCOMPARE(factors[f].toObject()["name"].toString(), names[f]);
            QCOMPARE(factors[f].toObject()["count"].toInt(), counts[f]);
        }
        const Run imported = runCli({"dataset", "--dataset", "lff", "--path", dir.path(), "--json"});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QJsonObject a = json["splits"].toObject(), b = parse(imported)["splits"].toObject();
        for (const char *split : {"train", "valid", "test"})
            QCOMPARE(b[split].toObject()["cells"], a[split].toObject()["cells"]);

        const Run text = runCli({"dataset", "--dataset", "scenes", "--size", "32"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(
            text.out.contains("factors: floor_hue 10, wall_hue 10, object_hue 10, scale 8, shape 4, orientation 15"));
        QVERIFY(parse(runCli({"dataset", "--dataset", "cmnist10k", "--json"}))["factors"].toArray().isEmpty());
    }

    void usageErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no command") << QStringList {};
        QTest::newRow("unknown command") << QStringList {"frobnicate"};
        QTest::newRow("unknown dataset") << QStringList {"dataset", "--dataset", "imagenet"};
        QTest::newRow("ratio not a number") << QStringList {"dataset", "--ratio", "lots"};
        QTest::newRow("ratio above 1") << QStringList {"dataset", "--ratio", "1.5"};
        QTest::newRow("folder without path") << QStringList {"dataset", "--dataset", "folder"};
        QTest::newRow("unknown option") << QStringList {"dataset", "--colour", "red"};
    }

    void usageErrorsExitWithTwo()
    {
        QFETCH(QStringList, arguments);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.err.isEmpty());
        QVERIFY(run.out.isEmpty() || !arguments.isEmpty());
    }

    void threadCountsOutOfRangeAreRefusedByName()
    {
        // Otherwise complete commands: only --threads is wrong, and nothing is written.
        QTemporaryDir dir;
        const QString out = dir.filePath("run");
        for (const QString &threads : {"-3", "5000", "many", ""}) {
            for (const QStringList &command : {QStringList {"debias", "--epochs", "1", "--out", out},
                     QStringList {"gan", "--iterations", "1", "--out", out}}) {
                const Run run = runCli(command + QStringList {"--threads", threads});
                QCOMPARE(run.exitCode, 2);
                const QString expected = "--threads is 0 (every core) to 256, not '" + threads + "'";
                QVERIFY2(QString::fromUtf8(run.err).contains(expected), run.err.constData());
                QVERIFY(!QFileInfo::exists(out));
            }
        }
    }

    void badNumbersAreNamedBeforeAnyWork_data()
    {
        // Every command reads its numbers through one reader: the message names the option and what is wrong with
        // the value, and a number that does not fit an int says so (it used to become 0, "must be at least 1").
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString out = "@out";
        QTest::newRow("coverage samples abc") << QStringList {"coverage", "--generator", "g.pt", "--samples", "abc"}
                                              << "--samples must be a whole number, got 'abc'";
        QTest::newRow("coverage samples too large") << QStringList {"coverage", "--generator", "g.pt", "--samples",
            "99999999999"} << "--samples is too large: '99999999999' (at most 2147483647)";
        QTest::newRow("coverage seed negative") << QStringList {"coverage", "--generator", "g.pt", "--seed", "-1"}
                                                << "--seed must be a whole number from 0 up, got '-1'";
        QTest::newRow("coverage truncation x") << QStringList {"coverage", "--generator", "g.pt", "--truncation", "x"}
                                               << "--truncation must be a number, got 'x'";
        QTest::newRow("sre lr") << QStringList {"sre", "--generator", "g.pt", "--directions", "d.json", "--lr", "x",
            "--out", out} << "--lr must be a number, got 'x'";
        QTest::newRow("sre steps too large") << QStringList {"sre", "--generator", "g.pt", "--directions", "d.json",
            "--steps", "99999999999", "--out", out}
                                             << "--steps is too large: '99999999999' (at most 2147483647)";
        QTest::newRow("gan batch") << QStringList {"gan", "--batch", "lots", "--out", out}
                                   << "--batch must be a whole number, got 'lots'";
        QTest::newRow("debias epochs") << QStringList {"debias", "--epochs", "3000000000", "--out", out}
                                       << "--epochs is too large: '3000000000' (at most 2147483647)";
        QTest::newRow("lff batch") << QStringList {"lff", "--batch", "1.5", "--out", out}
                                   << "--batch must be a whole number, got '1.5'";
        QTest::newRow("directions samples") << QStringList {"directions", "--generator", "g.pt", "--samples",
            "99999999999", "--out", out} << "--samples is too large: '99999999999' (at most 2147483647)";
        QTest::newRow("study only-generator") << QStringList {"study", "--generator", "g.pt", "--only-generator",
            "first", "--out", out} << "--only-generator must be a whole number, got 'first'";
        QTest::newRow("evaluate images") << QStringList {"evaluate", "--generator", "g.pt", "--directions", "d.json",
            "--images", "ten"} << "--images must be a whole number, got 'ten'";
        QTest::newRow("oracle samples") << QStringList {"evaluate", "--oracle", "--samples", "many"}
                                        << "--samples must be a whole number, got 'many'";
        QTest::newRow("retrieve pool seed")
            << QStringList {"retrieve", "--sre", "s.pt", "--query", "1", "--pool-seed", "99999999999999999999999"}
            << "--pool-seed is too large: '99999999999999999999999' (at most "
               "18446744073709551615)";
        QTest::newRow("traverse columns") << QStringList {"traverse", "--generator", "g.pt", "--directions", "d.json",
            "--columns", "-99999999999", "--out", "t.png"}
                                          << "--columns is too small: '-99999999999'";
        QTest::newRow("factor-model steps") << QStringList {"factor-model", "--steps", "1e5", "--out", out + ".pt"}
                                            << "--steps must be a whole number, got '1e5'";
        QTest::newRow("dataset size") << QStringList {"dataset", "--size", "big"}
                                      << "--size must be a whole number, got 'big'";
        QTest::newRow("dataset ratio nan")
            << QStringList {"dataset", "--ratio", "nan"} << "--ratio must be a number in [0, 1], got 'nan'";
    }

    void badNumbersAreNamedBeforeAnyWork()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        expectUsageErrorBeforeAnyWork(arguments, message, {"numeric option", "at least 1"});
    }

    void absurdSizesAreRefusedByTheirBound_data()
    {
        // Each ended in a bare "std::bad_alloc"; now the bound (in the model's validate, so the GUI has it too) is
        // checked before any file is read. The generator and direction files do not exist: nothing gets that far.
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("evaluate images") << QStringList {"evaluate", "--generator", "g.pt", "--directions", "d.json",
            "--images",
            "2147483647"} << "images the encoder is distilled from) is too large: 2147483647 (at most 50000)";
        QTest::newRow("coverage samples") << QStringList {"coverage", "--generator", "g.pt", "--samples", "2147483647"}
                                          << "coverage samples is too large: 2147483647 (at most 20000)";
        QTest::newRow("sre batch") << QStringList {"sre", "--generator", "g.pt", "--directions", "d.json", "--batch",
            "2147483646", "--out", "@out"}
                                   << "batch (images per step) is too large: 2147483646 (at most 2048)";
        QTest::newRow("retrieve pool size") << QStringList {"retrieve", "--sre", "s.pt", "--query", "1", "--pool-size",
            "2147483647"} << "--pool-size: the retrieval pool size is too large: 2147483647 images (at most 100000)";
        QTest::newRow("study eval images") << QStringList {"study", "--generator", "g.pt", "--eval-images", "60000",
            "--out", "@out"} << "the evaluation images (--eval-images) are too many: 60000 (at most 50000)";
        QTest::newRow("study pool") << QStringList {"study", "--generator", "g.pt", "--pool", "2147483647", "--out",
            "@out"} << "the retrieval pool (--pool) is too large: 2147483647 images (at most 100000)";
    }

    void absurdSizesAreRefusedByTheirBound()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        expectUsageErrorBeforeAnyWork(arguments, message, {"bad_alloc"});
    }

    void outOfMemoryNamesTheSizeOptions()
    {
        // Within every bound, on a machine too small for it (here: 1.5 GB of address space for 50,000 64 px Scenes
        // images, 2.5 GB): a message about the size asked for, exit 1, instead of "std::bad_alloc".
        QProcess process;
        process.setChildProcessModifier([] {
            constexpr rlim_t Limit = 1500ull * 1024 * 1024;
            const rlimit limit {Limit, Limit};
            ::setrlimit(RLIMIT_AS, &limit);
        });
        process.start(UNTANGLE_CLI_PATH,
            {"evaluate", "--generator", sourceFile("resources/generators/scenes-64/generator.pt"), "--directions",
                sourceFile("resources/generators/scenes-64/sefa.json"), "--images", "50000", "--threads", "1"});
        QVERIFY(process.waitForFinished(120000));
        const QByteArray err = process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("out of memory: a size option") && err.contains("try a smaller value"), err.constData());
        QVERIFY2(!err.contains("bad_alloc") && !err.contains("can't allocate"), err.constData());
    }

    void labelOutputIsCheckedBeforeTheRescoring()
    {
        // A folder, a file in a folder that does not exist and a device: refused by the up-front check, naming --out
        // with exit 2 (the write after ~12 s of rescoring failed with exit 1 and another message), nothing created.
        QTemporaryDir dir;
        const QString folder = dir.filePath("labelled");
        QVERIFY(QDir().mkpath(folder));
        const QStringList base {"label", "--generator", sourceFile("resources/generators/sprites-64/generator.pt"),
            "--directions", sourceFile("resources/generators/sprites-64/sefa.json"), "--threads", "1", "--out"};
        const QList<QPair<QString, QString>> cases {{folder, "--out " + folder + " is a folder"},
            {dir.filePath("missing/labelled.json"), "the folder " + dir.filePath("missing") + " does not exist"},
            {"/dev/null", "--out /dev/null is not a regular file"}};
        for (const auto &[out, message] : cases) {
            const Run run = runCli(base + QStringList {out});
            QVERIFY2(run.exitCode == 2, describe(run).constData());
            QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
            QVERIFY(run.out.isEmpty());
        }
        QVERIFY(QDir(folder).isEmpty());
        QVERIFY(!QFileInfo::exists(dir.filePath("missing")));
    }

    void labelStoresTheAttributionItNamesBy()
    {
        // `label` writes its matrix into the set, and the shipped set holds what it measures: the same names and the
        // same cells, to the bit (rescoring is seeded), so what the app shows at launch is `label`'s measurement.
        QTemporaryDir dir;
        const QString shipped = sourceFile("resources/generators/sprites-64/sefa.json");
        const QString out = dir.filePath("labelled.json");
        const Run run = runCli({"label", "--generator", sourceFile("resources/generators/sprites-64/generator.pt"),
            "--directions", shipped, "--threads", "1", "--out", out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const auto objectIn = [](const QString &path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
        };
        const QJsonObject written = objectIn(out), stored = objectIn(shipped);
        const QJsonObject attribution = written["attribution"].toObject();
        QCOMPARE(attribution["samples"].toInt(), 512);
        QCOMPARE(attribution["factors"].toArray().size(), 5); // shape, scale, orientation, x, y
        QCOMPARE(attribution["magnitude"].toArray().size(), written["directions"].toArray().size());
        QCOMPARE(attribution, stored["attribution"].toObject());
        for (int k = 0; k < written["directions"].toArray().size(); ++k)
            QCOMPARE(written["directions"].toArray()[k].toObject()["name"],
                stored["directions"].toArray()[k].toObject()["name"]);
    }

    void coveragePairsShowWhatTheReaderSees()
    {
        // --pairs on the shipped Sprites generator: 6 rows (squares, ellipses, hearts as read, each over its renders)
        // of 8 cells of 64 px with 2 px gaps. A sample and the render the reader makes of it overlap: the squares'
        // mean IoU is near coverage's render-back IoU (0.84), far above two unrelated cells' overlap.
        QTemporaryDir dir;
        const QString png = dir.filePath("pairs.png");
        const QString generator = sourceFile("resources/generators/sprites-64/generator.pt");
        const Run run
            = runCli({"coverage", "--generator", generator, "--samples", "64", "--threads", "1", "--pairs", png});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        // The shape x scale counts: every one of the 64 samples in exactly one cell, as the JSON has them too.
        const QString byScale
            = QString::fromUtf8(run.out).section(QStringLiteral("smallest first"), 1).section('\n', 0, 0);
        int counted = 0;
        for (const QString &word :
            byScale.section(QStringLiteral("):"), 1).split(QRegularExpression("[ ;]"), Qt::SkipEmptyParts))
            counted += word.toInt();
        QCOMPARE(counted, 64);
        const Run json = runCli({"coverage", "--generator", generator, "--samples", "64", "--threads", "1", "--json"});
        QVERIFY2(json.exitCode == 0, describe(json).constData());
        int inJson = 0;
        const QJsonArray shapes = QJsonDocument::fromJson(json.out).object()["shapeByScale"].toArray();
        QCOMPARE(shapes.size(), 3);
        for (const QJsonValue &row : shapes) {
            QCOMPARE(row.toArray().size(), 6);
            for (const QJsonValue &count : row.toArray())
                inJson += count.toInt();
        }
        QCOMPARE(inJson, 64);
        const cv::Mat pairs = cv::imread(png.toStdString(), cv::IMREAD_GRAYSCALE);
        QCOMPARE(pairs.cols, 8 * 64 + 7 * 2);
        QCOMPARE(pairs.rows, 6 * 64 + 5 * 2);
        const auto cellIou = [&](int row, int column, int otherRow, int otherColumn) {
            int both = 0, either = 0;
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 64; ++x) {
                    const bool a = pairs.at<std::uint8_t>(row * 66 + y, column * 66 + x) > 127;
                    const bool b = pairs.at<std::uint8_t>(otherRow * 66 + y, otherColumn * 66 + x) > 127;
                    both += a && b;
                    either += a || b;
                }
            return either ? double(both) / either : 1.0;
        };
        double paired = 0.0, unrelated = 0.0;
        for (int column = 0; column < 8; ++column) {
            paired += cellIou(0, column, 1, column) / 8;
            unrelated += cellIou(0, column, 1, (column + 3) % 8) / 8;
        }
        QVERIFY2(paired > 0.7, qPrintable(QString::number(paired)));
        QVERIFY2(unrelated < 0.4, qPrintable(QString::number(unrelated)));

        // Refused by name, nothing written: a Scenes generator, and --pairs over every snapshot.
        const QString scenes = dir.filePath("scenes.png");
        const Run refused
            = runCli({"coverage", "--generator", sourceFile("resources/generators/scenes-64/generator.pt"), "--samples",
                "16", "--threads", "1", "--pairs", scenes});
        QVERIFY2(
            refused.exitCode == 1 && refused.err.contains("--pairs is for Sprites"), describe(refused).constData());
        QVERIFY(!QFileInfo::exists(scenes));
        const Run snapshots = runCli({"coverage", "--generator", dir.path(), "--snapshots", "--pairs", scenes});
        QVERIFY2(snapshots.exitCode == 2 && snapshots.err.contains("--snapshots"), describe(snapshots).constData());
        // A folder as --pairs is named before any sampling (exit 2, nothing printed).
        const Run folder = runCli({"coverage", "--generator", generator, "--pairs", dir.path()});
        QVERIFY2(folder.exitCode == 2 && folder.err.contains("is a folder") && folder.out.isEmpty(),
            describe(folder).constData());
    }

    void badInputExitsWithOneAndSaysWhy()
    {
        const Run folder = runCli({"dataset", "--dataset", "folder", "--path", "/nonexistent/faces"});
        QCOMPARE(folder.exitCode, 1);
        QVERIFY(folder.err.contains("/nonexistent/faces"));

        QTemporaryDir dir;
        const Run package
            = runCli({"import-mnist-json", dir.path(), "--images", dir.filePath("i"), "--labels", dir.filePath("l")});
        QCOMPARE(package.exitCode, 1);
        QVERIFY(package.err.contains("0.json"));
        QVERIFY(!QFile::exists(dir.filePath("i"))); // nothing half-written
    }

    void missingMnistNamesTheFetchCommand()
    {
        QTemporaryDir empty;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("UNTANGLE_DATA_DIR", empty.path());
        const Run run = runCli({"dataset", "--dataset", "cmnist10k"}, 60000, environment);
        QCOMPARE(run.exitCode, 1);
        const QByteArray &err = run.err;
        QVERIFY2(err.contains("untangle-cli fetch-data"), err.constData()); // works for an installed app too
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
