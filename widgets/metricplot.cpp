#include "metricplot.h"

#include "plotexport.h"

#include <qcustomplot.h>

#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {
namespace {
constexpr int RefreshIntervalMs = 40; // 25 repaints a second look live yet leave the GUI thread to the image views
constexpr double YMarginFraction = 0.05; // curves touching the frame hide their extremes under the axis line
constexpr double FlatYMarginFraction = 0.05; // a flat curve (one point, constant loss) still needs a visible band
constexpr double FlatZeroYMargin = 1.0; // ... and a flat curve at exactly 0 has no scale to take a fraction of
constexpr double SinglePointHalfWidth = 0.5; // after the first epoch there is one x; give it half an epoch each side
constexpr double SeriesPenWidth = 2.0; // the live run reads at a glance
constexpr double ComparisonPenWidth = 1.2; // an overlaid earlier run stays behind the live one visually
constexpr double MarkerPenWidth = 2.0; // the timeline cursor must stand out from 2 px curves crossing it
constexpr QColor DefaultMarkerColor(64, 64, 64); // dark grey reads on white without competing with series colours
constexpr QColor HiddenLegendTextColor(150, 150, 150); // greyed like a disabled control: "click to show again"
constexpr double HiddenLegendOpacity = 0.35; // the icon of a hidden series fades too, so its colour is not mistaken
constexpr int LegendColumns = 3; // aligned / conflicting / unbiased of one split share a legend row
constexpr QSize LegendIconSize(24, 12); // a line sample is all an icon shows; the default 32x18 costs rows
constexpr QMargins LegendItemMargins(6, 1, 6, 1); // a dozen entries in four compact rows leave the curves room
constexpr int LegendIconTextPadding = 5;
constexpr double LegendRowStretch = 0.001; // the legend row gets only the height its entries need
constexpr int TitlePointSizeIncrease = 1; // the title stands above the tick labels
constexpr auto MarkerLayer = "marker"; // above the curves, so the cursor is never hidden by a line
constexpr auto BandLayer = "bands"; // below the curves: a band is context, the line is the number
constexpr int BandAlpha = 45; // light enough that two overlapping bands and the lines inside them stay readable
constexpr double LonePointSize = 6.0; // a series with one point (a 1-epoch stage) has no line to show it
/** Keys are epochs, steps and iterations: ticks at whole numbers only (an empty plot read "0.2 epoch", "0.4 step"). */
class WholeStepTicker : public QCPAxisTicker {
protected:
    double getTickStep(const QCPRange &range) override { return std::max(1.0, QCPAxisTicker::getTickStep(range)); }
};

const QCPRange EmptyRange(0.0, 1.0); // the axes of a plot without data (a new run starts here, not at the old one's)

/** A legend entry that fades (icon and text) while its series is hidden. */
class SeriesLegendItem : public QCPPlottableLegendItem {
public:
    using QCPPlottableLegendItem::QCPPlottableLegendItem;

protected:
    void draw(QCPPainter *painter) override
    {
        const bool hidden = !plottable()->visible();
        if (hidden) {
            painter->save();
            painter->setOpacity(HiddenLegendOpacity);
        }
        QCPPlottableLegendItem::draw(painter);
        if (hidden)
            painter->restore();
    }
};
} // namespace

