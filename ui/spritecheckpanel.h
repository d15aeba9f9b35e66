#pragma once

#include "spritecheckjob.h"

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
 * The open generator against the Sprites ground truth, as `coverage --samples 2048 --pairs` reports it: per factor,
 * how many of its values the samples hold, how evenly, and how sure the reader is of them next to real sprites; per
 * shape, how often it is drawn and how well its samples match the sprite the reader's reading renders to; and those
 * pairs themselves, where a "heart" without its cleft shows. Measured on its own the first time the page is shown
 * with a Sprites generator open (a background job that gives way to the user's), or on Measure.
 */
class SpriteCheckPanel : public QWidget {
    Q_OBJECT

public:
    SpriteCheckPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    /** Starts the measurement of the open generator; false (the reason in the status line) when it cannot start. */
    bool measure(bool background = false);
    /** The generator the shown numbers are of ("" before any). */
    QString measuredPath() const { return m_measured; }
    QString statusText() const;
    /** Samples a measurement draws (SpriteCheckSamples unless set; tests use fewer). */
    void setSamples(int samples) { m_samples = samples; }
    int samples() const { return m_samples; }
    QTableWidget *factorTable() const { return m_factors; }
    QTableWidget *shapeTable() const { return m_shapes; }
    RenderBackPairsView *pairs() const { return m_pairs; }

signals:
    /** The open generator was measured (the renderer beside shows its drawings nearest the chosen factors). */
    void measured(const untangle::SpriteCheck &check);

protected:
    void showEvent(QShowEvent *event) override;

private:
    /** The open generator's shape when it is a Sprites one, else why not (empty = it is one). */
    QString notSpritesReason() const;
    void generatorChanged();
    void showCheck(const SpriteCheck &check);
    void measureIfDue();

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
