#pragma once

#include "debiasrecords.h"

#include <QObject>
#include <QString>
#include <QVector>

namespace untangle {

/**
 * Everything a debias run has reported so far, in order: evaluations and probes, whether they arrive live from a
 * DebiasTrainingJob or are read from a run folder. Views draw from it and listen to its signals, so a finished run
 * opened from disk and a live one look exactly the same.
 */
class RunHistory : public QObject {
    Q_OBJECT

public:
    explicit RunHistory(QObject *parent = nullptr);

    /** Starts over for a run; trainCount (training samples) places in-epoch probes on the epoch axis. */
    void clear(const DebiasConfig &config, const QString &runDir, int trainCount = 0);
    void addEvaluation(const EvaluationRecord &record);
    void addProbe(const ProbeRecord &record);
    void setHardSamples(const HardSamples &hard);
    void setResult(const DebiasResult &result);

    /** Replaces the history with a run folder's files; false with a message when the folder is not a run. */
    bool loadFolder(const QString &runDir, QString *error = nullptr);

    const DebiasConfig &config() const { return m_config; }
    const QString &runDir() const { return m_runDir; }
    const QVector<EvaluationRecord> &evaluations() const { return m_evaluations; }
    const QVector<ProbeRecord> &probes() const { return m_probes; }
    const HardSamples &hardSamples() const { return m_hard; }
    bool hasResult() const { return m_hasResult; }
    const DebiasResult &result() const { return m_result; }

    /** x of an evaluation on a continuous axis: stage-2 epochs follow the stage-1 ones. */
    double epochAxis(const EvaluationRecord &record) const;
    /** x of a probe on the same axis (probes inside an epoch sit at fractions of it). */
    double epochAxis(const ProbeRecord &probe) const;

signals:
    void cleared();
    void evaluationAdded(int index);
    void probeAdded(int index);
    void hardSamplesChanged();
    void resultChanged();

private:
    DebiasConfig m_config;
    QString m_runDir;
    QVector<EvaluationRecord> m_evaluations;
    QVector<ProbeRecord> m_probes;
    HardSamples m_hard;
    DebiasResult m_result;
    bool m_hasResult = false;
    double m_stepsPerEpoch[2] = {0.0, 0.0};
};

} // namespace untangle
