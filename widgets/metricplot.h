#pragma once

#include <QColor>
#include <QHash>
#include <QPixmap>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAbstractLegendItem;
class QCPGraph;
class QCPItemStraightLine;
class QCPLegend;
class QCPTextElement;
class QMouseEvent;
class QTimer;

namespace untangle {

/**
 * Live line plot for training curves (losses, accuracies per split, decodability) on QCustomPlot.
 *
 * Points arrive one at a time from queued job signals; each append is O(1) and repaints are coalesced by a short
 * single-shot timer, so thousands of points stay smooth. While the view follows the data the axes refit on every
 * repaint; dragging or wheel-zooming x (horizontal only) takes over the view until a double-click resets it.
 * Clicking a legend entry hides or shows its series (the entry fades). A vertical marker shows the epoch the rest of
 * the workspace is looking at. Series are identified by the id addSeries returns (ids are dense, in creation order).
 */
class MetricPlot : public QWidget {
    Q_OBJECT

public:
    explicit MetricPlot(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const;
    void setAxisLabels(const QString &x, const QString &y);

    /** Returns the series id; a name that already exists returns its id unchanged (colour and style are kept).
     *  A non-solid style marks a comparison run: drawn thinner so the live run stays in front. */
    int addSeries(const QString &name, const QColor &color, Qt::PenStyle style = Qt::SolidLine);
    /** Appends a point; y = NaN leaves a gap in the line. Unknown ids are ignored (a queued point may arrive after
     *  clearSeries). */
    void addPoint(int series, double x, double y);
    /** Widens a series' band at x to [low, high] (e.g. mean ± std over seeds): shaded in the series' colour behind
     *  it, hidden with it, counted when y is fitted. Points arrive in x order, like addPoint's. */
    void addBandPoint(int series, double x, double low, double high);
    bool hasBand(int series) const { return m_bands.contains(series); }
    /** Removes every series (ids start again at 0). */
    void clearSeries();
    /** Keeps the series, drops their points, and lets the view follow the data again. */
    void clearData();
    /** Drops one series' points (e.g. before redrawing a comparison run); the series and its id stay. */
    void clearData(int series);

    int seriesCount() const { return int(m_graphs.size()); }
    int pointCount(int series) const;
    QString seriesName(int series) const;
    /** -1 when no series has that name. */
    int seriesId(const QString &name) const { return m_ids.value(name, -1); }
    bool isSeriesVisible(int series) const;
    void setSeriesVisible(int series, bool visible);

    /** Fixes the y axis (e.g. 0..100 for accuracies); otherwise y fits the visible data with a small margin. */
    void setYRange(double min, double max);
    void clearYRange();
    bool hasFixedYRange() const { return m_fixedY; }

    /** A vertical line at x ("the view is at epoch 12"). */
    void setMarker(double x);
    void clearMarker();
    /** NaN when no marker is shown. */
    double markerX() const;
    void setMarkerColor(const QColor &color);
    QColor markerColor() const;

    /** Fits both axes to the data and follows new points again (what a double-click does). */
    void resetView();
    /** False after the user dragged or zoomed, until resetView. */
    bool isFollowingData() const { return m_following; }

    /** The plot drawn at width x height (the legend's columns laid out for that width), e.g. for a report. */
    QPixmap toPixmap(int width, int height);
    bool savePng(const QString &path, int width, int height);
    bool savePdf(const QString &path, int width, int height);

    QCustomPlot *plot() const { return m_plot; }
    /** Legend columns for the current width (up to three; fewer when the entries would not fit side by side). */
    int legendColumns() const { return legendColumnsFor(width()); }
    int legendColumnsFor(int width) const;

signals:
    void seriesVisibilityChanged(int series, bool visible);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QCPGraph *graphAt(int series) const;
    /** The band's lower and upper edge graphs (the upper one is filled down to the lower). */
    struct Band {
        QCPGraph *lower = nullptr, *upper = nullptr;
    };
    Band bandFor(int series);
    /** Legend columns that fit the width; the legend is hidden while there are no series. */
    void layoutLegend();
    void setLegendColumns(int columns);
    void scheduleRefresh();
    void refresh();
    /** What every draw needs first: dots on lone points, then fitAxes. */
    void prepareDraw();
    void fitAxes();
    void fitX();
    void fitY();
    void onLegendClick(QCPLegend *legend, QCPAbstractLegendItem *item, QMouseEvent *event);
    void onDoubleClick(QMouseEvent *event);

    QCustomPlot *m_plot = nullptr;
    QTimer *m_refreshTimer = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPItemStraightLine *m_marker = nullptr;
    QVector<QCPGraph *> m_graphs;
    QHash<int, Band> m_bands;
    QVector<QString> m_names;
    QHash<QString, int> m_ids;
    bool m_following = true;
    bool m_dragging = false;
    bool m_fixedY = false;
    double m_yMin = 0.0, m_yMax = 1.0;
};

} // namespace untangle
