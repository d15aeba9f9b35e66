#pragma once

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace untangle::cli {

/** Process exit codes shared by every command. */
enum ExitCode { Success = 0, BadInput = 1, UsageError = 2 };

/** Prints "untangle-cli: message" on stderr and returns code (so commands can `return fail(...)`). */
int fail(ExitCode code, const QString &message);

/**
 * Parses a command's arguments; returns the exit code when the command must end here (a usage error, reported
 * on stderr, or --help, printed on stdout) and nothing when it should go on.
 */
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);

} // namespace untangle::cli
