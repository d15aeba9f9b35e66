#pragma once

#include "datasethandle.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace untangle {

class CellHeatMap;
class ImageGrid;

/**
 * What a built dataset looks like: training samples with aligned ones framed green and conflicting ones framed
 * orange, the train split's target x bias count heat map, and aligned / conflicting counts per split.
 */
class DatasetPreview : public QWidget {
    Q_OBJECT

public:
    explicit DatasetPreview(QWidget *parent = nullptr);

    void showDataset(const DatasetHandle &dataset);
    DatasetHandle dataset() const { return m_dataset; }

    ImageGrid *sampleGrid() const { return m_grid; }
    CellHeatMap *heatMap() const { return m_heatMap; }
    QTableWidget *countTable() const { return m_table; }
    /** Dataset indices (train split) of the images in the grid, in grid order. */
    const QVector<int> &shownSamples() const { return m_shown; }

    static QColor alignedColor();
    static QColor conflictingColor();

private:
    void showSamples();
    void showCounts();

    DatasetHandle m_dataset;
    QLabel *m_title = nullptr;
    ImageGrid *m_grid = nullptr;
    CellHeatMap *m_heatMap = nullptr;
    QLabel *m_heatPlaceholder = nullptr; // shown instead of the map until a dataset is built
    QTableWidget *m_table = nullptr;
    QVector<int> m_shown;
};

} // namespace untangle
