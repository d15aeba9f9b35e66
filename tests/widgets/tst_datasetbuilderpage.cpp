// The dataset builder, offscreen: counts follow the ratio, the grid marks conflicting samples, the heat map
// shows the cell counts, bursts of slider moves coalesce, bad input shows an error.
#include "cellheatmap.h"
#include "datasetbuilderpage.h"
#include "datasetform.h"
#include "datasetpreview.h"
#include "imagegrid.h"
#include "jobcontroller.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QtTest>

using namespace untangle;

namespace {
constexpr int BuildTimeoutMs = 30000;
}

class TstDatasetBuilderPage : public QObject {
    Q_OBJECT

private:
    static int tableValue(const DatasetBuilderPage &page, int row, int column)
    {
        return page.preview()->countTable()->item(row, column)->text().toInt();
    }

    static void selectSprites(DatasetBuilderPage &page, QSignalSpy &built)
    {
        auto *box = page.form()->datasetBox();
        box->setCurrentIndex(box->findData(int(DatasetKind::Sprites)));
        QTRY_VERIFY_WITH_TIMEOUT(built.count() >= 1, BuildTimeoutMs);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void ratioChangesTheShownCounts()
    {
        JobController controller;
        DatasetBuilderPage page(&controller);
        page.resize(1200, 700);
        page.show();
        QSignalSpy built(&page, &DatasetBuilderPage::datasetBuilt);
        selectSprites(page, built);
        const int trainTotal = tableValue(page, 0, 1);
        const int conflictingBefore = tableValue(page, 0, 3);
        QCOMPARE(trainTotal, 6000);

        built.clear();
        page.form()->ratioSlider()->setValue(20); // 10%
        QTRY_VERIFY_WITH_TIMEOUT(built.count() >= 1 && !controller.isBusy(), BuildTimeoutMs);
        const int conflictingAfter = tableValue(page, 0, 3);
        QVERIFY(conflictingAfter != conflictingBefore);
        QCOMPARE(conflictingAfter, 600); // 3 shapes x (2000 - floor(2000 * 0.9 + 0.5))
        QCOMPARE(tableValue(page, 0, 2), trainTotal - 600);
        QCOMPARE(page.preview()->countTable()->item(0, 4)->text(), QString("10.00"));
    }

    void gridMarksConflictingSamples()
    {
        JobController controller;
        DatasetBuilderPage page(&controller);
        page.resize(1200, 700);
        page.show();
        QSignalSpy built(&page, &DatasetBuilderPage::datasetBuilt);
        selectSprites(page, built);
        const auto dataset = page.currentDataset();
        const auto &items = page.preview()->sampleGrid()->items();
        const auto &shown = page.preview()->shownSamples();
        QCOMPARE(items.size(), shown.size());
        int conflictingFrames = 0;
        for (int i = 0; i < items.size(); ++i) {
            const bool aligned = dataset->dataset.train.isAligned(shown[i]);
            QCOMPARE(items[i].frame, aligned ? DatasetPreview::alignedColor() : DatasetPreview::conflictingColor());
            conflictingFrames += aligned ? 0 : 1;
        }
        QVERIFY(conflictingFrames > 0); // shown on purpose even at a 1% ratio
        // The frame is drawn: the pixel just outside an item's image has its marker colour.
        QTRY_VERIFY(page.preview()->sampleGrid()->isVisible());
        const QImage shot = page.preview()->sampleGrid()->grab().toImage();
        const QRect rect = page.preview()->sampleGrid()->imageRect(0);
        QCOMPARE(QColor(shot.pixel(rect.left() - 1, rect.center().y())), items[0].frame);
    }

    void heatMapShowsTheCellCounts()
    {
        JobController controller;
        DatasetBuilderPage page(&controller);
        page.resize(1200, 700);
        page.show();
        QSignalSpy built(&page, &DatasetBuilderPage::datasetBuilt);
        selectSprites(page, built);
        const auto dataset = page.currentDataset();
        const CellHeatMap *map = page.preview()->heatMap();
        QCOMPARE(map->rowCount(), 3);
        QCOMPARE(map->columnCount(), 3);
        for (int t = 0; t < 3; ++t)
            for (int b = 0; b < 3; ++b)
                QCOMPARE(map->value(t, b), double(dataset->train.cells[t][b]));
        // The diagonal (aligned, large counts) and an off-diagonal cell (few) get different colours.
        QVERIFY(map->colorFor(map->value(0, 0)) != map->colorFor(map->value(0, 1)));
        const QImage shot = const_cast<CellHeatMap *>(map)->grab().toImage();
        const QPoint center = map->cellCenter(0, 1) + QPoint(map->width() / 40, 0); // beside the printed number
        const QColor drawn(shot.pixel(center));
        const QColor expected = map->colorFor(map->value(0, 1));
        QVERIFY2(std::abs(drawn.red() - expected.red()) < 12 && std::abs(drawn.green() - expected.green()) < 12 &&
                     std::abs(drawn.blue() - expected.blue()) < 12,
                 qPrintable(QString("drawn %1, expected %2").arg(drawn.name(), expected.name())));
    }

    void burstsOfChangesCoalesce()
    {
        JobController controller;
        DatasetBuilderPage page(&controller);
        QSignalSpy built(&page, &DatasetBuilderPage::datasetBuilt);
        selectSprites(page, built);
        const int before = page.buildsStarted();
        for (int step = 1; step <= 30; ++step)
            page.form()->ratioSlider()->setValue(step);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy() && page.currentDataset()->spec.ratio == 0.15, BuildTimeoutMs);
        QVERIFY2(page.buildsStarted() - before < 10, qPrintable(QString::number(page.buildsStarted() - before)));
        QCOMPARE(tableValue(page, 0, 3), 3 * (2000 - 1700)); // ends on the last value: 15%
    }

    void badFolderShowsTheError()
    {
        JobController controller;
        DatasetBuilderPage page(&controller);
        page.show();
        QSignalSpy failed(&page, &DatasetBuilderPage::buildFailed);
        DatasetSpec spec;
        spec.kind = DatasetKind::ImageFolder;
        spec.path = "/nonexistent/bffhq";
        page.form()->setSpec(spec);
        page.requestBuild();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, BuildTimeoutMs);
        QVERIFY(page.errorText().contains("/nonexistent/bffhq"));
        // A good build afterwards clears the error.
        QSignalSpy built(&page, &DatasetBuilderPage::datasetBuilt);
        selectSprites(page, built);
        QVERIFY(page.errorText().isEmpty());
    }
};

QTEST_MAIN(TstDatasetBuilderPage)
#include "tst_datasetbuilderpage.moc"
