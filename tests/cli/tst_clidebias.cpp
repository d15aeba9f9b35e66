// untangle-cli debias as a user runs it: usage errors exit 2 with one line of reason and touch nothing, a tiny real
// run writes its folder and prints one JSON document, resume without a checkpoint exits 1 naming it.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "clirun.h"
#include "filelines.h"

namespace {

constexpr int RunTimeoutMs = 300000; // a loaded 2-core machine: generous, the run itself takes seconds

// A run small enough for seconds: Sprites, one epoch per stage, narrow MLPs, no probes, one thread.
const QStringList TinyRun {"--dataset", "sprites", "--epochs", "1", "--stage2-epochs", "1", "--probe-every", "0",
    "--width", "16", "--batch", "128", "--threads", "1"};

using Run = untangle::test::CliRun;
using untangle::test::runCli;

} // namespace

class TstCliDebias : public QObject {
    Q_OBJECT

private slots:
    void usageErrorsExitWithTwoAndOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments"); // --out is appended unless the row is about --out
        QTest::addColumn<QString>("reason"); // what the one line must mention
        QTest::addColumn<bool>("withOut");
        QTest::newRow("unknown dataset") << QStringList {"--dataset", "no-such-set"} << "no-such-set" << true;
        QTest::newRow("ratio 0") << QStringList {"--dataset", "sprites", "--ratio", "0"} << "ratio" << true;
        QTest::newRow("ratio 1") << QStringList {"--dataset", "sprites", "--ratio", "1"} << "ratio" << true;
        QTest::newRow("ratio 1.5") << QStringList {"--dataset", "sprites", "--ratio", "1.5"} << "ratio" << true;
        QTest::newRow("epochs 0") << QStringList {"--dataset", "sprites", "--epochs", "0"} << "epochs" << true;
        QTest::newRow("epochs -3") << QStringList {"--dataset", "sprites", "--epochs", "-3"} << "epochs" << true;
        QTest::newRow("unwritable folder")
            << QStringList {"--dataset", "sprites", "--out", "/proc/untangle-run"} << "/proc/untangle-run" << false;
        QTest::newRow("missing --out") << QStringList {"--dataset", "sprites"} << "--out" << false;
        QTest::newRow("seeds 0") << QStringList {"--dataset", "sprites", "--seeds", "0"} << "--seeds" << true;
        QTest::newRow("seeds -2") << QStringList {"--dataset", "sprites", "--seeds", "-2"} << "--seeds" << true;
        QTest::newRow("seeds text") << QStringList {"--dataset", "sprites", "--seeds", "three"} << "--seeds" << true;
        QTest::newRow("seeds 10^9") << QStringList {"--dataset", "sprites", "--seeds", "1000000000"} << "--seeds"
                                    << true;
    }

    void usageErrorsExitWithTwoAndOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        QFETCH(bool, withOut);
        QTemporaryDir temp;
        const QString out = temp.filePath("run");
        QStringList all = QStringList {"debias"} + arguments;
        if (withOut)
            all << "--out" << out;
        const Run run = runCli(all, RunTimeoutMs);
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(!err.isEmpty(), "no reason on stderr");
        QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
        QVERIFY2(err.contains(reason), qPrintable("reason does not mention " + reason + ": " + err));
        QVERIFY(run.out.trimmed().isEmpty());
        QVERIFY2(!QFileInfo::exists(out), "a usage error created the run folder"); // checked before anything is written
    }

    void tinyRunWritesItsFolderAndOneJsonDocument()
    {
        QTemporaryDir temp;
        const QString out = temp.filePath("run");
        const Run run = runCli(QStringList {"debias"} + TinyRun + QStringList {"--out", out, "--json"}, RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, run.err.constData());

        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError,
            qPrintable("stdout is not one JSON document: " + error.errorString()));
        QVERIFY(document.isObject());
        const QJsonObject json = document.object();
        for (const char *key : {"selected", "last", "stage1", "seconds_per_epoch", "total_seconds"})
            QVERIFY2(json.contains(key), key);
        QCOMPARE(json["method"].toString(), QString("denetdm"));
        QCOMPARE(json["final_head"].toString(), QString("target"));
        const QJsonObject selectedTest = json["selected"].toObject()["test"].toObject();
        const double unbiased = selectedTest["unbiased"].toDouble(-1.0);
        QVERIFY2(unbiased >= 0.0 && unbiased <= 1.0, qPrintable(QString::number(unbiased)));
        QCOMPARE(json["selected"].toObject()["epoch"].toInt(), 1);
        QVERIFY(json["total_seconds"].toDouble() > 0.0);

        for (const char *file : {"config.json", "metrics.jsonl", "metrics.csv", "checkpoint.pt", "result.json"})
            QVERIFY2(QFileInfo(out + "/" + file).isFile(), file);
        QCOMPARE(untangle::test::nonEmptyLineCount(out + "/metrics.jsonl"), 2); // one evaluation per epoch, both stages
        QCOMPARE(untangle::test::nonEmptyLineCount(out + "/metrics.csv"), 3); // header + the same two rows
        const QStringList leftovers
            = QDir(out).entryList({".untangle-write-test-*", "*.tmp-*"}, QDir::Files | QDir::Hidden);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", "))); // no probe or temp files left behind

        // Resuming the finished run trains nothing more and reports the same selected numbers.
        const Run again
            = runCli(QStringList {"debias"} + TinyRun + QStringList {"--out", out, "--json", "--resume"}, RunTimeoutMs);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QJsonObject resumed = QJsonDocument::fromJson(again.out).object();
        QCOMPARE(resumed["selected"].toObject(), json["selected"].toObject());
        QCOMPARE(resumed["last"].toObject(), json["last"].toObject());
        QCOMPARE(untangle::test::nonEmptyLineCount(out + "/metrics.jsonl"), 2);
    }

    void lffTakesTheOfficialRecipeUnlessToldOtherwise()
    {
        // Refused before anything is written: a recipe on another method, an unknown recipe, the official (MLP)
        // recipe on the CNN pair.
        const QList<QStringList> refused {{"debias", "--dataset", "sprites", "--lff-recipe", "official"},
            {"lff", "--dataset", "sprites", "--lff-recipe", "fancy"},
            {"lff", "--dataset", "corrupted-fmnist", "--lff-recipe", "official"}};
        for (const QStringList &arguments : refused) {
            QTemporaryDir temp;
            const Run run = runCli(arguments + QStringList {"--out", temp.filePath("run")}, RunTimeoutMs);
            QVERIFY2(run.exitCode == 2, qPrintable(arguments.join(' ') + ": " + run.err));
            QVERIFY2(QString::fromUtf8(run.err).contains("lff"), run.err.constData());
            QVERIFY(!QFileInfo::exists(temp.filePath("run")));
        }
        // On an MLP dataset the official recipe is the default: three hidden layers and the last partial batch
        // kept; a --batch given explicitly wins over the recipe's 256.
        QTemporaryDir temp;
        const QString out = temp.filePath("run");
        const Run run = runCli(QStringList {"lff", "--dataset", "sprites", "--epochs", "1", "--probe-every", "0",
                                   "--width", "16", "--batch", "100", "--threads", "1", "--out", out},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QFile file(out + "/config.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(config["batch_size"].toInt(), 100);
        QCOMPARE(config["deep_depth"].toInt(), 4);
        QCOMPARE(config["stage1_drop_last"].toBool(true), false);
        QCOMPARE(config["lff_rescale_inputs"].toBool(true), false);
    }

    void stage1StepsBecomeWholeEpochs()
    {
        for (const QString bad : {"0", "-5", "many", "1000000000000"}) {
            QTemporaryDir temp;
            const Run run = runCli(
                QStringList {"erm"} + TinyRun + QStringList {"--stage1-steps", bad, "--out", temp.filePath("run")},
                RunTimeoutMs);
            QVERIFY2(run.exitCode == 2, qPrintable(bad + ": " + run.err));
            QVERIFY2(QString::fromUtf8(run.err).contains("--stage1-steps"), run.err.constData());
            QVERIFY(!QFileInfo::exists(temp.filePath("run")));
        }
        // A step count just past one epoch's batches is two epochs, and the cost line says so.
        QTemporaryDir temp;
        const QString out = temp.filePath("run");
        const Run probe
            = runCli(QStringList {"erm"} + TinyRun + QStringList {"--stage1-steps", "1", "--out", out}, RunTimeoutMs);
        QVERIFY2(probe.exitCode == 0, probe.err.constData());
        static const QRegularExpression cost("= 1 epochs x (\\d+) batches");
        const auto match = cost.match(QString::fromUtf8(probe.err));
        QVERIFY2(match.hasMatch(), probe.err.constData());
        const int perEpoch = match.captured(1).toInt();
        QVERIFY(perEpoch > 0);
        QTemporaryDir temp2;
        const QString out2 = temp2.filePath("run");
        const Run run = runCli(QStringList {"erm"} + TinyRun
                + QStringList {"--stage1-steps", QString::number(perEpoch + 1), "--out", out2},
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(untangle::test::nonEmptyLineCount(out2 + "/metrics.jsonl"), 2);
    }

    void trainingSeedsShareOneDatasetUnlessTheDataSeedChanges()
    {
        QTemporaryDir temp;
        const auto datasetOf = [&](const QStringList &seeds) {
            const QString out = temp.filePath(seeds.join('-'));
            const Run run = runCli(QStringList {"debias"} + TinyRun + seeds + QStringList {"--out", out}, RunTimeoutMs);
            QFile file(out + "/config.json");
            return run.exitCode == 0 && file.open(QIODevice::ReadOnly)
                ? QJsonDocument::fromJson(file.readAll()).object()
                : QJsonObject {{"error", QString::fromUtf8(run.err)}};
        };
        const QJsonObject first = datasetOf({"--seed", "0"}), second = datasetOf({"--seed", "1"});
        const QJsonObject third = datasetOf({"--seed", "1", "--data-seed", "3"});
        QVERIFY2(!first.contains("error"), qPrintable(first["error"].toString()));
        QCOMPARE(first["seed"].toInt(), 0);
        QCOMPARE(second["seed"].toInt(), 1);
        QCOMPARE(second["dataset"].toObject(), first["dataset"].toObject()); // the same images, only training differs
        QCOMPARE(third["dataset"].toObject()["seed"].toInt(), 3);
    }

    void seedsTrainInOneProcessAndReportMeanAndStd()
    {
        QTemporaryDir temp;
        const QString out = temp.filePath("batch");
        const QStringList args
            = QStringList {"debias"} + TinyRun + QStringList {"--seed", "5", "--seeds", "2", "--out", out};
        const Run run = runCli(args + QStringList {"--json"}, RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(run.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray results = json["results"].toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].toObject()["seed"].toInt(), 5);
        QCOMPARE(results[1].toObject()["seed"].toInt(), 6);
        const double a = results[0].toObject()["selected"].toObject()["test"].toObject()["unbiased"].toDouble();
        const double b = results[1].toObject()["selected"].toObject()["test"].toObject()["unbiased"].toDouble();
        const QJsonObject unbiased
            = json["summary"].toObject()["selected"].toObject()["test"].toObject()["unbiased"].toObject();
        QVERIFY(std::abs(unbiased["mean"].toDouble() - (a + b) / 2) < 1e-9);
        QVERIFY(std::abs(unbiased["std"].toDouble() - std::abs(a - b) / std::sqrt(2.0)) < 1e-9);
        for (const char *file : {"seeds.json", "summary.json", "seed-5/result.json", "seed-6/result.json"})
            QVERIFY2(QFileInfo(out + "/" + file).isFile(), file);

        // `table` reads a batch as its seed folders: one row of two seeds, the summary's mean.
        const Run table = runCli(QStringList {"table", out, "--json"}, RunTimeoutMs);
        QVERIFY2(table.exitCode == 0, table.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(table.out).array();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].toObject()["seeds"].toInt(), 2);

        // The batch resumes as a whole, and a second fresh batch into the same folder is refused, nothing changed.
        const Run resumed = runCli(QStringList {"debias", "--out", out, "--resume", "--json"}, RunTimeoutMs);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonArray resumedResults = QJsonDocument::fromJson(resumed.out).object()["results"].toArray();
        QVERIFY2(resumedResults == results,
            qPrintable(QJsonDocument(resumedResults).toJson(QJsonDocument::Compact) + "\n != \n"
                + QJsonDocument(results).toJson(QJsonDocument::Compact)));
        const Run again = runCli(args, RunTimeoutMs);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(QString::fromUtf8(again.err).contains("already holds"), again.err.constData());
        const Run wrongCount = runCli(QStringList {"debias", "--out", out, "--resume", "--seeds", "3"}, RunTimeoutMs);
        QCOMPARE(wrongCount.exitCode, 1);
        QVERIFY2(QString::fromUtf8(wrongCount.err).contains("holds 2 seeds"), wrongCount.err.constData());
        const Run wrongMethod = runCli(QStringList {"erm", "--out", out, "--resume"}, RunTimeoutMs);
        QCOMPARE(wrongMethod.exitCode, 1);
        QVERIFY2(QString::fromUtf8(wrongMethod.err).contains("denetdm"), wrongMethod.err.constData());
    }

    void resumeWithoutCheckpointExitsWithOne()
    {
        QTemporaryDir temp; // exists and is empty: a folder, but not a run
        const Run run = runCli(QStringList {"debias"} + TinyRun + QStringList {"--out", temp.path(), "--resume"});
        QCOMPARE(run.exitCode, 1);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(err.contains("checkpoint"), qPrintable(err));
        QVERIFY(!QFileInfo::exists(temp.filePath("metrics.jsonl"))); // nothing was started in the folder
    }
};

QTEST_GUILESS_MAIN(TstCliDebias)
#include "tst_clidebias.moc"
