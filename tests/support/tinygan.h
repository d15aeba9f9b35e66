#pragma once
// Shared by the GAN run-folder tests (tst_ganrunner, tst_gannetworks, tst_gannegatives): a GAN that trains in a
// fraction of a second, the file checks they make of its run folder, and a render as the GAN stream holds it.
#include "gan/ganrunner.h"
#include "scenesrenderer.h"

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
#include <vector>

namespace untangle::test {

/** renderScene's picture as the GAN's stream holds it: channels first, bytes / 127.5 - 1. */
inline std::vector<float> sceneAsStream(const SceneFactors &factors, int resolution)
{
    const ImageU8 image = renderScene(factors, resolution);
    const std::size_t plane = std::size_t(resolution) * resolution;
    std::vector<float> values(plane * 3);
    for (std::size_t p = 0; p < plane; ++p)
        for (std::size_t c = 0; c < 3; ++c)
            values[c * plane + p] = float(image.bytes[p * 3 + c]) / 127.5f - 1.0f;
    return values;
}

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