MetricPlot::MetricPlot(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_refreshTimer(new QTimer(this))
{
    addPlotExportMenu(m_plot);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(260, 200);

    // Many points and thick antialiased lines: drop antialiasing only while dragging so panning stays fluid.
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);

    // Legend below the axis rect: a dozen curves (heads x splits x groups) would cover the data as an inset.
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(LegendColumns);
    m_plot->legend->setIconSize(LegendIconSize);
    m_plot->legend->setIconTextPadding(LegendIconTextPadding);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    auto *legendLayout = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendLayout);
    legendLayout->addElement(0, 0, m_plot->legend);
    // An empty legend's maximum width is its margins, and a grid column is never wider than its narrowest maximum:
    // without this spacer beside it, a plot without series squeezes its axes into a strip at the left.
    legendLayout->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendLayout->setColumnStretchFactor(1, LegendRowStretch);
    m_plot->plotLayout()->setRowStretchFactor(1, LegendRowStretch);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new WholeStepTicker));
    m_plot->xAxis->setRange(EmptyRange);
    m_plot->yAxis->setRange(EmptyRange);
    m_plot->legend->setVisible(false); // until the first series: an empty legend is a stray box

    m_plot->addLayer(MarkerLayer, m_plot->layer("main"), QCustomPlot::limAbove);
    m_plot->addLayer(BandLayer, m_plot->layer("main"), QCustomPlot::limBelow);
    m_marker = new QCPItemStraightLine(m_plot);
    m_marker->setLayer(MarkerLayer);
    // Crisp, not antialiased: a cursor reads as a sharp edge, and its pixels are exactly its colour.
    m_marker->setAntialiased(false);
    m_marker->setPen(QPen(DefaultMarkerColor, MarkerPenWidth));
    m_marker->setVisible(false);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(RefreshIntervalMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &MetricPlot::refresh);

    connect(m_plot, &QCustomPlot::legendClick, this, &MetricPlot::onLegendClick);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &MetricPlot::onDoubleClick);
    // A press inside the axis rect may start a drag; a range change while it is held is the user's, not ours.
    connect(m_plot, &QCustomPlot::mousePress, this,
        [this](QMouseEvent *event) { m_dragging = m_plot->axisRect()->rect().contains(event->position().toPoint()); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *) { m_dragging = false; });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this](QWheelEvent *event) {
        if (m_plot->axisRect()->rect().contains(event->position().toPoint()))
            m_following = false;
    });
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this](const QCPRange &) {
        if (m_dragging)
            m_following = false;
        // Zoomed into the tail of a loss curve, y should fit what is in view, not the first epoch's spike.
        fitY();
    });
}

void MetricPlot::setTitle(const QString &title)
{
    m_plot->setObjectName(fileNameFor(title)); // what Save as… proposes
    if (!m_title) {
        QFont font = this->font();
        font.setPointSize(font.pointSize() + TitlePointSizeIncrease);
        font.setBold(true);
        m_title = new QCPTextElement(m_plot, title, font);
        m_plot->plotLayout()->insertRow(0);
        m_plot->plotLayout()->addElement(0, 0, m_title);
    }
    m_title->setText(title);
    scheduleRefresh();
}

QString MetricPlot::title() const
{
    return m_title ? m_title->text() : QString();
}

void MetricPlot::setAxisLabels(const QString &x, const QString &y)
{
    m_plot->xAxis->setLabel(x);
    m_plot->yAxis->setLabel(y);
    scheduleRefresh();
}

int MetricPlot::addSeries(const QString &name, const QColor &color, Qt::PenStyle style)
{
    const int existing = seriesId(name);
    if (existing >= 0)
        return existing;
    QCPGraph *graph = m_plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(color, style == Qt::SolidLine ? SeriesPenWidth : ComparisonPenWidth, style));
    auto *item = new SeriesLegendItem(m_plot->legend, graph);
    item->setMargins(LegendItemMargins);
    m_plot->legend->addItem(item);
    const int id = int(m_graphs.size());
    m_graphs.push_back(graph);
    m_names.push_back(name);
    m_ids.insert(name, id);
    layoutLegend();
    scheduleRefresh();
    return id;
}

void MetricPlot::addPoint(int series, double x, double y)
{
    QCPGraph *graph = graphAt(series);
    if (!graph)
        return;
    // Appending in x order is O(1) in QCPDataContainer; NaN values stay in the data and break the line there.
    graph->addData(x, y);
    scheduleRefresh();
}

void MetricPlot::addBandPoint(int series, double x, double low, double high)
{
    if (!graphAt(series))
        return;
    const Band band = bandFor(series);
    band.lower->addData(x, low);
    band.upper->addData(x, high);
    scheduleRefresh();
}

MetricPlot::Band MetricPlot::bandFor(int series)
{
    if (const auto it = m_bands.constFind(series); it != m_bands.constEnd())
        return *it;
    const QCPGraph *line = graphAt(series);
    QColor fill = line->pen().color();
    fill.setAlpha(BandAlpha);
    Band band;
    band.lower = m_plot->addGraph();
    band.upper = m_plot->addGraph();
    for (QCPGraph *edge : {band.lower, band.upper}) {
        edge->setLayer(BandLayer);
        edge->setPen(Qt::NoPen);
        edge->setVisible(line->visible());
    }
    band.upper->setBrush(fill);
    band.upper->setChannelFillGraph(band.lower);
    m_bands.insert(series, band);
    return band;
}

void MetricPlot::clearSeries()
{
    m_plot->clearGraphs(); // also removes their legend entries and the bands
    m_bands.clear();
    m_graphs.clear();
    m_names.clear();
    m_ids.clear();
    m_following = true;
    layoutLegend();
    scheduleRefresh();
}

