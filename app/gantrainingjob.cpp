#include "gantrainingjob.h"

#include "computeruntime.h"
#include "factors/worldcoverage.h"
#include "sprites/spritecoverage.h"

#include <QFileInfo>

namespace untangle {

GanTrainingJob::GanTrainingJob(const GanConfig &config, const QString &runDir, bool resume, QObject *parent)
    : Job(resume ? tr("Resuming a GAN") : tr("Training a GAN"), parent)
    , m_config(config)
    , m_runDir(runDir)
    , m_resume(resume)
{
    qRegisterMetaType<GanLog>();
    qRegisterMetaType<ImageU8>();
}

void GanTrainingJob::execute()
{
    configureComputeThread();
    GanCallbacks callbacks;
    callbacks.logged = [this](const GanLog &log) { emit logged(log); };
    callbacks.samples = [this](int iteration, const ImageU8 &grid) { emit sampled(iteration, grid); };
    // The same selection rules as `untangle-cli gan`: the checkpoint that covers the factors best.
    if (m_config.sprites)
        callbacks.scoreGenerator = scoreSpriteCheckpoint;
    else if (m_config.dataset.kind == DatasetKind::Scenes && sceneReaderReady(m_config.resolution))
        callbacks.scoreGenerator = scoreSceneCheckpoint;
    callbacks.checkpointed = [this](const GanCheckpoint &checkpoint) {
        emit checkpointed(checkpoint.iteration, QString::fromStdString(checkpoint.summary), checkpoint.selected);
    };
    callbacks.progress = throttledProgress();
    const GanResult result = trainGan(m_config, callbacks, m_runDir.toStdString(), m_resume);
    const QString generator = QString::fromStdString(result.generatorPath);
    if (QFileInfo::exists(generator))
        emit trained(generator, result.stopped);
}

} // namespace untangle
