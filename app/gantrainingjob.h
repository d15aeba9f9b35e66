#pragma once

#include "gan/ganrunner.h"
#include "imagemetatype.h"
#include "job.h"

#include <QMetaType>
#include <QString>

namespace untangle {

/**
 * Trains the built-in style GAN (ganrunner.h) into a run folder on the controller's worker thread: losses and the
 * fixed-z sample grid arrive as queued signals of value types; Stop ends at the last checkpoint and the run folder
 * still holds a usable generator.pt once one checkpoint was written.
 */
class GanTrainingJob : public Job {
    Q_OBJECT

public:
    /** resume continues the run in runDir from its checkpoint (config must be the run's, only iterations may grow). */
    GanTrainingJob(const GanConfig &config, const QString &runDir, bool resume = false, QObject *parent = nullptr);

signals:
    void logged(const untangle::GanLog &log);
    void sampled(int iteration, const untangle::ImageU8 &grid);
    void trained(const QString &generatorPath, bool stopped);
    /** A checkpoint was written; summary is its coverage line (Sprites, Scenes), selected when it became generator.pt.
     */
    void checkpointed(int iteration, const QString &summary, bool selected);

protected:
    void execute() override;

private:
    GanConfig m_config;
    QString m_runDir;
    bool m_resume = false;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::GanLog)
