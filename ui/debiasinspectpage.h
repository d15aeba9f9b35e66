#pragma once

#include "imageu8.h"

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;

namespace untangle {

class CueConflictPanel;
class DebiasTrainPage;
class InspectRunJob;
class InspectionService;
struct ImageInspection;
class JobController;
class SaliencyStrip;
class SampleBrowser;
struct RunInspection;

/**
 * What did the run's heads learn? Loads the run shown on the Train page (its selected models and every head's
 * test predictions, on the worker) and shows, for one selected image, the cue-conflict row and each head's
 * saliency, and below, browsers of mistakes, disagreements, the hardest training samples and a heat-map cell.
 * Single-image questions (verdicts, saliency, the cue-conflict set) go to the InspectionService's thread, which owns
 * the models; the GUI thread only draws the answers.
 */
class DebiasInspectPage : public QWidget {
    Q_OBJECT

public:
    DebiasInspectPage(JobController *controller, DebiasTrainPage *trainPage, QWidget *parent = nullptr);
    ~DebiasInspectPage() override;

    CueConflictPanel *cuePanel() const { return m_cuePanel; }
    SaliencyStrip *saliency() const { return m_saliency; }
    SampleBrowser *browser() const { return m_browser; }
    QSpinBox *imageIndexBox() const { return m_imageIndex; }
    QPushButton *inspectButton() const { return m_inspect; }
    /** The loaded run, or null before the first inspection finished. */
    const RunInspection *inspection() const { return m_inspection.get(); }
    QString statusText() const;
    /** What the selection row says about the selected image (e.g. "test #12: 3 in red, conflicting"). */
    QString selectionText() const;
    /** Whether the views show the models' answer for the selected image (answers arrive from another thread). */
    bool isSelectionShown() const;

public slots:
    /** Starts loading the Train page's run on the worker; says why not when it can't (busy, no run). */
    void inspect();
    /** Shows the test images of a heat-map cell of the Train page's run (after inspecting it when needed). */
    void showCell(const QString &head, int target, int bias);
    void selectTestImage(int index);
    void selectTrainImage(int index);
    void selectRandomImage();
    /** Saves a picture of the page; false when the file could not be written. */
    bool saveViewAs(const QString &path);

signals:
    /** A run's inspection is on screen. */
    void inspected();
    void inspectionFailed(const QString &message);
    /** The cue-conflict row and the saliency strip show the selected image's answer. */
    void selectionShown();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct PendingCell {
        QString head;
        int target = -1, bias = -1;
    };

    void showInspection(const RunInspection &inspection);
    void showSelection();
    void showAnswer(const ImageInspection &answer);
    /** How the Train page's heat map compares for a cell: at the timeline's epoch and at the verdicts' epoch. */
    QString mapNote(const QString &head, int target, int bias) const;
    void setStatus(const QString &text, bool problem = false);
    /** Identifies the run and its checkpoint's age: a changed key means the shown inspection is out of date. */
    QString runKey() const;
    bool isCurrent() const;
    void inspectIfStale();

    JobController *m_controller;
    DebiasTrainPage *m_trainPage;
    InspectionService *m_service;
    quint64 m_shownAnswer = 0;
    std::shared_ptr<const RunInspection> m_inspection;
    QStringList m_heads; // the heads the views show (poe left out)
    QPointer<InspectRunJob> m_job;
    QString m_attemptedKey; // the last run key a job was started for (or refused on), so auto-inspect never loops
    PendingCell m_pendingCell;

    ImageU8 m_selected;
    int m_selectedTarget = -1, m_selectedBias = -1;
    QString m_selectedName;

    QPushButton *m_inspect = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_random = nullptr;
    QLabel *m_status = nullptr;
    QSpinBox *m_imageIndex = nullptr;
    QLabel *m_selection = nullptr;
    CueConflictPanel *m_cuePanel = nullptr;
    SaliencyStrip *m_saliency = nullptr;
    SampleBrowser *m_browser = nullptr;
};

} // namespace untangle
