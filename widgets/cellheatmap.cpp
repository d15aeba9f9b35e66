#include "cellheatmap.h"

#include "plotexport.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {
namespace {
constexpr double LogFloor = 0.5; // empty cells on a log scale sit below the smallest count instead of at -inf
}

CellHeatMap::CellHeatMap(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    addPlotExportMenu(m_plot);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(260, 220);

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

    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        const double x = m_plot->xAxis->pixelToCoord(event->position().x());
        const double y = m_plot->yAxis->pixelToCoord(event->position().y());
        const int column = int(std::lround(x)), row = int(std::lround(y));
        if (row >= 0 && row < rowCount() && column >= 0 && column < columnCount())
            emit cellClicked(row, column);
    });
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
    if (!m_title) {
        m_plot->plotLayout()->insertRow(0);
        m_title = new QCPTextElement(m_plot, title, QFont(font().family(), font().pointSize(), QFont::DemiBold));
        m_plot->plotLayout()->addElement(0, 0, m_title);
    }
    m_title->setText(title);
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

    // Numbers in the cells, dark or light so they read on the cell's colour.
    const bool showNumbers = rows * columns <= 400;
    for (int r = 0; showNumbers && r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            auto *text = new QCPItemText(m_plot);
            text->position->setCoords(c, r);
            text->setText(std::isfinite(m_values[r][c]) ? cellText(m_values[r][c]) : QStringLiteral("–"));
            QFont font = text->font();
            font.setPointSizeF(std::max(6.0, font.pointSizeF() - 1.5));
            text->setFont(font);
            text->setColor(colorFor(m_values[r][c]).lightnessF() > 0.55 ? Qt::black : Qt::white);
            m_texts.push_back(text);
        }
    updateTicks();
    m_plot->xAxis->setRange(-0.5, columns - 0.5);
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace untangle
