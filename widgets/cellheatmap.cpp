#include "cellheatmap.h"

#include "plotexport.h"

#include <qcustomplot.h>

#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {
namespace {
constexpr double LogFloor = 0.5; // empty cells on a log scale sit below the smallest count instead of at -inf
constexpr double CellTextFill = 0.85; // a number may fill this much of its cell's width (air between neighbours)
constexpr double CellTextHeightFill = 0.9; // ... and of its height
constexpr double MinCellPointSize = 5.5; // below this the numbers are unreadable: leave the colours alone
constexpr double MaxCellPointSizeDrop = 1.0; // at most the base font less one point: numbers stay secondary
constexpr int TitleSidePadding = 12; // air beside a title that just fits
constexpr QSize MinimumSize(260, 220); // a 10x10 map with readable numbers
constexpr int ScaleColumnWidth = 70; // the colour scale beside the map (bar, ticks, margins)
const QString TitleBreaks[] = {QStringLiteral(": "), QStringLiteral(" · "), QStringLiteral(" — ")};
} // namespace

CellHeatMap::CellHeatMap(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    addPlotExportMenu(m_plot);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(MinimumSize);

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_map->setColorScale(m_scale);
    m_map->setGradient(QCPColorGradient::gpThermal);
    // Keep the colour scale as tall as the map.
    auto *group = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis->grid()->setVisible(false);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        // Ticks pointing into the map read as minus signs before the first column's numbers ("-97"): point out.
        axis->setTickLengthIn(0);
        axis->setTickLengthOut(3);
        axis->setSubTickLength(0, 0);
    }

    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        const double x = m_plot->xAxis->pixelToCoord(event->position().x());
        const double y = m_plot->yAxis->pixelToCoord(event->position().y());
        const int column = int(std::lround(x)), row = int(std::lround(y));
        if (row >= 0 && row < rowCount() && column >= 0 && column < columnCount())
            emit cellClicked(row, column);
    });
    connect(m_plot, &QCustomPlot::afterLayout, this, &CellHeatMap::fitCellText);
}

void CellHeatMap::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTitle();
}

QFont CellHeatMap::titleFont() const
{
    return QFont(font().family(), font().pointSize(), QFont::DemiBold);
}

QString CellHeatMap::shownTitle() const
{
    return m_title ? m_title->text() : QString();
}

QRect CellHeatMap::titleRect() const
{
    return m_title ? m_title->outerRect() : QRect();
}

