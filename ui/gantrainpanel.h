#pragma once

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace untangle {

class DirectionExplorer;
class JobButtons;
class JobController;
class MetricPlot;
struct GanConfig;

/**
 * Trains the built-in GAN on Sprites or Scenes from the workspace into a folder the user may choose, or resumes a
 * stopped run with its own settings: live discriminator and generator losses with elapsed and remaining time, the
 * fixed-z sample grid as it improves, Stop through the job controller; the trained generator opens in the explorer.
 */
class GanTrainPanel : public QWidget {
    Q_OBJECT

public:
    GanTrainPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);

    bool train();
    /** Continues the GAN run in runDir (its own settings; the Iterations box may raise the target). */
    bool resume(const QString &runDir);
    /** The folder the next Train writes to (an empty or new folder). */
    void setRunFolder(const QString &folder);
    void setIterations(int iterations);
    /** A smaller built-in generator the next Train grows from (GanConfig::growFrom); empty = a random start. */
    void setGrowFrom(const QString &generator);
    QString runFolder() const;
    QString status() const;
    QString coverageText() const;
    /** What the GAN learns: "sprites", "scenes" or a dataset key ("cmnist10k", "cfmnist") as item data. */
    QComboBox *worldBox() const { return m_world; }
    QComboBox *resolutionBox() const { return m_resolution; }
    /** The generator network: "style" (StyleGAN2's modulated convolutions) or "progan" as item data. */
    QComboBox *networkBox() const { return m_network; }
    QComboBox *detailChannelsBox() const { return m_detailChannels; }
    MetricPlot *lossPlot() const { return m_plot; }
    /** Scenes only: the box of each factor (sceneFactorNames order, named by factor) that varies in the next run; the
     *  row is hidden for other worlds. All checked = the full world. */
    QList<QCheckBox *> sceneFactorBoxes() const { return m_sceneFactors; }
    /** Scenes only, in the same row: the weight of the critic's view negatives (GanConfig::viewNegatives; 0 = off). */
    QDoubleSpinBox *viewNegativesBox() const { return m_viewNegatives; }

private:
    bool start(const GanConfig &config, const QString &runDir, bool resume);

    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QComboBox *m_world = nullptr; // sprites, scenes, or a dataset of real images
    QComboBox *m_resolution = nullptr;
    QComboBox *m_network = nullptr;
    QComboBox *m_detailChannels = nullptr; // GanConfig::minChannels: the width at 32 and 64 px
    bool m_worldChosen = false; // the user picked a world: the open generator no longer sets it
    QSpinBox *m_iterations = nullptr;
    QSpinBox *m_seed = nullptr;
    QLineEdit *m_folder = nullptr; // the next run's folder
    QString m_folderBeforeRun; // what the folder field held before a run showed its own folder there
    QList<QWidget *> m_settings; // the next run's settings: read-only while a run trains, as they do not reach it
    QLineEdit *m_growFrom = nullptr; // optional smaller generator to start from
    QWidget *m_sceneFactorRow = nullptr; // shown for Scenes only
    QList<QCheckBox *> m_sceneFactors; // GanConfig::variedSceneFactors
    QDoubleSpinBox *m_viewNegatives = nullptr; // GanConfig::viewNegatives
    QPushButton *m_start = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_stop = nullptr; // m_jobButtons' Stop
    JobButtons *m_jobButtons = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_coverage = nullptr; // the last checkpoint's coverage
    QLabel *m_samples = nullptr;
    MetricPlot *m_plot = nullptr;
};

} // namespace untangle
