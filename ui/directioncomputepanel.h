#pragma once

#include "confidenceinterval.h"
#include "factorattributionjob.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace untangle {

class DirectionExplorer;
class JobButtons;
class CellHeatMap;
class FactorAttributionPanel;
class JobController;
class LatentDirectionsJob;
class MetricPlot;

/**
 * Computes directions for the explorer's generator on the JobController's worker: SeFa, GANSpace or
 * Voynov-Babenko, each optionally refined by SRE (+SRE) with its per-direction held-out ranking accuracy plotted
 * live, and beside it the direction x factor matrix as SRE moves the directions (Sprites and Scenes generators), so
 * the user watches it untangle. Results load into the explorer as they arrive (the found set, then the SRE set as
 * "after SRE").
 */
class DirectionComputePanel : public QWidget {
    Q_OBJECT

public:
    DirectionComputePanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    /** Starts the job; false (and a message) when no generator is open or another job runs. */
    bool compute();
    /** Continues the stopped SRE run in runDir with its own settings: opens its generator and initial directions in
     *  the explorer if others are shown, replays its curve and loads the result as "after SRE". False (and a
     *  message naming the problem) when the folder is not a resumable SRE run or another job runs. */
    bool resumeSre(const QString &runDir);
    MetricPlot *accuracyPlot() const { return m_plot; }
    CellHeatMap *liveMatrix() const { return m_live; }
    QString liveCaption() const;
    /** The step of the matrix shown (-1 before any). */
    int liveStep() const { return m_liveStep; }
    /** Shows one live matrix (the job's sreAttributed); step 0 is the initial set the caption compares with. */
    void showLiveAttribution(int step, const FactorAttribution &attribution);
    /** Names the live rows for the run after the starting set's attribution (the job's sreNamed, on the Factors
     *  page's latents), and gives it to the explorer's pages when they show that set and have none yet. */
    void nameLiveRows(const QString &setPath, const FactorAttribution &start);
    /** The page whose latents name the live rows (its samples()); without one, DefaultAttributionSamples. */
    void setFactorsPage(const FactorAttributionPanel *factors) { m_factors = factors; }
    /** What the live cells show: false = |mean change|, true = x random direction (as the Factors page's cells). */
    void setLiveTimesRandom(bool on);
    bool liveTimesRandom() const;
    QString statusText() const;

private:
    bool start(LatentDirectionsJob *job);
    void showLiveCells(); // m_liveShown as the cells combo says

    DirectionExplorer *m_explorer;
    JobController *m_controller;
    const FactorAttributionPanel *m_factors = nullptr;
    QComboBox *m_method = nullptr;
    QCheckBox *m_sre = nullptr;
    QSpinBox *m_count = nullptr;
    QSpinBox *m_steps = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr; // m_jobButtons' Stop
    JobButtons *m_jobButtons = nullptr;
    QPushButton *m_resume = nullptr;
    QLabel *m_status = nullptr;
    MetricPlot *m_plot = nullptr;
    CellHeatMap *m_live = nullptr;
    QLabel *m_liveCaption = nullptr;
    QComboBox *m_liveCells = nullptr;
    int m_liveStep = -1;
    int m_sreSteps = 0;
    ConfidenceInterval m_startOffDiagonal, m_startDiagonal;
    QStringList m_rowNames; // nameLiveRows' labels, one per direction; empty = each matrix's own
    int m_namedOn = 0; // latents of those names
    FactorAttribution m_liveShown; // the matrix on screen, redrawn when the cells combo changes
};

} // namespace untangle
