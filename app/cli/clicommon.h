#pragma once

#include <QString>
#include <QStringList>

namespace untangle::cli {

/** Process exit codes shared by every command. */
enum ExitCode { Success = 0, BadInput = 1, UsageError = 2 };

/** Prints "untangle-cli: message" on stderr and returns code (so commands can `return fail(...)`). */
int fail(ExitCode code, const QString &message);

} // namespace untangle::cli
