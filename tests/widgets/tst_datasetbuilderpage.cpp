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

/** A shown builder page on its own controller, with a spy on finished builds. */
struct ShownPage {
    JobController controller;
    DatasetBuilderPage page {&controller};
    QSignalSpy built {&page, &DatasetBuilderPage::datasetBuilt};

    ShownPage()
    {
        page.resize(1200, 700);
        page.show();
    }

    /** Switches to Sprites (no files needed) and waits for its first build. */
    bool selectSprites()
    {
        auto *box = page.form()->datasetBox();
        box->setCurrentIndex(box->findData(int(DatasetKind::Sprites)));
        return QTest::qWaitFor([this] { return built.count() >= 1 && !controller.isBusy(); }, BuildTimeoutMs);
    }
};
} // namespace

class TstDatasetBuilderPage : public QObject {
    Q_OBJECT

private:
    static int tableValue(const DatasetBuilderPage &page, int row, int column)
    {
        return page.preview()->countTable()->item(row, column)->text().toInt();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void ratioChangesTheShownCounts()
    {
        ShownPage shown;
        QVERIFY(shown.selectSprites());
        auto &page = shown.page;
        const int trainTotal = tableValue(page, 0, 1);
        const int conflictingBefore = tableValue(page, 0, 3);
        QCOMPARE(trainTotal, 6000);

        shown.built.clear();
        page.form()->ratioSlider()->setValue(20); // 10%
        QTRY_VERIFY_WITH_TIMEOUT(shown.built.count() >= 1 && !shown.controller.isBusy(), BuildTimeoutMs);
        const int conflictingAfter = tableValue(page, 0, 3);
        QVERIFY(conflictingAfter != conflictingBefore);
        QCOMPARE(conflictingAfter, 600); // 3 shapes x (2000 - floor(2000 * 0.9 + 0.5))
        QCOMPARE(tableValue(page, 0, 2), trainTotal - 600);
        QCOMPARE(page.preview()->countTable()->item(0, 4)->text(), QString("10.00"));
    }

    void gridMarksConflictingSamples()
    {
        ShownPage shown;
        QVERIFY(shown.selectSprites());
        auto &page = shown.page;
        const auto dataset = page.currentDataset();
        const auto &items = page.preview()->sampleGrid()->items();
        const auto &indices = page.preview()->shownSamples();
        QCOMPARE(items.size(), indices.size());
        int conflictingFrames = 0;
        for (int i = 0; i < items.size(); ++i) {
            const bool aligned = dataset->dataset.train.isAligned(indices[i]);
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
        ShownPage shown;
        QVERIFY(shown.selectSprites());
        auto &page = shown.page;
        const auto dataset = page.currentDataset();
        const CellHeatMap *map = page.preview()->heatMap();
        QCOMPARE(map->rowCount(), 3);
        QCOMPARE(map->columnCount(), 3);
        for (int t = 0; t < 3; ++t)
            for (int b = 0; b < 3; ++b)
                QCOMPARE(map->value(t, b), double(dataset->train.cells[t][b]));
        // The diagonal (aligned, large counts) and an off-diagonal cell (few) get different colours.
        QVERIFY(map->colorFor(map->value(0, 0)) != map->colorFor(map->value(0, 1)));
        // The drawn pixel beside the printed number has that colour (once the queued replot has landed).
        const QColor expected = map->colorFor(map->value(0, 1));
        auto drawnColour = [map] {
            const QPoint at = map->cellCenter(0, 1) + QPoint(map->width() / 40, 0);
            return QColor(const_cast<CellHeatMap *>(map)->grab().toImage().pixel(at));
        };
        auto close = [](const QColor &a, const QColor &b) {
            return std::abs(a.red() - b.red()) < 12 && std::abs(a.green() - b.green()) < 12
                && std::abs(a.blue() - b.blue()) < 12;
        };
        QTRY_VERIFY2(close(drawnColour(), expected),
            qPrintable(QString("drawn %1, expected %2").arg(drawnColour().name(), expected.name())));
    }

    void burstsOfChangesCoalesce()
    {
        ShownPage shown;
        QVERIFY(shown.selectSprites());
        auto &page = shown.page;
        auto &controller = shown.controller;
        const int before = page.buildsStarted();
        for (int step = 1; step <= 30; ++step)
            page.form()->ratioSlider()->setValue(step);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy() && page.currentDataset()->spec.ratio == 0.15, BuildTimeoutMs);
        QVERIFY2(page.buildsStarted() - before < 10, qPrintable(QString::number(page.buildsStarted() - before)));
        QCOMPARE(tableValue(page, 0, 3), 3 * (2000 - 1700)); // ends on the last value: 15%
    }

    void helpTextNamesEachDatasetsCues()
    {
        // "(colour = digit)" was shown for every dataset, Sprites and corruptions included.
        JobController controller;
        DatasetBuilderPage page(&controller);
        auto help = [&](DatasetKind kind) {
            DatasetSpec spec;
            spec.kind = kind;
            page.form()->setSpec(spec); // as a restart does: no build needed to update the help
            return page.aboutText();
        };
        const QString mnist = help(DatasetKind::ColoredMnist10k);
        QVERIFY2(mnist.contains("digit") && mnist.contains("colour"), qPrintable(mnist));
        const QString sprites = help(DatasetKind::Sprites);
        QVERIFY2(!sprites.contains("colour") && !sprites.contains("digit"), qPrintable(sprites));
        QVERIFY2(sprites.contains("shape") && sprites.contains("position"), qPrintable(sprites));
        const QString corrupted = help(DatasetKind::CorruptedFashion);
        QVERIFY2(corrupted.contains("corruption") && !corrupted.contains("digit") && !corrupted.contains("colour"),
            qPrintable(corrupted));
        const QString fashion = help(DatasetKind::ColoredFashion);
        QVERIFY2(fashion.contains("garment") && fashion.contains("colour"), qPrintable(fashion));
        // The combo box changes it too.
        auto *box = page.form()->datasetBox();
        box->setCurrentIndex(box->findData(int(DatasetKind::Sprites)));
        QCOMPARE(page.aboutText(), sprites);
    }

    void badFolderShowsTheError()
    {
        ShownPage shown;
        auto &page = shown.page;
        QSignalSpy failed(&page, &DatasetBuilderPage::buildFailed);
        DatasetSpec spec;
        spec.kind = DatasetKind::ImageFolder;
        spec.path = "/nonexistent/bffhq";
        page.form()->setSpec(spec);
        page.requestBuild();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, BuildTimeoutMs);
        QVERIFY(page.errorText().contains("/nonexistent/bffhq"));
        // A good build afterwards clears the error.
        QVERIFY(shown.selectSprites());
        QVERIFY(page.errorText().isEmpty());
    }
};

QTEST_MAIN(TstDatasetBuilderPage)
#include "tst_datasetbuilderpage.moc"
