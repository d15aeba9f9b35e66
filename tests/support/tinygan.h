#pragma once
// Shared by the GAN run-folder tests (tst_ganrunner, tst_gannetworks): a GAN that trains in a fraction of a second and
// the file checks they make of its run folder.
#include "gan/ganrunner.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <stdexcept>
#include <string>

namespace untangle::test {

constexpr int TinyGanResolution = 32;

/** A GAN that trains in a fraction of a second: narrow networks, 8 images per batch, 32 px Sprites. */
inline GanConfig tinyGanConfig(int iterations)
{
    GanConfig config;
    config.resolution = TinyGanResolution;
    config.iterations = iterations;
    config.batch = 8;
    config.learningRate = 1e-3;
    config.sampleEvery = 3;
    config.checkpointEvery = 2;
    config.seed = 5;
    config.latentSize = 8;
    config.styleSize = 8;
    config.mappingLayers = 2;
    config.baseChannels = 8;
    config.minChannels = 4;
    config.discriminatorChannels = 4;
    return config;
}

inline QByteArray bytesOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable " + path.toUtf8() + ">");
}

/** Every file under dir (relative path -> SHA-1), to show an error left a folder exactly as it was. */
inline QMap<QString, QByteArray> folderDigest(const QString &dir)
{
    QMap<QString, QByteArray> digest;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (it.fileName() == ".untangle.lock")
            continue; // names whoever held the folder last: bookkeeping, not the run's content
        digest[QDir(dir).relativeFilePath(path)] = QCryptographicHash::hash(bytesOf(path), QCryptographicHash::Sha1);
    }
    return digest;
}

/** The JSON objects of a JSON-lines file such as metrics.jsonl. */
inline QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : bytesOf(path).split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

/** The message of the std::invalid_argument `call` throws, or a line saying it threw something else or nothing. */
template <typename Call> std::string invalidArgumentOf(Call call)
{
    try {
        call();
    } catch (const std::invalid_argument &error) {
        return error.what();
    } catch (const std::exception &error) {
        return std::string("wrong exception type: ") + error.what();
    }
    return "no exception";
}

} // namespace untangle::test
