#pragma once

#include "directions/directionset.h"
#include "job.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace untangle {

/** One direction set's disentanglement scores, in DirectionScores::metricNames() order, beside their noise floors. */
struct DirectionScores {
    QString label; // "before SRE (sefa)", "after SRE (sefa+sre)"
    QVector<double> values;
    QVector<double> floors;
    QVector<double> heldOutR2; // the distilled encoder's, per direction
    QString summary; // formatEvaluationSummary's line
    static QStringList metricNames(); // MIG, DCI D, DCI C, DCI I, FactorVAE, beta-VAE
};

/**
 * The SRE paper's disentanglement protocol (directionevaluation.h) for one or two direction sets of the same
 * generator, on the controller's worker. quick scales every sample count down (~1/5) so it finishes in minutes;
 * the CLI's `evaluate` runs the full protocol.
 */
class DirectionEvaluationJob : public Job {
    Q_OBJECT

public:
    DirectionEvaluationJob(const QString &generatorPath, const QVector<DirectionSet> &sets, const QStringList &labels,
        bool quick, QObject *parent = nullptr);

signals:
    void evaluated(const QVector<untangle::DirectionScores> &scores);

protected:
    void execute() override;

private:
    QString m_generatorPath;
    QVector<DirectionSet> m_sets;
    QStringList m_labels;
    bool m_quick;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::DirectionScores)
