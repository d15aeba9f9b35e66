// The factor-world commands' refusals through untangle-cli, all before any work: the renderer check on a world it does
// not run on (usage errors, exit 2), and a study folder of another experiment (exit 1, named settings, no byte
// changed). No training, no generator: each run takes well under a second.
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QtTest>

#include "clirun.h"

namespace {

constexpr int RunTimeoutMs = 120000; // each run is a refusal: a loaded 2-core machine still answers in seconds

using Run = untangle::test::CliRun;
using untangle::test::runCli;

QByteArray describe(const Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out + "\nstderr: " + run.err.right(2000);
}

/** Every entry under dir, files with their SHA-1 and folders with a marker: what "nothing changed" means. */
QMap<QString, QByteArray> fingerprint(const QString &dir)
{
    QMap<QString, QByteArray> entries;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(dir).relativeFilePath(path);
        if (QFileInfo(path).isDir()) {
            entries[relative + "/"] = "folder";
            continue;
        }
        QFile file(path);
        entries[relative] = file.open(QIODevice::ReadOnly)
            ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1)
            : QByteArray("unreadable");
    }
    return entries;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/** The study options every run below passes, so the stored settings differ from the given ones only where a test
 *  says (the study's defaults may change without touching this test). */
const QStringList StudyOptions {"--methods", "random,sefa", "--seeds", "1", "--count", "4", "--voynov-steps", "50",
    "--sre-steps", "40", "--sre-lr", "0.0001", "--sre-range", "1.5", "--snapshot-every", "20", "--eval-images", "200",
    "--eval-epochs", "1", "--mig-points", "200", "--dci-points", "200", "--pool", "50", "--k", "5"};

/** study-config.json as runLatentStudy writes it for StudyOptions and this generator. */
QJsonObject storedSettings(const QString &generator)
{
    return {{"generators", QJsonArray {generator}}, {"methods", QJsonArray {"random", "sefa"}}, {"count", 4},
        {"voynovSteps", 50}, {"sreSteps", 40}, {"sreLearningRate", 0.0001}, {"sreRange", 1.5}, {"sreSnapshotEvery", 20},
        {"evaluationImages", 200}, {"evaluationEpochs", 1}, {"migPoints", 200}, {"dciPoints", 200},
        {"retrievalPool", 50}, {"retrievalK", 5}};
}

} // namespace

