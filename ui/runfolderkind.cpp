#include "runfolderkind.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace untangle {
namespace {
constexpr qint64 MaxConfigBytes = 1 << 20; // run configs are a few hundred bytes; anything larger is not one

QJsonObject readSmallJsonObject(const QString &path)
{
    QFile file(path);
    if (file.size() > MaxConfigBytes || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object(); // Qt's parser bounds nesting; junk gives {}
}

QString tr(const char *text)
{
    return QCoreApplication::translate("RunFolderKind", text);
}

} // namespace

RunFolderKind runFolderKind(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return RunFolderKind::Missing;
    if (!info.isDir())
        return RunFolderKind::File;
    const QDir dir(path);
    const QJsonObject config = readSmallJsonObject(dir.filePath("config.json"));
    if (config.contains("method"))
        return RunFolderKind::Debias;
    if ((config.contains("resolution") && config.contains("emaBeta"))
        || QFileInfo::exists(dir.filePath("generator.pt")))
        return RunFolderKind::Gan;
    if (config.contains("generator") && config.contains("directions") && config.contains("steps"))
        return RunFolderKind::Sre;
    if (QFileInfo::exists(dir.filePath("directions.json")))
        return RunFolderKind::Directions;
    return RunFolderKind::Unknown;
}

QString notADebiasRunText(const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QDir dir(path);
    switch (runFolderKind(path)) {
    case RunFolderKind::Missing:
        return tr("%1 does not exist.").arg(shown);
    case RunFolderKind::File:
        return tr("%1 is a file; a run is a folder (with config.json, metrics.jsonl and checkpoint.pt). A generator "
                  "file opens in the Latent workspace (File > Open generator…).")
            .arg(shown);
    case RunFolderKind::Gan:
        return QFileInfo::exists(dir.filePath("generator.pt"))
            ? tr("%1 is a GAN training run, not a debias run. It opens in the Latent workspace: File > Open "
                 "generator… (or untangle %1).")
                  .arg(shown)
            : tr("%1 is a GAN training run, not a debias run, and has no generator.pt yet (it was stopped before "
                 "its first checkpoint). Resume it with untangle-cli gan --out %1 --resume and the options it was "
                 "started with; its generator then opens in the Latent workspace.")
                  .arg(shown);
    case RunFolderKind::Sre: {
        const QString generator = readSmallJsonObject(dir.filePath("config.json")).value("generator").toString();
        return tr("%1 is an SRE run (directions refined by the Scale Ranking Estimator), not a debias run. Open its "
                  "generator %2 in the Latent workspace (File > Open generator…) and load %3 as the after-SRE set.")
            .arg(shown, QDir::toNativeSeparators(generator), QDir::toNativeSeparators(dir.filePath("directions.json")));
    }
    case RunFolderKind::Directions:
        return tr("%1 holds latent directions (directions.json), not a debias run. Open the generator they were "
                  "found for in the Latent workspace (File > Open generator…) and load %2 there.")
            .arg(shown, QDir::toNativeSeparators(dir.filePath("directions.json")));
    case RunFolderKind::Debias:
    case RunFolderKind::Unknown:
        break;
    }
    return {};
}

} // namespace untangle
