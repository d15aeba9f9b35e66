// Nothing lost: every way a run folder could be overwritten, shared, damaged or left half-written, tried through
// untangle-cli as a user (or a full disk) would. Each refusal exits 1, names the problem and changes no byte.
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "clirun.h"
#include "filelines.h"

#include <sys/file.h>
#include <unistd.h>

namespace {

using Run = untangle::test::CliRun;
using untangle::test::runCli;

constexpr int RunTimeoutMs = 300000; // generous for a loaded 2-core machine; the runs take seconds
constexpr int LongEpochs = 400; // a run that is still going when the test stops it

const QStringList TinyRun {
    "--dataset", "sprites", "--probe-every", "0", "--width", "16", "--batch", "128", "--threads", "1"};

QStringList tiny(const QString &out, int epochs, int stage2Epochs)
{
    return QStringList {"debias"} + TinyRun
        + QStringList {
            "--epochs", QString::number(epochs), "--stage2-epochs", QString::number(stage2Epochs), "--out", out};
}

/**
 * Every file under dir (relative path -> SHA-1) but Untangle's own bookkeeping (the lock file and the kind marker):
 * what "nothing changed" means.
 */
QMap<QString, QByteArray> fingerprint(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).fileName() == ".untangle.lock" || QFileInfo(path).fileName() == ".untangle-run")
            continue;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files[QDir(dir).relativeFilePath(path)]
                = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1);
    }
    return files;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QStringList leftovers(const QString &dir)
{
    return QDir(dir).entryList({"*.tmp-*", ".untangle-write-test-*"}, QDir::Files | QDir::Hidden);
}

/** Starts a long run in the background and waits until its first epoch is in metrics.jsonl. */
bool startLongRun(QProcess &process, const QString &out)
{
    process.start(UNTANGLE_CLI_PATH, tiny(out, LongEpochs, 0));
    if (!process.waitForStarted())
        return false;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < RunTimeoutMs) {
        if (untangle::test::nonEmptyLineCount(out + "/metrics.jsonl") >= 1 && QFileInfo::exists(out + "/checkpoint.pt"))
            return true;
        if (process.state() == QProcess::NotRunning)
            return false;
        QTest::qWait(50);
    }
    return false;
}

