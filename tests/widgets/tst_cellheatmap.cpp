// The cell heat map, offscreen: the numbers in the cells are sized to the cells (never wider than one, hidden when
// no readable size fits), the ticks point out of the map, and a title too long for the map wraps instead of
// clipping.
#include "cellheatmap.h"

#include <qcustomplot.h>

#include <QtTest>

using namespace untangle;

namespace {

constexpr int Size = 10; // a Colored MNIST map: 10 digits x 10 colours

QVector<QVector<double>> matrix(double diagonal, double rest)
{
    QVector<QVector<double>> values(Size, QVector<double>(Size, rest));
    for (int i = 0; i < Size; ++i)
        values[i][i] = diagonal;
    return values;
}

/** Shows the map at size and waits for its queued replot, which fits the numbers. */
bool showAt(CellHeatMap &map, const QSize &size)
{
    map.resize(size);
    map.show();
    if (!QTest::qWaitForWindowExposed(&map))
        return false;
    map.plot()->replot();
    return true;
}

} // namespace

class TstCellHeatMap : public QObject {
    Q_OBJECT

private slots:
    void numbersFitTheirCells()
    {
        CellHeatMap map;
        map.setLogarithmic(true);
        map.setMatrix(matrix(5300.0, 6.0), {}, {}); // "5.3k" on the diagonal, the Fashion-MNIST counts
        QVERIFY(showAt(map, QSize(330, 300)));
        const double size = map.cellTextPointSize();
        QVERIFY2(size > 0.0, "a 330 x 300 map has room for numbers");
        QFont font = map.font();
        font.setPointSizeF(size);
        const QRect area = map.plot()->axisRect()->rect();
        const double cellWidth = area.width() / double(Size);
        QVERIFY2(QFontMetricsF(font).horizontalAdvance("5.3k") <= cellWidth,
            qPrintable(QString("'5.3k' at %1 pt is %2 px, a cell %3 px")
                           .arg(size)
                           .arg(QFontMetricsF(font).horizontalAdvance("5.3k"))
                           .arg(cellWidth)));

        // Wider cells, larger numbers (up to the base font less a point).
        map.resize(700, 600);
        map.plot()->replot();
        QVERIFY(map.cellTextPointSize() >= size);
        QVERIFY(map.cellTextPointSize() <= map.font().pointSizeF());
    }

    void numbersHideWhenNoReadableSizeFits()
    {
        CellHeatMap map;
        map.setMatrix(matrix(100.0, 0.0), {}, {});
        map.setMinimumSize(0, 0);
        QVERIFY(showAt(map, QSize(120, 110))); // 10 columns in a few dozen pixels
        QCOMPARE(map.cellTextPointSize(), 0.0);
    }

    void ticksPointOutOfTheMap()
    {
        // Ticks inside the map read as minus signs before the first column's numbers ("-97").
        CellHeatMap map;
        for (QCPAxis *axis : {map.plot()->xAxis, map.plot()->yAxis}) {
            QCOMPARE(axis->tickLengthIn(), 0);
            QVERIFY(axis->tickLengthOut() > 0);
        }
    }

    void longTitleWrapsInsteadOfClipping()
    {
        const QString title = "shallow: 64.3% confl. · 86.8% aligned";
        CellHeatMap map;
        map.setMatrix(matrix(90.0, 60.0), {}, {});
        map.setTitle(title);
        QVERIFY(showAt(map, QSize(map.minimumWidth(), 300))); // as narrow as a crowded page may make it
        QTRY_VERIFY(map.titleRect().width() > 0);
        const QFontMetrics metrics(map.titleFont());
        const QStringList lines = map.shownTitle().split('\n');
        QCOMPARE(lines.size(), 2); // broken after "shallow:", nothing dropped
        QCOMPARE(lines.join(" "), title);
        for (const QString &line : lines)
            QVERIFY2(metrics.horizontalAdvance(line) <= map.titleRect().width(),
                qPrintable(QString("'%1' is %2 px in a %3 px title")
                               .arg(line)
                               .arg(metrics.horizontalAdvance(line))
                               .arg(map.titleRect().width())));
        // With room, one line.
        map.resize(700, 500);
        QCOMPARE(map.shownTitle(), title);
    }
};

QTEST_MAIN(TstCellHeatMap)
#include "tst_cellheatmap.moc"
