#pragma once

#include "directions/directionset.h"
#include "job.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <utility>

namespace untangle {

/** One direction set's disentanglement scores, in DirectionScores::metricNames() order, beside their noise floors. */
struct DirectionScores {
    QString label; // "before SRE (sefa)", "after SRE (sefa+sre)"
    QVector<double> values; // the mean over seeds
    QVector<double> floors; // the mean over seeds
    /** values for each seed (0, 1, ...): the whole protocol again, encoder and samples included; every set of one
     *  job shares a seed's z and sprites, so sets compare seed by seed. */
    QVector<QVector<double>> seedValues;
    QVector<double> heldOutR2; // the distilled encoder's, per direction, at seed 0
    QString summary; // formatEvaluationSummary's line at seed 0
    static QStringList metricNames(); // MIG, DCI D, DCI C, DCI I, FactorVAE, beta-VAE
    /** The lowest and highest value of `metric` over the seeds. */
    std::pair<double, double> seedRange(int metric) const;
};

/** after - before for one metric, seed by seed (paired: the same z and sprites), as its mean and its lowest and highest
 *  value over the seeds the two share. seeds = 0 when they share none. */
struct PairedChange {
    double mean = 0.0;
    double low = 0.0;
    double high = 0.0;
    int seeds = 0;
};
PairedChange pairedChange(const DirectionScores &before, const DirectionScores &after, int metric);

/** Seeds the Metrics page may repeat the protocol over. */
constexpr int MaxEvaluationSeeds = 10;

/**
 * The SRE paper's disentanglement protocol (directionevaluation.h) for one or two direction sets of the same
 * generator, on the controller's worker, once per seed 0 .. seeds - 1. quick scales every sample count down (~1/5)
 * so it finishes in minutes; the CLI's `evaluate` runs the full protocol.
 */
class DirectionEvaluationJob : public Job {
    Q_OBJECT

public:
    DirectionEvaluationJob(const QString &generatorPath, const QVector<DirectionSet> &sets, const QStringList &labels,
        bool quick, int seeds = 1, QObject *parent = nullptr);

signals:
    void evaluated(const QVector<untangle::DirectionScores> &scores);

protected:
    void execute() override;

private:
    QString m_generatorPath;
    QVector<DirectionSet> m_sets;
    QStringList m_labels;
    bool m_quick;
    int m_seeds;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::DirectionScores)
