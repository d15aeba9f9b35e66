#pragma once

#include "debiasrecords.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QPushButton;

namespace untangle {

class BranchHeatMaps;
class Job;
class DatasetBuilderPage;
class DebiasCurves;
class JobController;
class RunForm;
class RunHistory;
class SeedsHistory;
class TimelineBar;
struct DebiasResult;

/**
 * Train DeNetDM (or a baseline) on the dataset builder's dataset and watch it live: curves, per-branch heat maps,
 * decodability, and a timeline to go back to any evaluation. Earlier runs open from their folders and look the same.
 * With several seeds at once (a batch: one run folder per seed) every view shows the seeds' mean, the accuracy
 * curves a ± std band, and the status the mean ± std of the headline numbers.
 */
class DebiasTrainPage : public QWidget {
    Q_OBJECT

public:
    DebiasTrainPage(JobController *controller, DatasetBuilderPage *datasets, QWidget *parent = nullptr);

    RunForm *form() const { return m_form; }
    RunHistory *history() const { return m_history; }
    SeedsHistory *seedsHistory() const { return m_seeds; }
    DebiasCurves *curves() const { return m_curves; }
    BranchHeatMaps *heatMaps() const { return m_heatMaps; }
    TimelineBar *timeline() const { return m_timeline; }
    QString statusText() const;

public slots:
    void start();
    /** Shows a finished (or interrupted) run, or a batch of seeds, from its folder; false with a message box text
     *  when it is neither. */
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
    /** The batch's status: seeds, how far the slowest and fastest are, then the mean ± std summary when done. */
    QString batchStatus() const;
    /** Runs the batch of seeds (or resumes the batch in dir); false when the worker is busy. */
    bool startSeeds(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds, const QString &dir,
        bool resume, bool overwrite);
    /** What a single run's job and a batch's share: failure message, running state, runFinished; then starts it on
     *  the worker (false, said in a message box, when the worker is busy). */
    bool launch(Job *job);
    /** Target (or bias) names of the run's dataset: the built dataset's when it matches, else the kind's fixed ones. */
    QStringList labelNames(bool targets) const;

    JobController *m_controller;
    DatasetBuilderPage *m_datasets;
    RunHistory *m_history;
    RunHistory *m_comparison;
    SeedsHistory *m_seeds;
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
