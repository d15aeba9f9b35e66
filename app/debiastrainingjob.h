#pragma once

#include "debiasmetatypes.h"
#include "job.h"

#include <QString>

namespace untangle {

/**
 * Runs a debias method (DeNetDM, ERM, LfF) on the worker thread into a run folder, turning the engine's callbacks
 * into queued signals of value types. Pause and stop act between batches; a stop keeps the last complete epoch
 * (the run can be resumed from its folder).
 */
class DebiasTrainingJob : public Job {
    Q_OBJECT

public:
    /** overwrite: a fresh run may replace what runDir holds (the user chose "Start over"); else it must be empty. */
    DebiasTrainingJob(const DebiasConfig &config, const QString &runDir, bool resume, bool overwrite = false,
        QObject *parent = nullptr);

signals:
    void evaluated(const untangle::EvaluationRecord &record);
    void probed(const untangle::ProbeRecord &record);
    void hardSamplesFound(const untangle::HardSamples &hard);
    void finishedRun(const untangle::DebiasResult &result);

protected:
    void execute() override;

private:
    DebiasConfig m_config;
    QString m_runDir;
    bool m_resume;
    bool m_overwrite;
};

} // namespace untangle