void MetricPlot::clearData()
{
    for (QCPGraph *graph : qAsConst(m_graphs))
        graph->data()->clear();
    for (const Band &band : qAsConst(m_bands)) {
        band.lower->data()->clear();
        band.upper->data()->clear();
    }
    m_following = true;
    scheduleRefresh();
}

void MetricPlot::clearData(int series)
{
    if (QCPGraph *graph = graphAt(series)) {
        graph->data()->clear();
        if (const auto it = m_bands.constFind(series); it != m_bands.constEnd()) {
            it->lower->data()->clear();
            it->upper->data()->clear();
        }
        scheduleRefresh();
    }
}

int MetricPlot::pointCount(int series) const
{
    const QCPGraph *graph = graphAt(series);
    return graph ? graph->dataCount() : 0;
}

QString MetricPlot::seriesName(int series) const
{
    return series >= 0 && series < m_names.size() ? m_names[series] : QString();
}

bool MetricPlot::isSeriesVisible(int series) const
{
    const QCPGraph *graph = graphAt(series);
    return graph && graph->visible();
}

void MetricPlot::setSeriesVisible(int series, bool visible)
{
    QCPGraph *graph = graphAt(series);
    if (!graph || graph->visible() == visible)
        return;
    graph->setVisible(visible);
    if (const auto it = m_bands.constFind(series); it != m_bands.constEnd()) {
        it->lower->setVisible(visible);
        it->upper->setVisible(visible);
    }
    if (QCPPlottableLegendItem *item = m_plot->legend->itemWithPlottable(graph))
        item->setTextColor(visible ? QColor(Qt::black) : HiddenLegendTextColor);
    scheduleRefresh(); // hidden series no longer count when fitting the axes
    emit seriesVisibilityChanged(series, visible);
}

void MetricPlot::setYRange(double min, double max)
{
    m_fixedY = true;
    m_yMin = min;
    m_yMax = max;
    scheduleRefresh();
}

void MetricPlot::clearYRange()
{
    m_fixedY = false;
    scheduleRefresh();
}

void MetricPlot::setMarker(double x)
{
    if (std::isnan(x)) {
        clearMarker();
        return;
    }
    // Two points at the same x in plot coordinates: the straight line through them is vertical at any y range.
    m_marker->point1->setCoords(x, 0.0);
    m_marker->point2->setCoords(x, 1.0);
    m_marker->setVisible(true);
    scheduleRefresh();
}

void MetricPlot::clearMarker()
{
    m_marker->setVisible(false);
    scheduleRefresh();
}

double MetricPlot::markerX() const
{
    return m_marker->visible() ? m_marker->point1->coords().x() : std::numeric_limits<double>::quiet_NaN();
}

void MetricPlot::setMarkerColor(const QColor &color)
{
    m_marker->setPen(QPen(color, MarkerPenWidth));
    scheduleRefresh();
}

QColor MetricPlot::markerColor() const
{
    return m_marker->pen().color();
}

void MetricPlot::resetView()
{
    m_following = true;
    m_refreshTimer->stop();
    refresh();
}

bool MetricPlot::savePng(const QString &path, int width, int height)
{
    prepareDraw(); // a point still waiting for the refresh timer belongs in the export
    return m_plot->savePng(path, width, height);
}

bool MetricPlot::savePdf(const QString &path, int width, int height)
{
    prepareDraw();
    return m_plot->savePdf(path, width, height);
}

void MetricPlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutLegend();
}

int MetricPlot::legendColumnsFor(int width) const
{
    QCPLegend *legend = m_plot->legend;
    if (m_graphs.isEmpty())
        return 0;
    const QFontMetrics metrics(legend->font());
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i));
        if (!item)
            continue;
        const QMargins margins = item->margins();
        widest = std::max(widest,
            margins.left() + legend->iconSize().width() + legend->iconTextPadding()
                + metrics.horizontalAdvance(item->plottable()->name()) + margins.right());
    }
    const QMargins outer = legend->margins();
    const int available = width - outer.left() - outer.right();
    const int fit = (available + legend->columnSpacing()) / std::max(1, widest + legend->columnSpacing());
    return std::clamp(fit, 1, LegendColumns);
}

void MetricPlot::layoutLegend()
{
    QCPLegend *legend = m_plot->legend;
    // An empty legend still takes its margins below the axes, a blank band that reads as a stray legend.
    legend->setVisible(!m_graphs.isEmpty());
    setLegendColumns(legendColumns());
    scheduleRefresh(); // with the axes fitted: a replot of the new legend alone would show stale ranges
}

