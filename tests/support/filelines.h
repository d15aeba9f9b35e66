#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace untangle::test {

/** Non-empty lines of a text file (e.g. records in metrics.jsonl), -1 when it cannot be read. */
inline int nonEmptyLineCount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    int lines = 0;
    for (const QByteArray &line : file.readAll().split('\n'))
        lines += line.trimmed().isEmpty() ? 0 : 1;
    return lines;
}

} // namespace untangle::test
