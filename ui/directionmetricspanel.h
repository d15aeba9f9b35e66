#pragma once

#include "directionevaluationjob.h"
#include "directions/directionset.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QCPBarsGroup;
class QCPItemText;
class QCustomPlot;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace untangle {

class DirectionExplorer;
class JobButtons;
class JobController;

/**
 * Disentanglement of the explorer's directions before vs after SRE: MIG, DCI (D, C, I), FactorVAE and beta-VAE as a
 * grouped bar chart with each set's noise floor and its range over seeds, a table of the same numbers with the change
 * after - before seed by seed, and per direction the SRE estimator's
 * held-out ranking accuracy (from the SRE run's metrics.jsonl) and the distilled encoder's R^2.
 */
class DirectionMetricsPanel : public QWidget {
    Q_OBJECT

public:
    DirectionMetricsPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    bool evaluate();
    void setScores(const QVector<DirectionScores> &scores);
    /** Rebuilds the per-direction table from the explorer's sets and the SRE run's last log line. */
    void refreshDirectionTable();
    QCustomPlot *chart() const { return m_chart; }
    QTableWidget *metricTable() const { return m_table; }
    QTableWidget *directionTable() const { return m_directions; }
    QSpinBox *seedCount() const { return m_seeds; }
    QString statusText() const;

private:
    void setMetricAxis(); // the metrics as the x axis's categories
    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QCheckBox *m_quick = nullptr;
    QSpinBox *m_seeds = nullptr; // the protocol once per seed: a mean and a range
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr; // m_jobButtons' Stop
    JobButtons *m_jobButtons = nullptr;
    QLabel *m_status = nullptr;
    QCustomPlot *m_chart = nullptr;
    QCPItemText *m_emptyHint = nullptr; // what fills the chart, until the first result
    QTableWidget *m_table = nullptr;
    QTableWidget *m_directions = nullptr;
    QVector<DirectionScores> m_scores;
};

/** The last heldOutAccuracy of an SRE run folder's metrics.jsonl (next to its directions.json); empty if none. */
QVector<double> lastSreRankingAccuracy(const QString &directionsPath);

/**
 * SRE's held-out ranking accuracy of each direction of the after-SRE set: the scores an SRE set carries (the accuracy
 * at the step its vectors are from, the kept step for a run's directions.json, which the run's last log need not be;
 * a shipped set has no log beside it), else its run folder's last log; empty for no set.
 */
QVector<double> sreRankingAccuracy(const std::optional<DirectionSet> &after, const QString &afterPath);

} // namespace untangle
