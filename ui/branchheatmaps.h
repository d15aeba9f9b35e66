#pragma once

#include <QWidget>

namespace untangle {

class CellHeatMap;
struct EvaluationRecord;

/**
 * Target x bias test-accuracy maps of every head of one evaluation, side by side (deep and shallow in DeNetDM's
 * stage 1, the target in stage 2): a biased head is bright on the diagonal only, a debiased one everywhere.
 */
class BranchHeatMaps : public QWidget {
    Q_OBJECT

public:
    explicit BranchHeatMaps(QWidget *parent = nullptr);

    /** Shows the heads of record (poe is left out: it is the sum of the two shown). */
    void showRecord(const EvaluationRecord &record, const QStringList &targetNames, const QStringList &biasNames);
    void clear();
    QList<CellHeatMap *> maps() const { return m_maps; }
    QStringList heads() const { return m_heads; }

signals:
    void cellClicked(const QString &head, int target, int bias);

private:
    CellHeatMap *mapFor(int index);

    QList<CellHeatMap *> m_maps;
    QStringList m_heads;
};

} // namespace untangle
