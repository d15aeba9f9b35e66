#pragma once

#include <QString>
#include <QWidget>

class QImage;
class QSlider;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace untangle {

class DirectionComputePanel;
class DirectionExplorer;
class DirectionMetricsPanel;
class FactorAttributionPanel;
class GanTrainPanel;
class JobController;
class LatentRenderService;
class RetrievalPanel;
class GroundTruthCheckPanel;
class GroundTruthExplorer;
class TraversalView;

/**
 * The Latent workspace: the direction explorer (generator, directions, sliders, before/after SRE), the traversal
 * grid with PNG and video export, attribute retrieval with a score network, and the ground truth of the open
 * generator's world (Sprites or Scenes). Owns the interactive render thread.
 */
class LatentWorkspace : public QWidget {
    Q_OBJECT

public:
    /** Without a controller the Compute page is left out (tests of the explorer alone). */
    explicit LatentWorkspace(JobController *controller = nullptr, QWidget *parent = nullptr);
    ~LatentWorkspace() override;

    /** Opens a generator (switching to the explorer page); the result arrives as the explorer's signals. */
    void openGenerator(const QString &path);
    /**
     * Opens a generator shipped with the application (resources/generators/NAME, made by
     * packaging/train-shipped-generators.sh; scenes-64 is the one opened at first launch) with its SeFa directions
     * and their SRE refinement as the after-SRE set, so the workspace is alive at first launch. False, with the
     * reason in the explorer, when it is not installed; a corrupt file is reported by the explorer like any other,
     * and any generator can still be opened.
     */
    bool openShippedGenerator(const QString &name = QStringLiteral("scenes-64"));
    /**
     * Attributes every newly loaded direction set to the world's factors on its own (the Factors page's job, on an
     * idle worker, while the workspace is on screen), so the sliders, traversal, metrics and retrieval name the
     * factor a direction moves without the user asking. Off by default: the app turns it on; tests that drive the
     * worker themselves keep it off.
     */
    void setAutoAttribution(bool on);
    /** True while auto-attribution has a newly loaded set of a rendered world's generator still to attribute (it
     *  starts once the worker is idle): a screenshot of the pages that name factors waits for it. */
    bool attributionDue() const;

    LatentRenderService *renderService() const { return m_service; }
    DirectionExplorer *explorer() const { return m_explorer; }
    TraversalView *traversal() const { return m_traversal; }
    DirectionComputePanel *compute() const { return m_compute; }
    GanTrainPanel *ganTraining() const { return m_gan; }
    DirectionMetricsPanel *metrics() const { return m_metrics; }
    FactorAttributionPanel *factors() const { return m_factors; }
    /** The Sprites and Scenes renderers of the "Ground truth" tab (the open generator's world is the one shown). */
    GroundTruthExplorer *sprites() const { return m_sprites; }
    GroundTruthExplorer *scenes() const { return m_scenes; }
    /** The renderer shown now: the open generator's world, Sprites when it draws none. */
    GroundTruthExplorer *groundTruth() const;
    /** The open generator measured against its world's ground truth (nullptr without a controller). */
    GroundTruthCheckPanel *groundTruthCheck() const { return m_check; }
    /** The "Ground truth" tab: the renderer above the check. */
    QWidget *groundTruthPage() const { return m_groundTruthPage; }
    RetrievalPanel *retrieval() const { return m_retrieval; }
    QTabWidget *pages() const { return m_pages; }

    // The Sprites ground-truth renderer (kept for its tests).
    QSlider *factorSlider(int factor) const;
    QImage spriteImage() const;

private:
    LatentRenderService *m_service = nullptr;
    QTabWidget *m_pages = nullptr;
    DirectionExplorer *m_explorer = nullptr;
    TraversalView *m_traversal = nullptr;
    DirectionComputePanel *m_compute = nullptr;
    GanTrainPanel *m_gan = nullptr;
    DirectionMetricsPanel *m_metrics = nullptr;
    FactorAttributionPanel *m_factors = nullptr;
    GroundTruthExplorer *m_sprites = nullptr;
    GroundTruthExplorer *m_scenes = nullptr;
    QStackedWidget *m_truths = nullptr; // m_sprites or m_scenes, by the open generator's world
    GroundTruthCheckPanel *m_check = nullptr;
    QWidget *m_groundTruthPage = nullptr;
    RetrievalPanel *m_retrieval = nullptr;
    JobController *m_controller = nullptr;
    QTimer *m_attributeSoon = nullptr;
    bool m_autoAttribution = false;
    QString m_attempted; // the generator and sets last attributed on our own

    void attributeIfDue();
    QWidget *buildGroundTruthPage(); // the renderers, and the open generator measured against its world
    QString attributionKey() const; // the generator and sets attributeIfDue attributes once

protected:
    void showEvent(QShowEvent *event) override;
};

/** A shipped generator's folder name as menus show it: "sprites-64" -> "Sprites 64 × 64" (other names as they are). */
QString shippedGeneratorTitle(const QString &name);

/** True when path looks like a generator (a .pt/.pth/.ts file, or a folder holding generator.pt), not a debias run. */
bool isGeneratorPath(const QString &path);

} // namespace untangle
