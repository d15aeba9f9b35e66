#include "branchheatmaps.h"

#include "cellheatmap.h"
#include "debiasrecords.h"

#include <QHBoxLayout>

#include <cmath>

namespace untangle {

BranchHeatMaps::BranchHeatMaps(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

CellHeatMap *BranchHeatMaps::mapFor(int index)
{
    while (m_maps.size() <= index) {
        auto *map = new CellHeatMap(this);
        map->setFixedRange(0.0, 100.0); // accuracies: the same colour means the same number in every map
        map->setAxisTitles(tr("target"), tr("bias"));
        const int position = int(m_maps.size());
        connect(map, &CellHeatMap::cellClicked, this, [this, position](int row, int column) {
            if (position < m_heads.size())
                emit cellClicked(m_heads[position], row, column);
        });
        layout()->addWidget(map);
        m_maps.push_back(map);
    }
    return m_maps[index];
}

void BranchHeatMaps::showRecord(
    const EvaluationRecord &record, const QStringList &targetNames, const QStringList &biasNames)
{
    m_heads.clear();
    int shown = 0;
    for (const auto &head : record.heads) {
        if (head.head == "poe")
            continue;
        CellHeatMap *map = mapFor(shown++);
        QVector<QVector<double>> cells;
        for (const auto &row : head.test.cells) {
            QVector<double> values;
            for (double v : row)
                values.push_back(std::isfinite(v) ? 100.0 * v : v);
            cells.push_back(values);
        }
        map->setMatrix(cells, targetNames, biasNames);
        map->setTitle(tr("%1: %2% confl. · %3% aligned")
                          .arg(QString::fromStdString(head.head))
                          .arg(100.0 * head.test.conflicting, 0, 'f', 1)
                          .arg(100.0 * head.test.aligned, 0, 'f', 1));
        map->show();
        m_heads << QString::fromStdString(head.head);
    }
    for (int i = shown; i < m_maps.size(); ++i)
        m_maps[i]->hide();
}

void BranchHeatMaps::clear()
{
    m_heads.clear();
    for (CellHeatMap *map : m_maps)
        map->hide();
}

} // namespace untangle
