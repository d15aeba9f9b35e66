#pragma once

#include "directions/directionset.h"
#include "factorattributionjob.h"
#include "latentframes.h"

#include <QElapsedTimer>
#include <QImage>
#include <QWidget>

#include <map>
#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QScrollArea;
class QPushButton;
class QSpinBox;

namespace untangle {

class DirectionSliderBank;
class LatentRenderService;

/**
 * The direction explorer: a generator, a direction set (and optionally the same set after SRE), one slider per
 * direction, a seed / truncation / 1-9 sample grid, and the original beside the edited grid (and beside the
 * after-SRE grid for the same z and slider values). Frames come from the LatentRenderService's own thread;
 * every slider move posts a request and the service keeps only the newest.
 */
class DirectionExplorer : public QWidget {
    Q_OBJECT

public:
    explicit DirectionExplorer(LatentRenderService *service, QWidget *parent = nullptr);

    /** Opens a generator (run folder, generator.pt, TorchScript) on the render thread: generatorOpened or
     *  generatorFailed follow, and the error is shown in the explorer. */
    void openGenerator(const QString &path);
    /** Loads the main direction set; false and an error shown when unreadable or of the wrong style size. */
    bool loadDirections(const QString &path, QString *error = nullptr);
    /** Loads a second set drawn beside the first with the same sliders ("after SRE"); empty path clears it. */
    bool loadAfterSre(const QString &path, QString *error = nullptr);
    /** Renames the main set's directions after the factor each moves most (factorlabels.h; magnitude rows =
     *  directions; read against randomFloor when given), keeping each old name in its note. False with a message
     *  when the sizes do not match. */
    bool nameAfterFactors(const Matrix &magnitude, const std::vector<std::string> &factorNames,
        const std::vector<double> &randomFloor = {});
    /** Writes the main set with the names, notes and signs edited here. */
    bool saveDirections(const QString &path, QString *error = nullptr);
    /**
     * The direction x factor attribution of the main set (0) or the after-SRE set (1), from the Factors page: the one
     * source every page names a direction's factor from (traversal rows, the metrics table, retrieval's relevance),
     * so they never disagree. Cleared whenever that set is replaced; null until computed.
     */
    void setAttribution(int set, const FactorAttribution &attribution);
    const FactorAttribution *attribution(int set) const;

    bool hasGenerator() const { return m_info.has_value(); }
    const std::optional<GeneratorInfo> &generatorInfo() const { return m_info; }
    QString generatorPath() const { return m_generatorPath; }
    const DirectionSet &directions() const { return m_set; }
    bool hasDirections() const { return m_set.count() > 0; }
    bool hasAfterSre() const { return m_after.has_value(); }
    const std::optional<DirectionSet> &afterSre() const { return m_after; }
    QString directionsPath() const { return m_setPath; }
    QString afterSrePath() const { return m_afterPath; }
    /** The generator and the two sets' files, one per line: what pages key their derived views on. */
    QString loadedKey() const { return m_generatorPath + '\n' + m_setPath + '\n' + m_afterPath; }
    DirectionSliderBank *sliders() const { return m_sliders; }
    quint64 seed() const;
    void setSeed(quint64 seed);
    double truncation() const;
    void setTruncation(double psi);
    int sampleCount() const;
    void setSampleCount(int count);
    QString errorText() const;
    /** Shows a problem above the panels (empty hides it). */
    void showError(const QString &message);
    /** The info line under "Open generator…" (what is open, or that nothing is). */
    QString generatorLine() const;

    /** The last frame's panels as drawn (unscaled tiles): 0 original, 1 edited, 2 after SRE. */
    QImage panelImage(int panel) const { return m_panelImages.value(panel); }
    QLabel *panelLabel(int panel) const { return m_panels.value(panel); }
    const RenderFrame &lastFrame() const { return m_lastFrame; }
    /** Asks for a frame with the current state (done automatically on every change). */
    void requestRender();

signals:
    void generatorOpened(const QString &path);
    void generatorFailed(const QString &path, const QString &message);
    void directionsChanged();
    /** An attribution was set, or cleared with its set. */
    void attributionChanged();
    /** A frame is on screen; latencyMs counts from the request it answers to its pixmaps being set. */
    void frameShown(quint64 id, double latencyMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /** Shows panel's last grid scaled to the panel's size (at its pixels' aspect). */
    void showPanelImage(int panel);
    void onOpened(const GeneratorInfo &info, const QString &path);
    void onFrame(const RenderFrame &frame);
    void rebuildSliders();
    void clearAttribution(int set);
    /** Each loaded set's attribution stored by `label`, when it was measured on the open generator's weights and
     *  nothing newer is there: names and the Factors page agree at launch without measuring (storedAttributionOf). */
    void adoptStoredAttributions();
    void onDirectionEdited(int index);
    void updateDirectionLabel();
    void updateBadges();
    void browseGenerator();
    void browseDirections(bool after);
    void browseSave();

    LatentRenderService *m_service;
    std::optional<GeneratorInfo> m_info;
    QString m_generatorPath;
    QString m_openedText; // the info line of the open generator
    DirectionSet m_set;
    QString m_setPath;
    std::optional<DirectionSet> m_after;
    QString m_afterPath;
    std::optional<FactorAttribution> m_attribution[2];

    QLabel *m_generatorLabel = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_directionLabel = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_clearAfter = nullptr;
    QSpinBox *m_seed = nullptr;
    QCheckBox *m_seedLock = nullptr;
    QPushButton *m_resample = nullptr;
    QDoubleSpinBox *m_truncation = nullptr;
    QSpinBox *m_samples = nullptr;
    QDoubleSpinBox *m_range = nullptr;
    DirectionSliderBank *m_sliders = nullptr;
    QScrollArea *m_sliderScroll = nullptr; // holds m_sliders; as tall as its rows, up to MaxListedSliders
    QVector<QLabel *> m_panels;
    QVector<QLabel *> m_panelTitles;
    QVector<QImage> m_panelImages;
    QLabel *m_frameTime = nullptr;

    QElapsedTimer m_clock;
    enum class RenderCause { Slider, Other }; // what asked for a frame: its latency is named after it
    struct PendingRequest {
        qint64 startNs = 0;
        RenderCause cause = RenderCause::Other;
    };
    std::map<quint64, PendingRequest> m_pendingRequests; // outstanding request ids, when and why they were made
    void requestRenderFor(RenderCause cause);
    RenderFrame m_lastFrame;
};

} // namespace untangle