/** Asks a running command to stop (SIGTERM, as Ctrl-C) and waits for its exit code. */
int interrupt(QProcess &process)
{
    process.terminate();
    if (!process.waitForFinished(RunTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
}

} // namespace

class TstRunFolders : public QObject {
    Q_OBJECT

    QTemporaryDir m_temp;
    QString m_unfinished; // a run stopped after its first epochs: checkpoint, records, no result.json

private slots:
    void initTestCase()
    {
        QVERIFY(m_temp.isValid());
        m_unfinished = m_temp.filePath("unfinished");
        QProcess process;
        QVERIFY(startLongRun(process, m_unfinished));
        QCOMPARE(interrupt(process), 0);
        QVERIFY(QFileInfo::exists(m_unfinished + "/checkpoint.pt"));
    }

    void stoppedRunWritesNoResultAndTableSkipsIt()
    {
        QVERIFY2(!QFileInfo::exists(m_unfinished + "/result.json"), "a stopped run wrote result.json");
        const Run table = runCli({"table", m_unfinished});
        QCOMPARE(table.exitCode, 1);
        QVERIFY2(table.err.contains("unfinished") || table.err.contains("no result.json"), table.err.constData());

        // A result.json of an older version that marks the run stopped is skipped too, not counted as a seed.
        const QString old = m_temp.filePath("old-stopped");
        writeFile(old + "/result.json", R"({"method":"denetdm","dataset":"sprites","ratio":0.01,"stopped":true})");
        const Run both = runCli({"table", old, m_unfinished});
        QCOMPARE(both.exitCode, 1);
        QVERIFY2(both.err.contains("stopped before it finished"), both.err.constData());
    }

    void freshRunIntoAFolderThatIsNotEmptyIsRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("debias run") << "debias"
                                    << "debias run";
        QTest::newRow("GAN run") << "gan"
                                 << "GAN run";
        QTest::newRow("user folder") << "user"
                                     << "files";
    }

    void freshRunIntoAFolderThatIsNotEmptyIsRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        const QString dir = m_temp.filePath("occupied-" + kind);
        if (kind == "debias") {
            QVERIFY(QDir().mkpath(dir));
            for (const QString &name : QDir(m_unfinished).entryList(QDir::Files | QDir::Hidden))
                QVERIFY(QFile::copy(m_unfinished + "/" + name, dir + "/" + name));
        } else if (kind == "gan") {
            writeFile(dir + "/config.json", R"({"resolution":32,"iterations":100})");
            writeFile(dir + "/checkpoint.pt", "GAN checkpoint bytes");
            writeFile(dir + "/samples/iter-100.png", "png");
            writeFile(dir + "/snapshots/iter-100.pt", "snapshot");
        } else {
            for (const char *name : {"config.json", "checkpoint.pt", "result.json", "metrics.csv"})
                writeFile(dir + "/" + name, QByteArray("the user's own ") + name);
        }
        const auto before = fingerprint(dir);

        const Run debias = runCli(tiny(dir, 1, 1), RunTimeoutMs);
        QCOMPARE(debias.exitCode, 1);
        QVERIFY2(
            debias.err.contains("already holds") && debias.err.contains(mentions.toUtf8()), debias.err.constData());
        QVERIFY2(debias.err.contains("--overwrite"), debias.err.constData()); // says how to go on
        const Run directions
            = runCli({"directions", "--generator", dir + "/no-generator.pt", "--out", dir}, RunTimeoutMs);
        QCOMPARE(directions.exitCode, 1);
        QVERIFY2(directions.err.contains("already holds"), directions.err.constData());
        QCOMPARE(fingerprint(dir), before);
        // GAN has no --overwrite and offers none.
        const Run gan = runCli({"gan", "--iterations", "1", "--threads", "1", "--out", dir}, RunTimeoutMs);
        QCOMPARE(gan.exitCode, 1);
        QVERIFY2(gan.err.contains("already holds") && !gan.err.contains("--overwrite"), gan.err.constData());
        // --overwrite replaces a run of its own kind or files that are no run, never another kind of run: a GAN run
        // taken over by directions could no longer be resumed.
        const Run overwrite = runCli(
            {"directions", "--generator", dir + "/no-generator.pt", "--out", dir, "--overwrite"}, RunTimeoutMs);
        if (kind == "gan") {
            QCOMPARE(overwrite.exitCode, 1);
            QVERIFY2(overwrite.err.contains("holds a GAN run; --overwrite replaces only a directions"),
                overwrite.err.constData());
            QCOMPARE(fingerprint(dir), before);
        }
    }

    void resumeReadsTheFolderSettingsAndNamesADifference()
    {
        const QString dir = m_temp.filePath("resume-copy");
        QVERIFY(QDir().mkpath(dir));
        for (const QString &name : QDir(m_unfinished).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_unfinished + "/" + name, dir + "/" + name));
        const auto before = fingerprint(dir);

        const Run differs = runCli({"debias", "--out", dir, "--resume", "--epochs", "7"}, RunTimeoutMs);
        QCOMPARE(differs.exitCode, 1);
        QVERIFY2(differs.err.contains("stage1_epochs: " + QByteArray::number(LongEpochs) + " vs 7"),
            differs.err.constData());
        QCOMPARE(fingerprint(dir), before);

        const Run otherData = runCli({"debias", "--out", dir, "--resume", "--data-seed", "5"}, RunTimeoutMs);
        QCOMPARE(otherData.exitCode, 1);
        QVERIFY2(otherData.err.contains("dataset/seed: 0 vs 5"), otherData.err.constData());
        QCOMPARE(fingerprint(dir), before);

        const Run wrongMethod = runCli({"erm", "--out", dir, "--resume"}, RunTimeoutMs);
        QCOMPARE(wrongMethod.exitCode, 1);
        QVERIFY2(wrongMethod.err.contains("denetdm"), wrongMethod.err.constData());

        // No option at all: the run continues with its own settings (stopped again right after it starts).
        QProcess process;
        process.start(UNTANGLE_CLI_PATH, {"debias", "--out", dir, "--resume"});
        QVERIFY(process.waitForStarted());
        const int evaluations = untangle::test::nonEmptyLineCount(dir + "/metrics.jsonl");
        QTRY_VERIFY_WITH_TIMEOUT(untangle::test::nonEmptyLineCount(dir + "/metrics.jsonl") > evaluations, RunTimeoutMs);
        const int exitCode = interrupt(process);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(exitCode == 0 && err.contains("epoch"), err.constData()); // it trained on, then stopped cleanly
    }

    void aFolderInUseIsRefusedNamingItsHolder()
    {
        const QString dir = m_temp.filePath("busy");
        QProcess first;
        QVERIFY(startLongRun(first, dir));
        const auto before = fingerprint(dir);
        const Run second = runCli(tiny(dir, 1, 1) + QStringList {"--overwrite"}, RunTimeoutMs);
        QCOMPARE(interrupt(first), 0);
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("in use by process " + QByteArray::number(first.processId()))
                || second.err.contains("in use by process"),
            second.err.constData());
        // The second writer changed nothing (the first one went on writing its own records meanwhile).
        QVERIFY(fingerprint(dir).contains("config.json"));
        QCOMPARE(fingerprint(dir)["config.json"], before["config.json"]);
    }

    void aRefusedRunLeavesNoFolderItCreated()
    {
        // Refused after the output folder was made: a damaged --grow-from (before any claim) and a missing generator
        // (after the directions claim wrote its lock and marker). Neither may leave a folder, nor the parents it made.
        writeFile(m_temp.filePath("junk.pt"), "not a generator");
        const QString nested = m_temp.filePath("made-by-gan");
        const Run gan = runCli({"gan", "--dataset", "sprites", "--resolution", "32", "--iterations", "1", "--threads",
                                   "1", "--grow-from", m_temp.filePath("junk.pt"), "--out", nested + "/a/b"},
            RunTimeoutMs);
        QCOMPARE(gan.exitCode, 1);
        QVERIFY2(gan.err.contains("cannot read generator"), gan.err.constData());
        QVERIFY(!QFileInfo::exists(nested));
        const QString claimed = m_temp.filePath("made-by-directions");
        const Run directions
            = runCli({"directions", "--generator", m_temp.filePath("missing.pt"), "--out", claimed}, RunTimeoutMs);
        QCOMPARE(directions.exitCode, 1);
        QVERIFY2(directions.err.contains("does not exist"), directions.err.constData());
        QVERIFY(!QFileInfo::exists(claimed));
        // A folder the user made stays, even when the refused command leaves it as empty as it found it.
        const QString own = m_temp.filePath("users-own");
        QVERIFY(QDir().mkpath(own));
        QCOMPARE(
            runCli({"directions", "--generator", m_temp.filePath("missing.pt"), "--out", own}, RunTimeoutMs).exitCode,
            1);
        QVERIFY(QFileInfo(own).isDir());
    }

    void aLockLeftByAKilledProcessIsNotInTheWay()
    {
        const QString dir = m_temp.filePath("stale");
        writeFile(dir + "/.untangle.lock", "process 999999 on elsewhere since 2020-01-01 00:00:00\n");
        const Run run = runCli(tiny(dir, 1, 0), RunTimeoutMs);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(QFileInfo::exists(dir + "/result.json"));
    }

    void aLockHeldInThisProcessIsReportedWithItsHolder()
    {
        const QString dir = m_temp.filePath("held");
        QVERIFY(QDir().mkpath(dir));
        QFile lock(dir + "/.untangle.lock");
        QVERIFY(lock.open(QIODevice::ReadWrite));
        lock.write("process 4242 on testhost since now\n");
        lock.flush();
        QCOMPARE(::flock(lock.handle(), LOCK_EX | LOCK_NB), 0);
        const Run run = runCli(tiny(dir, 1, 0), RunTimeoutMs);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("in use by process 4242 on testhost"), run.err.constData());
        QVERIFY(!QFileInfo::exists(dir + "/config.json"));
    }

    void damagedCheckpointOrRecordsAreRefusedUntouched_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("flipped byte") << "flip"
                                      << "damaged";
        QTest::newRow("truncated") << "truncate"
                                   << "checksum";
        QTest::newRow("garbage record") << "records"
                                        << "metrics.jsonl, line 1";
    }

    void damagedCheckpointOrRecordsAreRefusedUntouched()
    {
        QFETCH(QString, damage);
        QFETCH(QString, mentions);
        const QString dir = m_temp.filePath("damaged-" + damage);
        QVERIFY(QDir().mkpath(dir));
        for (const QString &name : QDir(m_unfinished).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_unfinished + "/" + name, dir + "/" + name));
        QFile checkpoint(dir + "/checkpoint.pt");
        QVERIFY(checkpoint.open(QIODevice::ReadWrite));
        QByteArray bytes = checkpoint.readAll();
        if (damage == "flip") {
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x20);
        } else if (damage == "truncate") {
            bytes.chop(bytes.size() / 3);
        }
        if (damage != "records") {
            checkpoint.resize(0);
            checkpoint.seek(0);
            checkpoint.write(bytes);
        } else {
            QFile metrics(dir + "/metrics.jsonl");
            QVERIFY(metrics.open(QIODevice::ReadOnly));
            QByteArray lines = metrics.readAll();
            metrics.close();
            writeFile(dir + "/metrics.jsonl", "garbage\n" + lines.mid(lines.indexOf('\n') + 1));
        }
        checkpoint.close();
        const auto before = fingerprint(dir);
        const Run run = runCli({"debias", "--out", dir, "--resume"}, RunTimeoutMs);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
        QVERIFY2(run.err.trimmed().count('\n') == 0, run.err.constData()); // one line, no backtrace
        QCOMPARE(fingerprint(dir), before);
    }

    void aFullDiskKeepsThePreviousCheckpointAndNoTemporaryFile()
    {
        const QString dir = m_temp.filePath("full-disk");
        QVERIFY(QDir().mkpath(dir));
        for (const QString &name : QDir(m_unfinished).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_unfinished + "/" + name, dir + "/" + name));
        const QByteArray checkpointBefore = fingerprint(dir)["checkpoint.pt"];
        const qint64 checkpointSize = QFileInfo(dir + "/checkpoint.pt").size();
        // A per-process file-size limit makes the next checkpoint write fail as a full disk does (EFBIG instead of
        // ENOSPC), without root or a real full disk; SIGXFSZ is ignored so the write returns the error.
        const QString limitKb = QString::number(std::max<qint64>(64, checkpointSize / 2048));
        const QString script = "trap '' XFSZ; ulimit -f " + limitKb + "; exec \"$0\" \"$@\"";
        QProcess process;
        process.start("bash", QStringList {"-c", script, UNTANGLE_CLI_PATH, "debias", "--out", dir, "--resume"});
        QVERIFY(process.waitForFinished(RunTimeoutMs));
        const QByteArray err = process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(err.contains("checkpoint.pt: write failed"), err.constData());
        QVERIFY2(leftovers(dir).isEmpty(), qPrintable(leftovers(dir).join(", ")));
        QCOMPARE(fingerprint(dir)["checkpoint.pt"], checkpointBefore);

        // With room again the run resumes from that checkpoint (stopped again once it moves on).
        QProcess again;
        again.start(UNTANGLE_CLI_PATH, {"debias", "--out", dir, "--resume"});
        QVERIFY(again.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(fingerprint(dir)["checkpoint.pt"] != checkpointBefore, RunTimeoutMs);
        QCOMPARE(interrupt(again), 0);
    }
};

QTEST_GUILESS_MAIN(TstRunFolders)
#include "tst_runfolders.moc"