class TstCliFactors : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /** A study folder that looks like a started study: marker, settings, a finished directions stage, a table. */
    QString makeStudy(const QString &name, const QJsonObject &settings)
    {
        const QString dir = path(name);
        if (!QDir().mkpath(dir + "/g0/random"))
            return {};
        const bool written = writeAll(dir + "/.untangle-run", "study\n")
            && writeAll(dir + "/study-config.json", QJsonDocument(settings).toJson())
            && writeAll(dir + "/g0/random/directions.json", "{\"directions\": []}\n")
            && writeAll(dir + "/table.md", "| method | mig |\n");
        return written ? dir : QString();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void oracleOnAnUnknownWorldIsAUsageError()
    {
        const Run run = runCli({"evaluate", "--oracle", "--dataset", "nope", "--samples", "8"}, RunTimeoutMs);
        QVERIFY2(run.exitCode == 2, describe(run).constData());
        QVERIFY2(run.err.contains("'nope'") && run.err.contains("scenes"), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void oracleOnSpritesIsAUsageError()
    {
        for (const QString &resolution : {QString("64"), QString("32")}) {
            const Run run
                = runCli({"evaluate", "--oracle", "--dataset", "sprites", "--resolution", resolution, "--samples", "8"},
                    RunTimeoutMs);
            QVERIFY2(run.exitCode == 2, describe(run).constData());
            QVERIFY2(run.err.contains("scenes"), run.err.constData());
            QVERIFY(run.out.isEmpty());
        }
    }

    void oracleBadNumbersAreUsageErrors()
    {
        for (const QStringList &extra : {QStringList {"--samples", "1"}, QStringList {"--samples", "many"},
                 QStringList {"--resolution", "8"}, QStringList {"--resolution", "512"}}) {
            const Run run = runCli(QStringList {"evaluate", "--oracle", "--dataset", "scenes"} + extra, RunTimeoutMs);
            QVERIFY2(run.exitCode == 2, (extra.join(' ').toUtf8() + ": " + describe(run)).constData());
            QVERIFY(!run.err.isEmpty());
        }
    }

    void studyOfOtherSettingsIsRefusedUntouched()
    {
        const QString generator = path("generator.pt"); // never read: the refusal comes first
        QJsonObject stored = storedSettings(generator);
        stored["sreSteps"] = 6000;
        const QString dir = makeStudy("study-other-steps", stored);
        QVERIFY(!dir.isEmpty());
        const auto before = fingerprint(dir);
        const QByteArray settingsBefore = readAll(dir + "/study-config.json");

        const Run run
            = runCli(QStringList {"study", "--generator", generator, "--out", dir, "--threads", "1"} + StudyOptions,
                RunTimeoutMs);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains("other settings"), run.err.constData());
        QVERIFY2(
            run.err.contains("sreSteps") && run.err.contains("6000") && run.err.contains("40"), run.err.constData());
        // Only the setting that differs is named (every other stored value equals the given one).
        QVERIFY2(run.err.count(": stored ") == 1, run.err.constData());
        for (const char *same : {"generators", "methods", "count", "voynovSteps", "retrievalPool", "evaluationImages"})
            QVERIFY2(!run.err.contains(QByteArray(same) + ":"), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(readAll(dir + "/study-config.json"), settingsBefore);
        QCOMPARE(fingerprint(dir), before);
    }

    void studyOfOtherGeneratorsAndMethodsNamesBoth()
    {
        const QString generator = path("generator.pt");
        QJsonObject stored = storedSettings(path("another-generator.pt"));
        stored["methods"] = QJsonArray {"random", "sefa", "ganspace"};
        const QString dir = makeStudy("study-other-generator", stored);
        QVERIFY(!dir.isEmpty());
        const auto before = fingerprint(dir);
        const QByteArray settingsBefore = readAll(dir + "/study-config.json");

        const Run run
            = runCli(QStringList {"study", "--generator", generator, "--out", dir} + StudyOptions, RunTimeoutMs);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains("generators:") && run.err.contains("another-generator.pt"), run.err.constData());
        QVERIFY2(run.err.contains("methods:") && run.err.contains("ganspace"), run.err.constData());
        QVERIFY2(run.err.count(": stored ") == 2, run.err.constData());
        QCOMPARE(readAll(dir + "/study-config.json"), settingsBefore);
        QCOMPARE(fingerprint(dir), before);
    }

    void studyWithUnknownEstimatorIsAUsageError()
    {
        const QString dir = path("study-never");
        const Run run = runCli(QStringList {"study", "--generator", path("generator.pt"), "--out", dir,
                                   "--rescoring-only", "--sre-backbone", "vgg"}
                + StudyOptions,
            RunTimeoutMs);
        QVERIFY2(run.exitCode == 2, describe(run).constData());
        QVERIFY2(run.err.contains("'vgg'") && run.err.contains("resnet18"), run.err.constData());
        QVERIFY(!QFileInfo::exists(dir));
    }

    void studyWithDamagedSettingsIsRefusedUntouched()
    {
        const QString dir = makeStudy("study-damaged", storedSettings(path("generator.pt")));
        QVERIFY(!dir.isEmpty());
        QVERIFY(writeAll(dir + "/study-config.json", "{\"count\": 4, "));
        const auto before = fingerprint(dir);
        const Run run = runCli(
            QStringList {"study", "--generator", path("generator.pt"), "--out", dir} + StudyOptions, RunTimeoutMs);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains("study-config.json") && run.err.contains("damaged"), run.err.constData());
        QCOMPARE(fingerprint(dir), before);
    }
};

QTEST_GUILESS_MAIN(TstCliFactors)
#include "tst_clifactors.moc"
