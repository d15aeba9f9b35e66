#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace untangle::test {

/** What one untangle-cli invocation did. exitCode is -1 on a timeout, -2 on a crash. */
struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
};

/** Runs the built untangle-cli (UNTANGLE_CLI_PATH) to completion, optionally with extra environment variables. */
inline CliRun runCli(const QStringList &arguments, int timeoutMs = 300000,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(UNTANGLE_CLI_PATH, arguments);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace untangle::test
