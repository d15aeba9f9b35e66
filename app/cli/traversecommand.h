#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli traverse`: a traversal grid PNG (rows = directions, columns = shifts, centre unedited). */
int runTraverseCommand(const QStringList &arguments);
} // namespace untangle::cli
