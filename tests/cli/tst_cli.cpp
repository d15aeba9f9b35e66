// untangle-cli as a user runs it: exit codes, JSON output, the LfF export read back, clear errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "clirun.h"

namespace {

using Run = untangle::test::CliRun;
using untangle::test::runCli;

QJsonObject parse(const Run &run)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
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
