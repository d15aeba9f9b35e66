// The built `untangle` program as a script calls it: --help and --version answer without a display, and the
// headless modes (--report, --grab) end with exit 1 and the reason on stderr when their input is bad, never
// waiting on a dialog.
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "selfcheck/latentselfcheck.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "tinyrun.h"

using namespace untangle;

namespace {

constexpr int TextTimeoutMs = 30000; // --help, --version: no window, no data
constexpr int ScriptTimeoutMs = 120000; // a window, a run folder or a generator, on a machine shared with builds

struct GuiRun {
    int exitCode = -1; // -1: timed out (killed), -2: crashed
    QByteArray out, err;
};

/** Runs the built GUI program to completion (killed after timeoutMs) with environment. */
GuiRun runGui(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(UNTANGLE_GUI_PATH, arguments);
    GuiRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

/** As a terminal without any display: no X, no Wayland, no platform chosen. */
QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        environment.remove(name);
    return environment;
}

/** Headless, as CI and screenshot scripts run it; settings go to a scratch home so the user's are untouched. */
QProcessEnvironment offscreen(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("QT_QPA_PLATFORM", "offscreen");
    environment.insert("XDG_CONFIG_HOME", home + "/config");
    environment.insert("OMP_NUM_THREADS", "1");
    return environment;
}

QString describe(const GuiRun &run)
{
    return QString("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TstGuiCommandLine : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void helpAndVersionNeedNoDisplay()
    {
        const GuiRun help = runGui({"--help"}, withoutDisplay(), TextTimeoutMs);
        QVERIFY2(help.exitCode == 0, qPrintable(describe(help)));
        QVERIFY2(help.out.contains("Usage:") && help.out.contains("--report"), qPrintable(describe(help)));

        const GuiRun version = runGui({"--version"}, withoutDisplay(), TextTimeoutMs);
        QVERIFY2(version.exitCode == 0, qPrintable(describe(version)));
        QVERIFY2(version.out.startsWith("untangle "), qPrintable(describe(version)));
        QVERIFY2(
            QRegularExpression("^untangle \\d+\\.\\d+\\.\\d+\\s*$").match(QString::fromUtf8(version.out)).hasMatch(),
            qPrintable(describe(version)));
    }

    void reportOnAMissingFolderFailsAtOnce()
    {
        const QString out = path("missing-report.png");
        const GuiRun run = runGui({path("no-such-run"), "--report", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("does not exist"), qPrintable(describe(run)));
        QVERIFY(!QFileInfo::exists(out));
    }

    void reportOnAMalformedRunFailsAtOnce()
    {
        QVERIFY(QDir().mkpath(path("malformed")));
        writeFile(path("malformed/config.json"), "{\"method\": \"denetdm\", \"dataset\": ");
        const QString out = path("malformed-report.png");
        const GuiRun run = runGui({path("malformed"), "--report", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("config.json"), qPrintable(describe(run)));
        QVERIFY(!QFileInfo::exists(out));
    }

    void reportOnAGanRunSaysWhatItIs()
    {
        QVERIFY(QDir().mkpath(path("gan-run")));
        writeFile(path("gan-run/config.json"), "{\"sprites\": true, \"resolution\": 32, \"emaBeta\": 0.999}\n");
        const GuiRun run
            = runGui({path("gan-run"), "--report", path("gan.png")}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("GAN training run") && run.err.contains("Latent"), qPrintable(describe(run)));
    }

    void reportOnARealRunIsWritten()
    {
        DatasetSpec spec;
        spec.kind = DatasetKind::Sprites;
        const DebiasConfig config = test::tinyDebiasConfig(spec, 2, 1, 5);
        runDebias(config, buildDataset(config.dataset), {}, path("tiny-run").toStdString());
        const QString out = path("tiny-report.png");
        const GuiRun run = runGui({path("tiny-run"), "--report", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(QImage(out).size(), QSize(1600, 1130));
    }

    void grabAtAChosenWindowSize()
    {
        const QString out = path("grab-1600.png");
        const GuiRun run = runGui(
            {"--dataset", "sprites", "--size", "1600x1000", "--grab", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(QImage(out).size(), QSize(1600, 1000));
        for (const QString &bad : {"1600", "x1000", "1600x", "10x10", "99999x1000", "ax b", "1600x1000x3"}) {
            const GuiRun refused = runGui({"--size", bad, "--grab", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
            QVERIFY2(refused.exitCode == 2, qPrintable(bad + ": " + describe(refused)));
            QVERIFY2(refused.err.contains("--size"), qPrintable(describe(refused)));
        }
        // A delay Qt's timer refuses (negative) left the process waiting forever; an unreadable one too.
        for (const QString &bad : {"-1", "soon", "nan"}) {
            const GuiRun refused
                = runGui({"--grab", out, "--grab-after", bad}, offscreen(m_dir.path()), ScriptTimeoutMs);
            QVERIFY2(refused.exitCode == 2, qPrintable(bad + ": " + describe(refused)));
            QVERIFY2(refused.err.contains("--grab-after"), qPrintable(describe(refused)));
        }
        // Names and values the window cannot show: refused, not ignored.
        for (const QStringList &bad :
            {QStringList {"--workspace", "bogus"}, QStringList {"--latent-page", "bogus"}, QStringList {"--ratio", "2"},
                QStringList {"--ratio", "nan"}, QStringList {"--slide", "abc"}, QStringList {"--slide", "1=nan"}}) {
            const GuiRun refused = runGui(bad + QStringList {"--grab", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
            QVERIFY2(refused.exitCode == 2, qPrintable(bad.join(' ') + ": " + describe(refused)));
            QVERIFY2(refused.err.contains(bad.first().toUtf8()), qPrintable(describe(refused)));
        }
        // A page that needs a run, asked for without one, or a page that does not exist: refused, not ignored.
        for (const QStringList &bad : {QStringList {"--tab", "inspect"}, QStringList {m_dir.path(), "--tab", "nope"}}) {
            const GuiRun refused = runGui(bad + QStringList {"--grab", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
            QVERIFY2(refused.exitCode == 2, qPrintable(bad.join(' ') + ": " + describe(refused)));
            QVERIFY2(refused.err.contains("--tab"), qPrintable(describe(refused)));
        }
    }

    void grabOfTheLatentWorkspaceAtLaunch()
    {
        // No generator on the command line: the screenshot waits for the shipped generator's first frame. (It used to
        // wait for the Debias dataset, which a Latent launch no longer builds, and never came.)
        const QString out = path("latent-launch.png");
        const GuiRun run = runGui(
            {"--workspace", "latent", "--size", "1280x800", "--grab", out}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("saved"), qPrintable(describe(run)));
        QCOMPARE(QImage(out).size(), QSize(1280, 800));
    }

    void startupProbeTimesTheWorkspaceItOpens()
    {
        // The benchmark's probe: the window's expose, then the Latent workspace's first frame of the shipped
        // generator (or the Debias dataset), each once and in that order, then the program ends by itself.
        const GuiRun latent
            = runGui({"--startup-time", "--workspace", "latent"}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(latent.exitCode == 0, qPrintable(describe(latent)));
        const QList<QByteArray> lines = latent.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith("startup_ms ") && lines[1].startsWith("first_latent_frame_ms "),
            qPrintable(describe(latent)));
        QVERIFY(lines[1].split(' ')[1].toDouble() >= lines[0].split(' ')[1].toDouble());
        const GuiRun debias
            = runGui({"--startup-time", "--dataset", "sprites"}, offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(debias.exitCode == 0, qPrintable(describe(debias)));
        QVERIFY2(debias.out.contains("first_dataset_ms ") && !debias.out.contains("first_latent_frame_ms"),
            qPrintable(describe(debias)));
    }

    void grabWithUnreadableDirectionsFailsAtOnce()
    {
        const QString generator = path("generator.pt");
        selfcheck::writeRandomStyleGenerator(generator.toStdString());
        writeFile(path("broken-directions.json"), "{\"method\": \"sefa\", \"directions\": [");
        const QString out = path("grab.png");
        const GuiRun run = runGui({generator, "--directions", path("broken-directions.json"), "--grab", out},
            offscreen(m_dir.path()), ScriptTimeoutMs);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("broken-directions.json"), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstGuiCommandLine)
#include "tst_guicommandline.moc"
