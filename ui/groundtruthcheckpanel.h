#pragma once

#include "groundtruthcheckjob.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace untangle {

class DirectionExplorer;
class JobButtons;
class JobController;
class RenderBackPairsView;

/**
 * The open generator against its world's ground truth (Sprites or Scenes), as `coverage --samples 2048 [--pairs]`
 * reports it: per factor, how many of its values the samples hold, how evenly, and how sure the reader is of them
 * next to real renders; for Sprites per shape how often it is drawn, at which scales and how well its samples match
 * the sprite the reader's reading renders to; for Scenes whether the samples commit to one view of the room. Below,
 * samples over the renders of what the reader reads in them, where a "heart" without its cleft or a room without its
 * corner shows. Measured on its own the first time the page is shown with such a generator open (a background job
 * that gives way to the user's), or on Measure.
 */
class GroundTruthCheckPanel : public QWidget {
    Q_OBJECT

public:
    GroundTruthCheckPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    /** The world of the open generator, or nullptr (reason() says why) when it draws none. */
    const FactorWorld *openWorld() const;
    /** Starts the measurement of the open generator; false (the reason in the status line) when it cannot start. */
    bool measure(bool background = false);
    /** The generator the shown numbers are of ("" before any). */
    QString measuredPath() const { return m_measured; }
    QString statusText() const;
    /** Samples a measurement draws (GroundTruthCheckSamples unless set; tests use fewer). */
    void setSamples(int samples) { m_samples = samples; }
    int samples() const { return m_samples; }
    QTableWidget *factorTable() const { return m_factors; }
    QTableWidget *shapeTable() const { return m_shapes; }
    RenderBackPairsView *pairs() const { return m_pairs; }
    QString scoreText() const;

signals:
    /** The open generator was measured (the explorer above shows its drawings nearest the chosen image). */
    void measured(const untangle::GroundTruthCheck &check);

protected:
    void showEvent(QShowEvent *event) override;

private:
    /** Why the open generator cannot be measured (empty = it can). */
    QString reason() const;
    void generatorChanged();
    void showCheck(const GroundTruthCheck &check);
    void showSprites(const GroundTruthCheck &check);
    void showScenes(const GroundTruthCheck &check);
    void measureIfDue();
    /** Rows of the factor table for this world, values cleared. */
    void resetFactorRows(const FactorWorld &world);

    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QPushButton *m_measure = nullptr;
    JobButtons *m_jobButtons = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_score = nullptr;
    QTableWidget *m_factors = nullptr;
    QTableWidget *m_shapes = nullptr;
    RenderBackPairsView *m_pairs = nullptr;
    int m_samples;
    QString m_measured; // generator path of the numbers shown
    QString m_attempted; // generator path measured on our own once (not again after a failure or a stop)
};

} // namespace untangle
