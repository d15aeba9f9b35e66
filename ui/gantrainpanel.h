#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace untangle {

class DirectionExplorer;
class JobController;
class MetricPlot;

/**
 * Trains the built-in Sprites GAN from the workspace: live discriminator and generator losses, the fixed-z sample
 * grid as it improves, Stop through the job controller; the trained generator opens in the explorer.
 */
class GanTrainPanel : public QWidget {
    Q_OBJECT

public:
    GanTrainPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    bool train();
    MetricPlot *lossPlot() const { return m_plot; }

private:
    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QComboBox *m_world = nullptr; // sprites or scenes
    QComboBox *m_resolution = nullptr;
    QSpinBox *m_iterations = nullptr;
    QSpinBox *m_seed = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_samples = nullptr;
    MetricPlot *m_plot = nullptr;
};

} // namespace untangle
