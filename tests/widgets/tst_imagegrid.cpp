// The image grid, offscreen: captions longer than their image go onto two lines and their column widens, so class
// names such as "Ankle boot · crimson" read in full; a grid that fits its area shows every item without growing; an
// empty grid says what fills it.
#include "imagegrid.h"

#include <QtTest>

using namespace untangle;

namespace {

constexpr int Edge = 60; // the dataset page's preview cell

QImage square()
{
    QImage image(28, 28, QImage::Format_RGB32);
    image.fill(Qt::darkGray);
    return image;
}

QVector<GridItem> itemsWithCaptions(const QStringList &captions)
{
    QVector<GridItem> items;
    for (const QString &caption : captions)
        items.push_back(GridItem {square(), Qt::green, caption, caption});
    return items;
}

} // namespace

class TstImageGrid : public QObject {
    Q_OBJECT

private slots:
    void shortCaptionsStayOnOneLine()
    {
        ImageGrid grid;
        grid.setCellSize(Edge);
        grid.setItems(itemsWithCaptions({"0 · red", "3 · sage", "9 · crimson"}));
        QCOMPARE(grid.captionLineCount(), 1);
        QCOMPARE(grid.columnWidth(), Edge);
        QCOMPARE(grid.captionLines(2), QStringList {"9 · crimson"});
    }

    void longCaptionsReadInFull()
    {
        // Fashion-MNIST targets with colours and corruptions: at 60 px these were "Pullover · p…", "Ankle boot…".
        const QStringList captions {"Ankle boot · crimson", "Pullover · purple", "T-shirt · Gaussian noise",
            "Sneaker · motion blur", "Bag · olive"};
        ImageGrid grid;
        grid.setCellSize(Edge);
        grid.setItems(itemsWithCaptions(captions));
        grid.resize(500, 400);
        QCOMPARE(grid.captionLineCount(), 2);
        QVERIFY(grid.columnWidth() > Edge);
        const QFontMetrics metrics(grid.captionFont());
        for (int i = 0; i < captions.size(); ++i) {
            const QStringList lines = grid.captionLines(i);
            QCOMPARE(lines.join(" · "), captions[i]); // nothing dropped: target over bias
            for (const QString &line : lines)
                QVERIFY2(metrics.horizontalAdvance(line) <= grid.captionWidth(),
                    qPrintable(QString("'%1' is %2 px, the caption has %3")
                                   .arg(line)
                                   .arg(metrics.horizontalAdvance(line))
                                   .arg(grid.captionWidth())));
        }
        // Images stay inside their columns and do not overlap.
        for (int i = 1; i < captions.size(); ++i)
            QVERIFY(!grid.imageRect(i).intersects(grid.imageRect(i - 1)));
    }

    void fitToAreaShowsEveryItemWithoutGrowing()
    {
        // The dataset page's 48 Corrupted Fashion-MNIST samples in the room the page has at 1280 x 800.
        const QStringList names {"Pullover · Gaussian noise", "Ankle boot · elastic", "Coat · motion blur"};
        QStringList captions;
        for (int i = 0; i < 48; ++i)
            captions << names[i % names.size()];
        ImageGrid grid;
        grid.setFitToArea(Edge);
        grid.setItems(itemsWithCaptions(captions));
        QVERIFY(!grid.hasHeightForWidth());
        grid.resize(560, 780); // the page at 1600 x 1000: full captions on two lines
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        QCOMPARE(grid.captionLineCount(), 2);
        QVERIFY(grid.cellSize() >= 44);
        QVERIFY(grid.heightForWidth(grid.width()) <= grid.height());
        const QRect last = grid.imageRect(int(captions.size()) - 1);
        QVERIFY2(last.bottom() + 2 * QFontMetrics(grid.captionFont()).height() <= grid.height(),
            qPrintable(QString("last image ends at %1 of %2").arg(last.bottom()).arg(grid.height())));

        // At 1280 x 800 columns widened for full captions would shrink the images to thumbnails: two lines at the
        // image's width, so the bias keeps its own line (elided: "Gaussian…", not "Pullover · G…").
        grid.resize(440, 570);
        QCOMPARE(grid.captionLineCount(), 2);
        QCOMPARE(grid.columnWidth(), grid.cellSize());
        QCOMPARE(grid.captionLines(0), (QStringList {"Pullover", "Gaussian noise"}));
        QVERIFY2(grid.cellSize() >= 44, qPrintable(QString("%1 px images").arg(grid.cellSize())));
        QVERIFY(grid.heightForWidth(grid.width()) <= grid.height());

        // With less room still two lines would leave images under 44 px: one elided line and the largest images
        // that fit with it (43 px here).
        grid.resize(400, 380);
        QCOMPARE(grid.captionLineCount(), 1);
        QVERIFY2(grid.cellSize() >= 40, qPrintable(QString("%1 px images").arg(grid.cellSize())));
        QVERIFY(grid.heightForWidth(grid.width()) <= grid.height());

        // With room, the images grow back to the preferred edge.
        grid.resize(1400, 1000);
        QCOMPARE(grid.cellSize(), Edge);
    }

    void emptyGridSaysWhatFillsIt()
    {
        // A grid with no items draws its hint (text pixels differ from the background); with items it draws them
        // and not the hint.
        ImageGrid grid;
        grid.resize(400, 300);
        const auto inkedPixels = [&grid] {
            const QImage shot = grid.grab().toImage();
            const QRgb background = shot.pixel(2, 2);
            int inked = 0;
            for (int y = 0; y < shot.height(); ++y)
                for (int x = 0; x < shot.width(); ++x)
                    inked += shot.pixel(x, y) != background;
            return inked;
        };
        QCOMPARE(inkedPixels(), 0);
        grid.setEmptyText("Press Encode pool to fill this grid.");
        QCOMPARE(grid.emptyText(), QString("Press Encode pool to fill this grid."));
        QVERIFY(inkedPixels() > 50);
        grid.setItems(itemsWithCaptions({"0 · red"}));
        const QImage shot = grid.grab().toImage();
        const QRect image = grid.imageRect(0);
        QCOMPARE(QColor(shot.pixel(image.center())), QColor(Qt::darkGray));
        // Nothing drawn right of the single item: the hint is gone.
        int inkedRight = 0;
        for (int y = 0; y < shot.height(); ++y)
            for (int x = image.right() + 40; x < shot.width(); ++x)
                inkedRight += shot.pixel(x, y) != shot.pixel(shot.width() - 1, shot.height() - 1);
        QCOMPARE(inkedRight, 0);
    }
};

QTEST_MAIN(TstImageGrid)
#include "tst_imagegrid.moc"
