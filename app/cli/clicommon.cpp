#include "clicommon.h"

#include <cstdio>

namespace untangle::cli {

int fail(ExitCode code, const QString &message)
{
    std::fprintf(stderr, "untangle-cli: %s\n", qPrintable(message));
    return code;
}

} // namespace untangle::cli