void CellHeatMap::fitTitle()
{
    if (!m_title)
        return;
    // The title sits over the map's column, beside the colour scale: that is the width it has.
    const int available = width() - ScaleColumnWidth - TitleSidePadding;
    const QFontMetrics metrics(titleFont());
    QString shown = m_titleText;
    if (metrics.horizontalAdvance(m_titleText) > available) {
        for (const QString &at : TitleBreaks) {
            const int index = int(m_titleText.indexOf(at));
            if (index > 0) {
                shown = m_titleText.left(index + (at.startsWith(':') ? 1 : 0)) + '\n'
                    + m_titleText.mid(index + at.size());
                break;
            }
        }
    }
    if (shown != m_title->text()) {
        m_title->setText(shown);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void CellHeatMap::fitCellText()
{
    if (m_texts.isEmpty())
        return;
    const QRect area = m_plot->axisRect()->rect();
    const double cellWidth = area.width() / double(std::max(1, columnCount()));
    const double cellHeight = area.height() / double(std::max(1, rowCount()));
    QFont font = m_texts.first()->font();
    font.setPointSizeF(this->font().pointSizeF());
    const QFontMetricsF metrics(font);
    double widest = 1.0;
    for (const QCPItemText *text : qAsConst(m_texts))
        widest = std::max(widest, metrics.horizontalAdvance(text->text()));
    const double scale
        = std::min(cellWidth * CellTextFill / widest, cellHeight * CellTextHeightFill / metrics.height());
    const double size = std::min(font.pointSizeF() - MaxCellPointSizeDrop, font.pointSizeF() * scale);
    const double fitted = size >= MinCellPointSize ? size : 0.0;
    if (std::abs(fitted - m_cellPointSize) < 0.05)
        return;
    m_cellPointSize = fitted;
    font.setPointSizeF(std::max(MinCellPointSize, fitted));
    for (QCPItemText *text : qAsConst(m_texts)) {
        text->setFont(font);
        text->setVisible(fitted > 0.0);
    }
}

void CellHeatMap::setMatrix(
    const QVector<QVector<double>> &values, const QStringList &rowLabels, const QStringList &columnLabels)
{
    m_values = values;
    m_rowLabels = rowLabels;
    m_columnLabels = columnLabels;
    rebuild();
}

void CellHeatMap::setAxisTitles(const QString &rowTitle, const QString &columnTitle)
{
    m_plot->yAxis->setLabel(rowTitle);
    m_plot->xAxis->setLabel(columnTitle);
    m_plot->xAxis->setLabelPadding(8); // air under two-line tick labels ("orient-" / "ation")
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CellHeatMap::setLogarithmic(bool logarithmic)
{
    m_logarithmic = logarithmic;
    rebuild();
}

void CellHeatMap::setFixedRange(double low, double high)
{
    m_fixedLow = low;
    m_fixedHigh = high;
    rebuild();
}

void CellHeatMap::setTitle(const QString &title)
{
    m_plot->setObjectName(fileNameFor(title)); // what Save as… proposes
    m_titleText = title;
    if (!m_title) {
        m_plot->plotLayout()->insertRow(0);
        m_title = new QCPTextElement(m_plot, title, titleFont());
        m_plot->plotLayout()->addElement(0, 0, m_title);
    }
    m_title->setText(title);
    // Never narrower than the title's longest line: a clipped "eep: 2.6% confl. · 87.4% aligne" says nothing.
    const QFontMetrics metrics(titleFont());
    int longest = 0;
    for (const QString &line : title.split(QRegularExpression(QStringLiteral(": | · | — "))))
        longest = std::max(longest, metrics.horizontalAdvance(line));
    setMinimumWidth(std::max(MinimumSize.width(), longest + ScaleColumnWidth + TitleSidePadding));
    fitTitle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CellHeatMap::setValueFormat(const QString &format)
{
    m_format = format;
    rebuild();
}

QColor CellHeatMap::colorFor(double value) const
{
    if (m_logarithmic)
        value = std::max(value, LogFloor);
    QRgb rgb = 0;
    m_map->gradient().colorize(&value, m_map->dataRange(), &rgb, 1, 1, m_logarithmic);
    return QColor::fromRgb(rgb);
}

QPoint CellHeatMap::cellCenter(int row, int column) const
{
    const double x = m_plot->xAxis->coordToPixel(column);
    const double y = m_plot->yAxis->coordToPixel(row);
    return m_plot->mapTo(this, QPoint(int(std::lround(x)), int(std::lround(y))));
}

QString CellHeatMap::cellText(double value) const
{
    // Four-digit counts do not fit a cell of a 10x10 map: 5292 is shown as 5.3k (the tooltip-free plot stays legible).
    if (std::abs(value) >= 1000.0)
        return QString::number(value / 1000.0, 'f', std::abs(value) >= 10000.0 ? 0 : 1) + "k";
    return QString::asprintf(qPrintable(m_format), value);
}

void CellHeatMap::updateTicks()
{
    auto ticks = [](int count, const QStringList &labels) {
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        for (int i = 0; i < count; ++i)
            ticker->addTick(i, i < labels.size() ? labels[i] : QString::number(i));
        return ticker;
    };
    m_plot->xAxis->setTicker(ticks(columnCount(), m_columnLabels));
    m_plot->yAxis->setTicker(ticks(rowCount(), m_rowLabels));
    m_plot->xAxis->setTickLabelRotation(columnCount() > 6 ? 45 : 0);
}

void CellHeatMap::rebuild()
{
    for (auto *text : m_texts)
        m_plot->removeItem(text);
    m_texts.clear();
    const int rows = rowCount(), columns = columnCount();
    if (rows == 0 || columns == 0) {
        m_map->data()->clear();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    m_map->data()->setSize(columns, rows);
    m_map->data()->setRange(QCPRange(0, columns - 1), QCPRange(0, rows - 1));
    double low = 0.0, high = 0.0;
    bool first = true;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            const double raw = m_values[r][c];
            const double v = m_logarithmic ? std::max(raw, LogFloor) : raw;
            if (!std::isfinite(v)) { // an empty cell: no colour of its own
                m_map->data()->setCell(c, r, std::numeric_limits<double>::quiet_NaN());
                continue;
            }
            m_map->data()->setCell(c, r, v);
            low = first ? v : std::min(low, v);
            high = first ? v : std::max(high, v);
            first = false;
        }
    if (m_fixedHigh > m_fixedLow) {
        low = m_fixedLow;
        high = m_fixedHigh;
    }
    if (high <= low)
        high = low + 1.0;
    m_map->setDataScaleType(m_logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_scale->axis()->setScaleType(m_logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (m_logarithmic)
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_map->setDataRange(QCPRange(low, high));

    // Numbers in the cells, dark or light so they read on the cell's colour; sized to the cells after the layout.
    m_cellPointSize = -1.0;
    const bool showNumbers = rows * columns <= 400;
    for (int r = 0; showNumbers && r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            auto *text = new QCPItemText(m_plot);
            text->position->setCoords(c, r);
            text->setText(std::isfinite(m_values[r][c]) ? cellText(m_values[r][c]) : QStringLiteral("–"));
            text->setColor(colorFor(m_values[r][c]).lightnessF() > 0.55 ? Qt::black : Qt::white);
            m_texts.push_back(text);
        }
    updateTicks();
    m_plot->xAxis->setRange(-0.5, columns - 0.5);
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace untangle