void MetricPlot::setLegendColumns(int columns)
{
    QCPLegend *legend = m_plot->legend;
    if (columns > 0 && columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flows the existing entries
    }
}

QPixmap MetricPlot::toPixmap(int width, int height)
{
    prepareDraw();
    setLegendColumns(legendColumnsFor(width));
    const QPixmap pixmap = m_plot->toPixmap(width, height);
    setLegendColumns(legendColumns());
    return pixmap;
}

QCPGraph *MetricPlot::graphAt(int series) const
{
    return series >= 0 && series < m_graphs.size() ? m_graphs[series] : nullptr;
}

void MetricPlot::scheduleRefresh()
{
    // Not restarted when already running: a steady stream of points must still repaint every interval.
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void MetricPlot::refresh()
{
    prepareDraw();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::prepareDraw()
{
    // One point draws nothing as a line (a 1-epoch stage): it gets a dot until its second point arrives.
    for (QCPGraph *graph : qAsConst(m_graphs)) {
        const bool lone = graph->dataCount() == 1;
        if (lone != (graph->scatterStyle().shape() != QCPScatterStyle::ssNone))
            graph->setScatterStyle(lone ? QCPScatterStyle(QCPScatterStyle::ssDisc, LonePointSize)
                                        : QCPScatterStyle(QCPScatterStyle::ssNone));
    }
    fitAxes();
}

void MetricPlot::fitAxes()
{
    // While the button is held the user owns the x range; the next refresh after release catches up.
    if (m_following && !m_dragging)
        fitX();
    fitY();
}

void MetricPlot::fitX()
{
    bool any = false;
    QCPRange keys;
    for (const QCPGraph *graph : qAsConst(m_graphs)) {
        bool found = false;
        const QCPRange range = graph->visible() ? graph->getKeyRange(found) : QCPRange();
        if (!found)
            continue;
        keys = any ? QCPRange(std::min(keys.lower, range.lower), std::max(keys.upper, range.upper)) : range;
        any = true;
    }
    if (!any) {
        m_plot->xAxis->setRange(EmptyRange); // no data: not the range of a run that was cleared
        return;
    }
    if (keys.upper <= keys.lower)
        keys = QCPRange(keys.lower - SinglePointHalfWidth, keys.upper + SinglePointHalfWidth);
    m_plot->xAxis->setRange(keys);
}

void MetricPlot::fitY()
{
    if (m_fixedY) {
        m_plot->yAxis->setRange(m_yMin, m_yMax);
        return;
    }
    bool any = false;
    QCPRange values;
    const QCPRange inView = m_plot->xAxis->range();
    QVector<const QCPGraph *> counted(m_graphs.begin(), m_graphs.end());
    for (const Band &band : qAsConst(m_bands))
        counted << band.lower << band.upper;
    for (const QCPGraph *graph : qAsConst(counted)) {
        bool found = false;
        const QCPRange range = graph->visible() ? graph->getValueRange(found, QCP::sdBoth, inView) : QCPRange();
        if (!found)
            continue;
        values = any ? QCPRange(std::min(values.lower, range.lower), std::max(values.upper, range.upper)) : range;
        any = true;
    }
    if (!any) {
        const bool empty = std::all_of(
            m_graphs.begin(), m_graphs.end(), [](const QCPGraph *graph) { return graph->dataCount() == 0; });
        if (empty)
            m_plot->yAxis->setRange(EmptyRange); // zoomed past the data, y stays; without data it starts over
        return;
    }
    const double span = values.upper - values.lower;
    double margin = span * YMarginFraction;
    if (span <= 0.0) {
        const double scale = std::max(std::abs(values.lower), std::abs(values.upper));
        margin = scale > 0.0 ? scale * FlatYMarginFraction : FlatZeroYMargin;
    }
    m_plot->yAxis->setRange(values.lower - margin, values.upper + margin);
}

void MetricPlot::onLegendClick(QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *)
{
    auto *plottableItem = qobject_cast<QCPPlottableLegendItem *>(item);
    if (!plottableItem)
        return; // a click on the legend's empty space
    const int series = int(m_graphs.indexOf(qobject_cast<QCPGraph *>(plottableItem->plottable())));
    if (series >= 0)
        setSeriesVisible(series, !isSeriesVisible(series));
}

void MetricPlot::onDoubleClick(QMouseEvent *event)
{
    // A quick second click on a legend entry is two toggles, not a request to reset the view.
    if (m_plot->legend->selectTest(event->position(), false) >= 0)
        return;
    resetView();
}

} // namespace untangle
