#pragma once

#include "datasetcues.h"

#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace untangle {

class CellHeatMap;
struct EvaluationRecord;

/**
 * Target x bias test-accuracy maps of every head of one evaluation, side by side (deep and shallow in DeNetDM's
 * stage 1, the target in stage 2): a biased head is bright on the diagonal only, a debiased one everywhere. A
 * sentence above them says which epoch they are and what they show ("deep is right on 88% of aligned images but 2%
 * of conflicting ones: it follows colour").
 */
class BranchHeatMaps : public QWidget {
    Q_OBJECT

public:
    explicit BranchHeatMaps(QWidget *parent = nullptr);

    /** Shows the heads of record (poe is left out: it is the sum of the two shown); cues name target and bias. */
    void showRecord(const EvaluationRecord &record, const QStringList &targetNames, const QStringList &biasNames,
        const DatasetCues &cues = DatasetCues {});
    void clear();
    /** What the maps average over, said after the epoch in the caption ("mean of 3 seeds"); empty for one run. */
    void setScope(const QString &scope) { m_scope = scope; }
    QList<CellHeatMap *> maps() const { return m_maps; }
    QStringList heads() const { return m_heads; }
    QString caption() const;
    QLabel *captionLabel() const { return m_caption; }

signals:
    void cellClicked(const QString &head, int target, int bias);

private:
    CellHeatMap *mapFor(int index);

    QLabel *m_caption = nullptr;
    QHBoxLayout *m_mapsLayout = nullptr;
    QList<CellHeatMap *> m_maps;
    QStringList m_heads;
    QString m_scope;
};

/** What a head's aligned and conflicting accuracies (0..1) say: "it follows colour", "it follows the digit", … */
QString cueVerdict(double aligned, double conflicting, const DatasetCues &cues);

} // namespace untangle
