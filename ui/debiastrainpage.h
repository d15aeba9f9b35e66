#pragma once

#include "debiasrecords.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace untangle {

class BranchHeatMaps;
class DatasetBuilderPage;
class DebiasCurves;
class JobController;
class RunForm;
class RunHistory;
class TimelineBar;
struct DebiasResult;

/**
 * Train DeNetDM (or a baseline) on the dataset builder's dataset and watch it live: curves, per-branch heat maps,
 * decodability, and a timeline to go back to any evaluation. Earlier runs open from their folders and look the same.
 */
class DebiasTrainPage : public QWidget {
    Q_OBJECT

public:
    DebiasTrainPage(JobController *controller, DatasetBuilderPage *datasets, QWidget *parent = nullptr);

    RunForm *form() const { return m_form; }
    RunHistory *history() const { return m_history; }
    DebiasCurves *curves() const { return m_curves; }
    BranchHeatMaps *heatMaps() const { return m_heatMaps; }
    TimelineBar *timeline() const { return m_timeline; }
    QString statusText() const;

public slots:
    void start();
    /** Shows a finished (or interrupted) run from its folder; false with a message box text when it is not a run. */
    bool openRun(const QString &runDir, QString *error = nullptr);
    void compareWith(const QString &runDir);
    /** Writes the one-page report (PDF or PNG by extension); false with *error on failure. */
    bool exportReport(const QString &path, QString *error = nullptr);

signals:
    void runFinished();

private:
    void showEvaluation(int index);
    void updateStatus();
    /** The stage-1 biased branch's probe-based health (shown under the status). */
    BranchHealth stage1Health() const;
    void setRunning(bool running);
    /** Target (or bias) names of the run's dataset: the built dataset's when it matches, else the kind's fixed ones. */
    QStringList labelNames(bool targets) const;

    JobController *m_controller;
    DatasetBuilderPage *m_datasets;
    RunHistory *m_history;
    RunHistory *m_comparison;
    RunForm *m_form = nullptr;
    DebiasCurves *m_curves = nullptr;
    BranchHeatMaps *m_heatMaps = nullptr;
    TimelineBar *m_timeline = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_folderLabel = nullptr;
    QPushButton *m_start = nullptr, *m_pause = nullptr, *m_stop = nullptr;
    bool m_running = false;
};

} // namespace untangle
