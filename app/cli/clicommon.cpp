#include "clicommon.h"

#include <QCommandLineParser>

#include <cstdio>

namespace untangle::cli {

int fail(ExitCode code, const QString &message)
{
    std::fprintf(stderr, "untangle-cli: %s\n", qPrintable(message));
    return code;
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments))
        return fail(UsageError, parser.errorText());
    if (parser.isSet("help")) {
        std::printf("%s", qPrintable(parser.helpText()));
        return Success;
    }
    return std::nullopt;
}

} // namespace untangle::cli
