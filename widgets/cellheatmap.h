#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemText;
class QCPTextElement;

namespace untangle {

/**
 * A rows x columns matrix (e.g. target x bias counts or accuracies) drawn as a QCustomPlot colour map, with the
 * value printed in each cell and labelled axes. Row 0 is at the top, as in a table. Log colour scale optional
 * (counts span 4 to 800 in a biased split; a linear scale would show only the diagonal).
 */
class CellHeatMap : public QWidget {
    Q_OBJECT

public:
    explicit CellHeatMap(QWidget *parent = nullptr);

    /** values[row][column]. Labels may be empty (then indices are shown). */
    void setMatrix(
        const QVector<QVector<double>> &values, const QStringList &rowLabels, const QStringList &columnLabels);
    void setAxisTitles(const QString &rowTitle, const QString &columnTitle);
    void setLogarithmic(bool logarithmic);
    /** A fixed colour range (e.g. 0..100 for accuracies, so maps of different runs compare); low >= high = auto. */
    void setFixedRange(double low, double high);
    /** A title above the map; when the map is too narrow for it on one line it wraps at " · " or ": ". */
    void setTitle(const QString &title);
    QString title() const { return m_titleText; }
    /** The title as drawn (with a line break when wrapped) and the rectangle it is drawn in (after a replot). */
    QString shownTitle() const;
    QRect titleRect() const;
    QFont titleFont() const;
    /** Point size of the numbers in the cells, fitted to the cells after each layout; 0 when they are too small. */
    double cellTextPointSize() const { return m_cellPointSize; }
    /** printf-style format of the numbers in the cells, e.g. "%.0f" or "%.1f%%". */
    void setValueFormat(const QString &format);

    int rowCount() const { return int(m_values.size()); }
    int columnCount() const { return m_values.isEmpty() ? 0 : int(m_values.first().size()); }
    double value(int row, int column) const { return m_values[row][column]; }
    QString rowLabel(int row) const { return m_rowLabels.value(row); }
    /** The fill colour the map gives a value under the current gradient and range. */
    QColor colorFor(double value) const;
    /** Centre of a cell in this widget's coordinates (after a layout pass). */
    QPoint cellCenter(int row, int column) const;
    QCustomPlot *plot() const { return m_plot; }

signals:
    void cellClicked(int row, int column);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    /** Sizes the cell numbers to the cells (called after every layout, before drawing). */
    void fitCellText();
    /** One line when it fits the width the map has, else two. */
    void fitTitle();
    QString cellText(double value) const;
    void updateTicks();

    QCustomPlot *m_plot = nullptr;
    QCPColorMap *m_map = nullptr;
    QCPColorScale *m_scale = nullptr;
    QVector<QCPItemText *> m_texts;
    QVector<QVector<double>> m_values;
    QStringList m_rowLabels, m_columnLabels;
    QString m_format = QStringLiteral("%.0f");
    bool m_logarithmic = false;
    double m_fixedLow = 0.0, m_fixedHigh = 0.0;
    QCPTextElement *m_title = nullptr;
    QString m_titleText;
    double m_cellPointSize = 0.0;
};

} // namespace untangle
