#include "generatorworld.h"

#include "gan/ganrunner.h"

#include <QDir>
#include <QFileInfo>

namespace untangle {

bool mayBelongToRenderedWorld(const QString &generatorPath)
{
    const QFileInfo info(generatorPath);
    const QString runDir = info.isDir() ? info.filePath() : info.dir().path();
    if (!QFileInfo::exists(QDir(runDir).filePath("config.json")))
        return true;
    try {
        const GanConfig config = readGanConfig(runDir.toStdString());
        return config.sprites || config.dataset.kind == DatasetKind::Scenes;
    } catch (const std::exception &) {
        return true; // not a GAN run's config (another tool's folder): the image shape decides
    }
}

} // namespace untangle
