// The live metric plot: points arrive cheaply and repaint coalesced, NaN is a gap, the legend hides series, the
// marker sits at its x, exports are real files, and user zoom/drag hands the view back on double-click.
#include "metricplot.h"

#include <qcustomplot.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace untangle;

namespace {

constexpr QSize PlotSize(480, 360);
constexpr int MaxReplotsForBurst = 10; // 1000 points within one event-loop turn must repaint a handful of times
constexpr QColor Red(255, 0, 0);
constexpr QColor Blue(0, 0, 255);

bool isNear(QRgb pixel, const QColor &color)
{
    // Antialiased line cores are the pure colour; edges blend with white, so accept a band around the colour only
    // in the channels the colour leaves at zero or full.
    constexpr int Tolerance = 70;
    return std::abs(qRed(pixel) - color.red()) < Tolerance && std::abs(qGreen(pixel) - color.green()) < Tolerance
        && std::abs(qBlue(pixel) - color.blue()) < Tolerance;
}

int countPixels(const QImage &image, const QRect &area, const std::function<bool(QRgb)> &match)
{
    int count = 0;
    const QRect clipped = area.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y)
        for (int x = clipped.left(); x <= clipped.right(); ++x)
            count += match(image.pixel(x, y)) ? 1 : 0;
    return count;
}

/** Shows the plot and waits until a replot has painted the current state (layout and axes final). */
void showAndSettle(MetricPlot &plot)
{
    plot.resize(PlotSize);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
}

/** Waits for the coalescing timer and the queued replot it triggers. */
void waitForReplot(MetricPlot &plot)
{
    QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
    QTRY_VERIFY_WITH_TIMEOUT(replots.count() > 0, 2000);
}

QImage grabPlot(MetricPlot &plot)
{
    return plot.grab().toImage().convertToFormat(QImage::Format_RGB32);
}

/** The axis rect of the plot in MetricPlot coordinates (where the curves are drawn). */
QRect curveArea(const MetricPlot &plot)
{
    const QRect rect = plot.plot()->axisRect()->rect();
    return QRect(plot.plot()->mapTo(&plot, rect.topLeft()), rect.size());
}

int pixelX(const MetricPlot &plot, double x)
{
    const double px = plot.plot()->xAxis->coordToPixel(x);
    return plot.plot()->mapTo(&plot, QPoint(int(std::lround(px)), 0)).x();
}

} // namespace

class TstMetricPlot : public QObject {
    Q_OBJECT

private slots:
    void emptyPlotTicksWholeNumbersOnly()
    {
        // Keys are epochs, steps, iterations: an empty plot's 0..1 axis read "0.2 epoch".
        MetricPlot plot;
        showAndSettle(plot);
        plot.plot()->replot();
        const QVector<double> ticks = plot.plot()->xAxis->tickVector();
        QVERIFY(!ticks.isEmpty());
        for (double tick : ticks)
            QCOMPARE(tick, std::round(tick));
        // A long run still gets a few round ticks, not one per iteration.
        const int loss = plot.addSeries("loss", Blue);
        plot.addPoint(loss, 0, 1.0);
        plot.addPoint(loss, 6000, 0.5);
        plot.plot()->xAxis->setRange(0, 6000);
        plot.plot()->replot();
        QVERIFY(plot.plot()->xAxis->tickVector().size() <= 12);
    }

    void gainsPointsAndFitsAxesAfterTheTimer()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int loss = plot.addSeries("loss", Blue);
        QCOMPARE(plot.seriesCount(), 1);
        QCOMPARE(plot.seriesName(loss), QString("loss"));
        for (int epoch = 1; epoch <= 5; ++epoch) {
            plot.addPoint(loss, epoch, 2.0 / epoch);
            QCOMPARE(plot.pointCount(loss), epoch);
        }
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
        // A repaint of its own (an expose on a loaded machine) can replot before the refresh timer fires: wait for
        // the refresh's outcome, the axes fitted, not for any replot.
        QTRY_VERIFY_WITH_TIMEOUT(replots.count() > 0 && plot.plot()->xAxis->range().upper >= 5.0, 5000);
        QCOMPARE(plot.plot()->graph(loss)->dataCount(), 5);
        const QCPRange x = plot.plot()->xAxis->range();
        QVERIFY2(x.lower <= 1.0 && x.upper >= 5.0, qPrintable(QString("x %1..%2").arg(x.lower).arg(x.upper)));
        const QCPRange y = plot.plot()->yAxis->range();
        QVERIFY2(y.lower < 0.4 && y.upper > 2.0, qPrintable(QString("y %1..%2").arg(y.lower).arg(y.upper)));
        // The y margin is small: the curve fills most of the height.
        QVERIFY(y.size() < 1.6 * (2.0 - 0.4));

