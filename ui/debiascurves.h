#pragma once

#include <QWidget>

namespace untangle {

class MetricPlot;
class RunHistory;
class SeedsHistory;
struct EvaluationRecord;
struct ProbeRecord;

/**
 * The run's curves, live: training losses (aligned vs conflicting samples, stage-2 PoE and distillation terms),
 * test accuracy per head (unbiased / aligned / conflicting), and the linear decodability of the target (shape) and
 * the bias (colour) from each branch's features. An optional second run is overlaid dashed for comparison. For a
 * batch of seeds the history holds their mean, and each head's conflicting curve gets a ± 1 std band over seeds.
 */
class DebiasCurves : public QWidget {
    Q_OBJECT

public:
    explicit DebiasCurves(RunHistory *history, QWidget *parent = nullptr);

    MetricPlot *lossPlot() const { return m_loss; }
    MetricPlot *accuracyPlot() const { return m_accuracy; }
    MetricPlot *probePlot() const { return m_probe; }

    /** Plots the valid split's accuracies instead of the test split's (valid is what selects the epoch). */
    void setShowValid(bool valid);
    bool showsValid() const { return m_showValid; }
    /** Marks the epoch the views are showing (the timeline), on every plot. */
    void setMarker(double epoch);
    /** Where the spreads of a batch come from (bands are drawn while it is active); null for none. */
    void setSeedSpread(const SeedsHistory *seeds);
    /** Overlays another run's final-head test accuracy, dashed; an empty history removes the overlay. */
    void showComparison(const RunHistory &other, const QString &label);

private:
    void rebuild();
    void addEvaluation(int index);
    void updateTitles();
    void addProbe(const ProbeRecord &probe);

    RunHistory *m_history;
    const SeedsHistory *m_seeds = nullptr;
    MetricPlot *m_loss = nullptr;
    MetricPlot *m_accuracy = nullptr;
    MetricPlot *m_probe = nullptr;
    bool m_showValid = false;
};

} // namespace untangle
