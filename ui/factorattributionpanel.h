#pragma once

#include "factorattributionjob.h"
#include "jobcontroller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace untangle {

class CellHeatMap;
class DirectionExplorer;
class JobButtons;
class JobController;

/**
 * Directions x ground-truth factors (the rescoring matrix: how much each direction moves each factor, read by the
 * world's factor reader) for the explorer's set before SRE and, when loaded, after SRE, side by side on one colour
 * scale; each row is labelled with its dominant factor, read against random directions ("floor hue 11x"), and one
 * button names the directions after them. The cells show either the change itself or that multiple of a random
 * direction's change, the number the names come from.
 */
class FactorAttributionPanel : public QWidget {
    Q_OBJECT

public:
    FactorAttributionPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    /** Starts the attribution job; Background when the app starts it on its own (it gives way to the user's jobs). */
    bool attribute(JobPriority priority = JobPriority::User);
    /** Latents z per shift (the job's sample count). */
    void setSamples(int samples);
    int samples() const;
    void setResults(const QVector<FactorAttribution> &results);
    /** Renames the explorer's directions after the "before" map's labels. */
    bool nameDirections();
    const QVector<FactorAttribution> &results() const { return m_results; }
    CellHeatMap *map(int index) const { return index == 0 ? m_before : m_after; }
    /** What the cells show: false = |mean change| (the paper's rescoring matrix), true = x random directions. */
    void setTimesRandom(bool on);
    bool timesRandom() const;
    QString status() const;

private:
    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr; // m_jobButtons' Stop
    JobButtons *m_jobButtons = nullptr;
    QPushButton *m_name = nullptr;
    QSpinBox *m_samples = nullptr;
    QComboBox *m_cells = nullptr;
    QLabel *m_status = nullptr;
    CellHeatMap *m_before = nullptr;
    CellHeatMap *m_after = nullptr;
    QVector<FactorAttribution> m_results;

    void showResults();
};

/** A factor's name as a heat-map column label: "floor_hue" -> "floor\nhue", "orientation" -> "orien-\ntation" (two
 *  short lines, so six columns fit under a half-width map at 1280 px). */
QString factorColumnLabel(const QString &name);

/** A matched statistic as "0.080 [0.075, 0.091]" (mean and 95% interval). */
QString intervalText(const ConfidenceInterval &interval);
/** How `after` stands against `before` in words: "lower (its interval lies below the start's)", "higher (...)", or
 *  "no clear change (the intervals overlap)". */
QString intervalChangeText(const ConfidenceInterval &before, const ConfidenceInterval &after);

} // namespace untangle