        // More points later extend the x range.
        plot.addPoint(loss, 40, 0.1);
        QTRY_VERIFY_WITH_TIMEOUT(plot.plot()->xAxis->range().upper >= 40.0, 2000);

        // A fixed y range wins over the data (accuracies on 0..100).
        plot.setYRange(0, 100);
        QTRY_COMPARE_WITH_TIMEOUT(plot.plot()->yAxis->range(), QCPRange(0, 100), 2000);
        plot.clearYRange();
        QTRY_VERIFY_WITH_TIMEOUT(plot.plot()->yAxis->range().upper < 10.0, 2000);

        const int other = plot.addSeries("other run", Red, Qt::DashLine);
        plot.addPoint(other, 1, 1);
        plot.clearData(other);
        QCOMPARE(plot.pointCount(other), 0);
        QCOMPARE(plot.pointCount(loss), 6);
        plot.clearData();
        QCOMPARE(plot.seriesCount(), 2);
        QCOMPARE(plot.pointCount(loss), 0);
        plot.clearSeries();
        QCOMPARE(plot.seriesCount(), 0);
        QCOMPARE(plot.plot()->graphCount(), 0);
        QCOMPARE(plot.plot()->legend->itemCount(), 0);
        plot.addPoint(loss, 1, 1); // a stale id after clearSeries is ignored, not a crash
        QCOMPARE(plot.pointCount(loss), 0);
    }

    void burstOfPointsCoalescesReplots()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int a = plot.addSeries("train", Blue);
        const int b = plot.addSeries("valid", Red);
        waitForReplot(plot);
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);
        constexpr int Points = 1000;
        for (int i = 0; i < Points; ++i) {
            plot.addPoint(a, i, std::sin(i * 0.01));
            plot.addPoint(b, i, std::cos(i * 0.01));
        }
        QCOMPARE(plot.pointCount(a), Points);
        QTRY_VERIFY_WITH_TIMEOUT(replots.count() > 0, 2000);
        QTest::qWait(150); // several timer intervals: nothing else may be pending
        QVERIFY2(replots.count() < MaxReplotsForBurst, qPrintable(QString::number(replots.count())));
        QCOMPARE(plot.plot()->graph(a)->dataCount(), Points);
        QVERIFY(plot.plot()->xAxis->range().upper >= Points - 1);
    }

    void nanLeavesAGap()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int s = plot.addSeries("accuracy", Blue);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        plot.addPoint(s, 0, 50);
        plot.addPoint(s, 1, 50);
        plot.addPoint(s, 2, nan);
        plot.addPoint(s, 3, 50);
        plot.addPoint(s, 4, 50);
        QCOMPARE(plot.pointCount(s), 5);
        const auto data = plot.plot()->graph(s)->data();
        QCOMPARE(data->size(), 5);
        QVERIFY(std::isnan((data->constBegin() + 2)->value));
        waitForReplot(plot);
        // NaN does not poison the fitted y range.
        const QCPRange y = plot.plot()->yAxis->range();
        QVERIFY(std::isfinite(y.lower) && std::isfinite(y.upper));
        QVERIFY(y.contains(50));

        // A flat line at y = 50: it is drawn around x = 0.5 and 3.5 but not across the NaN at x = 2.
        const QImage image = grabPlot(plot);
        const QRect area = curveArea(plot);
        auto columnHasLine = [&](double x) {
            const int px = pixelX(plot, x);
            return countPixels(image, QRect(px, area.top(), 1, area.height()), [](QRgb p) { return isNear(p, Blue); });
        };
        QVERIFY(columnHasLine(0.5) > 0);
        QVERIFY(columnHasLine(3.5) > 0);
        QCOMPARE(columnHasLine(2.0), 0);
    }

    void legendClickHidesTheSeries()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int red = plot.addSeries("red", Red);
        const int blue = plot.addSeries("blue", Blue);
        for (int i = 0; i <= 20; ++i) {
            plot.addPoint(red, i, i);
            plot.addPoint(blue, i, 20 - i);
        }
        waitForReplot(plot);
        auto reddish = [](QRgb p) { return qRed(p) > 180 && qGreen(p) < 90 && qBlue(p) < 90; };
        auto bluish = [](QRgb p) { return qBlue(p) > 180 && qRed(p) < 90 && qGreen(p) < 90; };
        QImage image = grabPlot(plot);
        QVERIFY(countPixels(image, image.rect(), reddish) > 50); // the check can see red when it is there
        QVERIFY(countPixels(image, image.rect(), bluish) > 50);

        // A real click on the legend entry, through QCustomPlot's legendClick.
        QSignalSpy toggled(&plot, &MetricPlot::seriesVisibilityChanged);
        QCPGraph *redGraph = plot.plot()->graph(red);
        QCPPlottableLegendItem *item = plot.plot()->legend->itemWithPlottable(redGraph);
        QVERIFY(item);
        const QPoint itemCenter = item->outerRect().center();
        QTest::mouseClick(plot.plot(), Qt::LeftButton, {}, itemCenter);
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(toggled.first().at(0).toInt(), red);
        QCOMPARE(toggled.first().at(1).toBool(), false);
        QVERIFY(!redGraph->visible());
        QVERIFY(!plot.isSeriesVisible(red));
        QVERIFY(plot.isSeriesVisible(blue));
        QVERIFY(item->textColor() != QColor(Qt::black)); // greyed

        waitForReplot(plot);
        image = grabPlot(plot);
        // Not a single red pixel anywhere, legend icon included (it fades); blue is still drawn.
        QCOMPARE(countPixels(image, image.rect(), reddish), 0);
        QVERIFY(countPixels(image, curveArea(plot), bluish) > 50);

        // A second click shows it again.
        QTest::mouseClick(plot.plot(), Qt::LeftButton, {}, itemCenter);
        QVERIFY(redGraph->visible());
        QCOMPARE(item->textColor(), QColor(Qt::black));
        waitForReplot(plot);
        image = grabPlot(plot);
        QVERIFY(countPixels(image, curveArea(plot), reddish) > 50);

        // The programmatic path agrees.
        plot.setSeriesVisible(blue, false);
        QVERIFY(!plot.plot()->graph(blue)->visible());
        QCOMPARE(toggled.count(), 3);
        plot.setSeriesVisible(blue, false); // no change, no signal
        QCOMPARE(toggled.count(), 3);
    }

    void bandShadesAroundItsSeriesAndHidesWithIt()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int mean = plot.addSeries("mean", Red);
        const int other = plot.addSeries("other", Blue); // keeps the axes where they are when "mean" is hidden
        for (int x = 0; x <= 10; ++x) {
            plot.addPoint(mean, x, 50);
            plot.addBandPoint(mean, x, 20, 80);
            plot.addPoint(other, x, 30);
        }
        QVERIFY(plot.hasBand(mean));
        QVERIFY(!plot.hasBand(other));
        QCOMPARE(plot.seriesCount(), 2); // a band is not a series of its own
        QCOMPARE(plot.plot()->legend->itemCount(), 2);
        // y is fitted to the band, not just to the flat line.
        QTRY_VERIFY_WITH_TIMEOUT(
            plot.plot()->yAxis->range().lower <= 20 && plot.plot()->yAxis->range().upper >= 80, 2000);
        const auto pixelAt = [&](double x, double y) {
            const QImage image = grabPlot(plot);
            const QPoint p = plot.plot()->mapTo(&plot,
                QPoint(int(std::lround(plot.plot()->xAxis->coordToPixel(x))),
                    int(std::lround(plot.plot()->yAxis->coordToPixel(y)))));
            return QColor(image.pixel(p));
        };
        const QColor shaded = pixelAt(5, 65),
                     outside = pixelAt(5, 82); // above the band, inside the axes (y margin 5 %)
        QVERIFY2(shaded.red() > shaded.green() + 20 && shaded.green() > 150,
            qPrintable(shaded.name())); // a light tint of the series' red
        QVERIFY2(outside.red() > 240 && outside.green() > 240, qPrintable(outside.name()));

        plot.setSeriesVisible(mean, false); // the band goes with its series (y now fits "other" alone)
        QTRY_VERIFY_WITH_TIMEOUT(plot.plot()->yAxis->range().upper < 40, 2000);
        plot.setYRange(0, 100); // back to a range where the band was
        waitForReplot(plot);
        const QColor hidden = pixelAt(5, 65);
        QVERIFY2(hidden.green() > 240, qPrintable(hidden.name()));
        plot.clearSeries();
        QVERIFY(!plot.hasBand(mean));
        QCOMPARE(plot.plot()->graphCount(), 0);
    }

    void aLonePointIsDrawnAsADot()
    {
        // A 1-epoch stage gives a series one point: no line to draw, so it must get a marker.
        MetricPlot plot;
        showAndSettle(plot);
        const int lone = plot.addSeries("lone", Red);
        const int other = plot.addSeries("other", Blue);
        plot.addPoint(lone, 2, 50);
        plot.addPoint(other, 1, 0);
        plot.addPoint(other, 3, 100);
        waitForReplot(plot);
        auto reddish = [](QRgb p) { return qRed(p) > 180 && qGreen(p) < 90 && qBlue(p) < 90; };
        QVERIFY(countPixels(grabPlot(plot), curveArea(plot), reddish) > 10);
        plot.addPoint(lone, 3, 60); // a line now: the dot goes
        waitForReplot(plot);
        QCOMPARE(plot.plot()->graph(lone)->scatterStyle().shape(), QCPScatterStyle::ssNone);
    }

    void markerIsAVerticalLineAtItsX()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int s = plot.addSeries("loss", Blue);
        for (int i = 0; i <= 30; ++i)
            plot.addPoint(s, i, 1.0);
        QVERIFY(std::isnan(plot.markerX()));
        plot.setMarker(12);
        QCOMPARE(plot.markerX(), 12.0);
        waitForReplot(plot);

        const QColor marker = plot.markerColor();
        auto markerRows = [&](const QImage &image, double x) {
            // The crisp 2 px line may land one pixel either side of the rounded coordinate.
            const QRect area = curveArea(plot);
            const int px = pixelX(plot, x);
            int best = 0;
            for (int dx = -1; dx <= 1; ++dx)
                best = std::max(best, countPixels(image, QRect(px + dx, area.top(), 1, area.height()), [&](QRgb p) {
                    return QColor(p) == marker;
                }));
            return double(best) / area.height();
        };
        QImage image = grabPlot(plot);
        QVERIFY2(markerRows(image, 12) > 0.9, qPrintable(QString::number(markerRows(image, 12))));
        QCOMPARE(markerRows(image, 20), 0.0);

        plot.setMarker(20);
        waitForReplot(plot);
        image = grabPlot(plot);
        QVERIFY(markerRows(image, 20) > 0.9);
        QCOMPARE(markerRows(image, 12), 0.0);

        plot.clearMarker();
        QVERIFY(std::isnan(plot.markerX()));
        waitForReplot(plot);
        image = grabPlot(plot);
        QCOMPARE(markerRows(image, 20), 0.0);
    }

    void exportsPngAndPdf()
    {
        MetricPlot plot;
        plot.setTitle("Loss");
        plot.setAxisLabels("epoch", "loss");
        QCOMPARE(plot.title(), QString("Loss"));
        const int s = plot.addSeries("train", Blue);
        const int c = plot.addSeries("train (earlier run)", Blue, Qt::DashLine); // a comparison shares the colour
        for (int i = 0; i < 50; ++i) {
            plot.addPoint(s, i, 1.0 / (i + 1));
            plot.addPoint(c, i, 1.2 / (i + 1));
        }
        QCOMPARE(plot.plot()->graph(c)->pen().style(), Qt::DashLine);
        QVERIFY(plot.plot()->graph(c)->pen().widthF() < plot.plot()->graph(s)->pen().widthF());
        QCOMPARE(plot.plot()->graph(c)->pen().color(), plot.plot()->graph(s)->pen().color());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath("loss.png"), pdf = dir.filePath("loss.pdf");
        QVERIFY(plot.savePng(png, 640, 400));
        QVERIFY(QFileInfo(png).size() > 0);
        const QImage image(png);
        QCOMPARE(image.size(), QSize(640, 400));
        // The export holds the curve (the pending points were fitted before saving).
        QVERIFY(countPixels(image.convertToFormat(QImage::Format_RGB32), image.rect(), [](QRgb p) {
            return qBlue(p) > 180 && qRed(p) < 90 && qGreen(p) < 90;
        }) > 50);

        QVERIFY(plot.savePdf(pdf, 640, 400));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(4), QByteArray("%PDF"));
    }

    void existingNameReturnsTheSameId()
    {
        MetricPlot plot;
        const int a = plot.addSeries("deep / valid / aligned", Red);
        const int b = plot.addSeries("deep / valid / conflicting", Blue);
        QVERIFY(a != b);
        QCOMPARE(plot.addSeries("deep / valid / aligned", Blue, Qt::DashLine), a);
        QCOMPARE(plot.seriesCount(), 2);
        QCOMPARE(plot.seriesId("deep / valid / conflicting"), b);
        QCOMPARE(plot.seriesId("missing"), -1);
        QCOMPARE(plot.plot()->graph(a)->pen().color(), Red); // the first definition is kept
    }

    void userZoomStopsFollowingUntilDoubleClick()
    {
        MetricPlot plot;
        showAndSettle(plot);
        QCOMPARE(plot.plot()->axisRect()->rangeZoom(), Qt::Horizontal);
        QCOMPARE(plot.plot()->axisRect()->rangeDrag(), Qt::Horizontal);
        const int s = plot.addSeries("loss", Blue);
        for (int i = 0; i <= 100; ++i)
            plot.addPoint(s, i, 100.0 - i);
        waitForReplot(plot);
        QVERIFY(plot.isFollowingData());

        // Wheel-zoom in the middle of the curves.
        const QPoint center = plot.plot()->axisRect()->rect().center();
        QWheelEvent wheel(center, plot.plot()->mapToGlobal(center), QPoint(), QPoint(0, 120 * 3), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(plot.plot(), &wheel);
        QVERIFY(!plot.isFollowingData());
        const QCPRange zoomed = plot.plot()->xAxis->range();
        QVERIFY2(zoomed.size() < 90.0, qPrintable(QString::number(zoomed.size())));
        // y fits what is in view, not the whole curve.
        QVERIFY(plot.plot()->yAxis->range().size() < 95.0);

        // New points do not yank the view away from what the user is looking at.
        plot.addPoint(s, 200, 0);
        waitForReplot(plot);
        QCOMPARE(plot.plot()->xAxis->range(), zoomed);

        QTest::mouseDClick(plot.plot(), Qt::LeftButton, {}, center);
        QVERIFY(plot.isFollowingData());
        QTRY_VERIFY_WITH_TIMEOUT(plot.plot()->xAxis->range().upper >= 200.0, 2000);
        QVERIFY(plot.plot()->xAxis->range().lower <= 0.0);
    }

    void emptyPlotIsNotASquashedStrip()
    {
        // Before its first series the plot's axes take its width (an empty legend once capped it to a strip).
        MetricPlot plot;
        plot.setTitle("SRE held-out ranking accuracy per direction");
        showAndSettle(plot);
        plot.plot()->replot();
        QVERIFY2(plot.plot()->axisRect()->width() > PlotSize.width() / 2,
            qPrintable(QString("axes %1 px wide in a %2 px plot")
                           .arg(plot.plot()->axisRect()->width())
                           .arg(PlotSize.width())));
        QVERIFY(!plot.plot()->legend->visible()); // no entries, no legend box
        plot.addPoint(plot.addSeries("mean", Red), 1.0, 0.5);
        QVERIFY(plot.plot()->legend->visible());
    }

    void newRunStartsOnAFreshAxis()
    {
        MetricPlot plot;
        showAndSettle(plot);
        const int id = plot.addSeries("loss", Red);
        for (int epoch = 1; epoch <= 40; ++epoch)
            plot.addPoint(id, epoch, 1.0 / epoch);
        waitForReplot(plot);
        QCOMPARE(plot.plot()->xAxis->range().upper, 40.0);
        plot.clearSeries(); // a new run
        plot.addSeries("loss", Red);
        waitForReplot(plot);
        QVERIFY2(plot.plot()->xAxis->range().upper <= 1.0,
            qPrintable(QString("x still ends at %1").arg(plot.plot()->xAxis->range().upper)));
    }

    void legendEntriesFitANarrowPlot()
    {
        // The Train page's loss plot beside the heat maps at 1280 x 800: five entries in about 250 px.
        MetricPlot plot;
        for (const char *name : {"loss", "aligned", "conflicting", "PoE term", "distill"})
            plot.addPoint(plot.addSeries(name, Blue), 1.0, 1.0);
        plot.resize(250, 330);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVERIFY(plot.legendColumns() < 3);
        plot.plot()->replot();
        QCPLegend *legend = plot.plot()->legend;
        int entries = 0;
        for (int i = 0; i < legend->itemCount(); ++i) {
            const QCPAbstractLegendItem *item = legend->item(i);
            if (!item)
                continue; // an empty cell of the last legend row
            ++entries;
            QVERIFY2(item->outerRect().width() >= item->minimumOuterSizeHint().width(),
                qPrintable(QString("entry %1: %2 px of the %3 it needs")
                               .arg(i)
                               .arg(item->outerRect().width())
                               .arg(item->minimumOuterSizeHint().width())));
            QVERIFY(item->outerRect().right() <= plot.width());
        }
        QCOMPARE(entries, 5);
        // Wide, three columns (aligned / conflicting / unbiased of a head side by side).
        plot.resize(900, 330);
        QCOMPARE(plot.legendColumns(), 3);
    }
};

QTEST_MAIN(TstMetricPlot)
#include "tst_metricplot.moc"
