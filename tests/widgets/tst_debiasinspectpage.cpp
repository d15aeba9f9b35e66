// The Debias Inspect page, offscreen, on a tiny DeNetDM run really trained on Colored MNIST-10k: the inspect job
// loads the run, the cue-conflict panel shows 10 recolourings with every head's verdict and a consistent
// colour-reliance score, saliency comes per head, the browsers hold what they claim, a heat-map click on the Train
// page fills the Cell browser, a run without a checkpoint says so, and a busy worker is reported, not queued.
#include "branchheatmaps.h"
#include "cellheatmap.h"
#include "cueconflict.h"
#include "cueconflictpanel.h"
#include "datasetfactory.h"
#include "debiasinspectpage.h"
#include "debiasrunner.h"
#include "debiastrainpage.h"
#include "debiasworkspace.h"
#include "imageconversion.h"
#include "imagegrid.h"
#include "inspectrunjob.h"
#include "job.h"
#include "jobcontroller.h"
#include "runhistory.h"
#include "saliencystrip.h"
#include "samplebrowser.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace untangle;

namespace {

constexpr int InspectTimeoutMs = 60000; // rebuild CMNIST-10k + 10,070 predictions, on a machine shared with training
constexpr int TestWidth = 16; // MLP hidden width: seconds per epoch on CMNIST-10k
constexpr int TestBatch = 256;
constexpr int Palette = 10; // recolourings in a cue-conflict set
constexpr int InputEdge = 28; // CMNIST images are 28x28; saliency must come back larger
constexpr int CellTarget = 2, CellBias = 5; // a conflicting cell (digit 2 in colour 5)
const QStringList ShownHeads {"deep", "shallow", "target"}; // DeNetDM after stage 2, poe left out

/** Keeps the worker busy until stopped, as a long training run would. */
class BusyJob : public Job {
public:
    BusyJob()
        : Job("Training a stand-in")
    {
    }

protected:
    void execute() override
    {
        while (shouldContinue())
            QThread::msleep(5);
    }
};

/** A shown Debias workspace with its own controller (the same wiring as in the main window). */
struct ShownWorkspace {
    JobController controller;
    DebiasWorkspace workspace {&controller};

    ShownWorkspace()
    {
        workspace.resize(1500, 950);
        workspace.show();
    }
    DebiasInspectPage *page() const { return workspace.inspectPage(); }
    SampleBrowser *browser() const { return page()->browser(); }
};

int predictedAt(QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item && item->data(Qt::UserRole).isValid() ? item->data(Qt::UserRole).toInt() : -1;
}

const HeadPrediction &headOf(const RunInspection &inspection, int image, const QString &head)
{
    const int at = inspection.heads.indexOf(head.toStdString());
    return inspection.test[std::size_t(image)][std::size_t(at)];
}

} // namespace

class TstDebiasInspectPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-test-inspectpage");
        QSettings().clear();

        QVERIFY(m_run.isValid());
        DebiasConfig config;
        config.method = DebiasMethod::DeNetDM;
        config.dataset.kind = DatasetKind::ColoredMnist10k;
        config.width = TestWidth;
        config.batchSize = TestBatch;
        config.stage1Epochs = 1;
        config.stage2Epochs = 1;
        config.probeEveryIterations = 0;
        config.threads = 1;
        const BiasedDataset dataset = buildDataset(config.dataset);
        const DebiasResult result = runDebias(config, dataset, {}, m_run.path().toStdString());
        QCOMPARE(QString::fromStdString(result.finalHead), QString("target"));
        QVERIFY(QFileInfo::exists(m_run.path() + "/checkpoint.pt"));
    }

    void inspectsATrainedRun()
    {
        ShownWorkspace shown;
        QString error;
        QVERIFY2(shown.workspace.trainPage()->openRun(m_run.path(), &error), qPrintable(error));
        shown.workspace.setCurrentWidget(shown.page()); // showing the tab inspects the Train page's run
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->inspection() != nullptr, InspectTimeoutMs);
        QTRY_VERIFY(!shown.controller.isBusy());
        const RunInspection &inspection = *shown.page()->inspection();
        const LabeledImages &test = inspection.dataset->dataset.test;
        QCOMPARE(test.count, 10070);
        QCOMPARE(int(inspection.test.size()), test.count);
        QVERIFY2(shown.page()->statusText().contains("10070 test images"), qPrintable(shown.page()->statusText()));
        // The selected image's answer comes from the inspection thread, which owns the models.
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->isSelectionShown(), InspectTimeoutMs);
        // An independent copy of the run's models, loaded here, checks what the views show.
        RunInspector independent(m_run.path().toStdString(), inspection.dataset->dataset);
        QCOMPARE(inspection.heads.names, independent.heads());

        // 1. The cue-conflict panel: 10 recolourings (+ colour alone, shape alone), 10 predictions per head.
        CueConflictPanel *cue = shown.page()->cuePanel();
        QCOMPARE(cue->heads(), ShownHeads);
        QCOMPARE(cue->recolouredCount(), Palette);
        QTableWidget *table = cue->table();
        QVERIFY(table->isVisible());
        int pictures = 0;
        for (int c = 0; c < Palette + 2; ++c) {
            auto *label = qobject_cast<QLabel *>(table->cellWidget(0, c));
            pictures += label && !label->pixmap().isNull() ? 1 : 0;
        }
        QCOMPARE(pictures, Palette + 2);
        const int selected = shown.page()->imageIndexBox()->value();
        const CueConflictSet set = makeCueConflictSet(test.image(selected), int(test.biases[selected]));
        const auto fresh = independent.predict(set.recoloured);
        for (const QString &head : ShownHeads) {
            const int row = cue->rowOf(head);
            QVERIFY(row > 0);
            std::vector<int> shownPredictions;
            for (int c = 0; c < Palette; ++c) {
                const int predicted = predictedAt(table, row, c);
                QVERIFY2(predicted >= 0 && predicted < Palette, qPrintable(QString("%1, column %2").arg(head).arg(c)));
                QVERIFY(!table->item(row, c)->text().isEmpty());
                const int at = inspection.heads.indexOf(head.toStdString());
                QCOMPARE(predicted, fresh[std::size_t(c)][std::size_t(at)].predicted); // the model's real verdict
                shownPredictions.push_back(predicted);
            }
            QCOMPARE(int(shownPredictions.size()), Palette);
            const double reliance = cue->reliance(head);
            QVERIFY(reliance >= 0.0 && reliance <= 1.0);
            QCOMPARE(reliance, colourReliance(shownPredictions));
            QCOMPARE(cue->scoreColumn(), Palette + 2);
            const QTableWidgetItem *score = table->item(row, cue->scoreColumn());
            QVERIFY(score);
            QVERIFY2(
                score->text().startsWith(QString("%1%").arg(std::lround(100.0 * reliance))), qPrintable(score->text()));
            QVERIFY2(cue->explanation().contains(
                         QString("<b>%1</b> follows colour in %2/10").arg(head).arg(std::lround(reliance * Palette))),
                qPrintable(cue->explanation()));
        }

        // 2. Saliency: the image, then one upscaled overlay per head.
        const QVector<GridItem> &saliency = shown.page()->saliency()->grid()->items();
        QCOMPARE(saliency.size(), 1 + ShownHeads.size());
        QCOMPARE(saliency[0].image.width(), InputEdge);
        for (int i = 0; i < ShownHeads.size(); ++i) {
            QVERIFY2(saliency[i + 1].image.width() > InputEdge, qPrintable(ShownHeads[i]));
            QVERIFY(saliency[i + 1].caption.startsWith(ShownHeads[i]));
        }

        // 3a. Confident mistakes: at most 48, each a real mistake of the chosen head, the surest first.
        SampleBrowser *browser = shown.browser();
        QComboBox *headBox = browser->mistakesHeadBox();
        QCOMPARE(headBox->count(), int(ShownHeads.size()));
        for (int h = 0; h < headBox->count(); ++h) {
            headBox->setCurrentIndex(h);
            const QString head = headBox->currentText();
            const auto &mistakes = browser->shownIndices(SampleBrowser::Mistakes);
            QVERIFY(!mistakes.empty()); // one epoch per stage is far from perfect on conflicting digits
            QVERIFY(int(mistakes.size()) <= SampleBrowser::MistakeLimit);
            QCOMPARE(browser->grid(SampleBrowser::Mistakes)->items().size(), qsizetype(mistakes.size()));
            double previous = 2.0;
            for (int index : mistakes) {
                const HeadPrediction &p = headOf(inspection, index, head);
                QVERIFY2(
                    p.predicted != test.targets[index], qPrintable(QString("%1 on test #%2").arg(head).arg(index)));
                QVERIFY(p.confidence <= previous);
                previous = p.confidence;
            }
            const int surest = mistakes.front();
            QCOMPARE(browser->grid(SampleBrowser::Mistakes)->items().first().caption,
                QString("%1 (%2%) · true %3")
                    .arg(headOf(inspection, surest, head).predicted)
                    .arg(100.0 * headOf(inspection, surest, head).confidence, 0, 'f', 0)
                    .arg(test.targets[surest]));
        }

        // 3b. Deep vs shallow: every image shown is one where they differ.
        QVERIFY(browser->isTabVisible(browser->indexOf(browser->page(SampleBrowser::Disagree))));
        const auto &disagree = browser->shownIndices(SampleBrowser::Disagree);
        QVERIFY(int(disagree.size()) <= SampleBrowser::DisagreeLimit);
        for (int index : disagree)
            QVERIFY(headOf(inspection, index, "deep").predicted != headOf(inspection, index, "shallow").predicted);

        // 3c. Hardest training samples: the run's ranking, framed by what each sample truly is.
        const HardSamples &hard = shown.workspace.trainPage()->history()->hardSamples();
        QVERIFY(!hard.indices.empty());
        const auto &hardest = browser->shownIndices(SampleBrowser::Hardest);
        QCOMPARE(int(hardest.size()), std::min(int(hard.indices.size()), SampleBrowser::HardestLimit));
        const LabeledImages &train = inspection.dataset->dataset.train;
        const QVector<GridItem> &hardItems = browser->grid(SampleBrowser::Hardest)->items();
        for (int i = 0; i < int(hardest.size()); ++i) {
            QCOMPARE(hardest[std::size_t(i)], hard.indices[std::size_t(i)]);
            QCOMPARE(hardItems[i].frame.name() == QColor(0xf0, 0x8c, 0x00).name(),
                !train.isAligned(hardest[std::size_t(i)]));
        }
        QVERIFY2(browser->summary(SampleBrowser::Hardest).contains("precision"),
            qPrintable(browser->summary(SampleBrowser::Hardest)));

        // Clicking an image in a browser selects it.
        browser->setCurrentWidget(browser->page(SampleBrowser::Mistakes));
        ImageGrid *mistakesGrid = browser->grid(SampleBrowser::Mistakes);
        QTRY_VERIFY(mistakesGrid->isVisible() && mistakesGrid->width() > 0);
        const int first = browser->shownIndices(SampleBrowser::Mistakes).front();
        QTest::mouseClick(mistakesGrid, Qt::LeftButton, {}, mistakesGrid->imageRect(0).center());
        QCOMPARE(shown.page()->imageIndexBox()->value(), first);
        QVERIFY2(shown.page()->selectionText().contains(QString("test #%1").arg(first)),
            qPrintable(shown.page()->selectionText()));
        QCOMPARE(cue->recolouredCount(), Palette);

        // 4. Export.
        QTemporaryDir out;
        const QString png = out.filePath("inspect.png");
        QVERIFY(shown.page()->saveViewAs(png));
        QCOMPARE(QImage(png).size(), shown.page()->size());
    }

    void heatMapCellFillsTheCellBrowser()
    {
        ShownWorkspace shown;
        QString error;
        QVERIFY2(shown.workspace.trainPage()->openRun(m_run.path(), &error), qPrintable(error));
        shown.workspace.setCurrentWidget(shown.workspace.trainPage());
        QVERIFY(QTest::qWaitForWindowExposed(&shown.workspace));
        QCOMPARE(shown.workspace.trainPage()->heatMaps()->heads(), QStringList {"target"});
        CellHeatMap *map = shown.workspace.trainPage()->heatMaps()->maps()[0];
        QTRY_VERIFY(map->isVisible());
        const int expected
            = shown.workspace.trainPage()->history()->evaluations().back().heads[0].test.cellCounts[CellTarget]
                                                                                                   [CellBias];
        QVERIFY(expected > 0);

        auto clickCell = [map](int target, int bias) {
            QTest::mouseClick(
                map->plot(), Qt::LeftButton, {}, map->plot()->mapFrom(map, map->cellCenter(target, bias)));
        };
        clickCell(CellTarget, CellBias);
        QCOMPARE(shown.workspace.currentWidget(), shown.page()); // the click switches to the Inspect tab
        QCOMPARE(shown.browser()->currentWidget(), shown.browser()->page(SampleBrowser::Cell));
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->inspection() != nullptr, InspectTimeoutMs);
        const RunInspection &inspection = *shown.page()->inspection();
        QCOMPARE(inspection.dataset->test.cells[CellTarget][CellBias], expected);
        auto checkCell = [&](int target, int bias, int count) {
            const auto &cell = shown.browser()->shownIndices(SampleBrowser::Cell);
            QCOMPARE(int(cell.size()), count);
            QCOMPARE(shown.browser()->grid(SampleBrowser::Cell)->items().size(), qsizetype(count));
            for (int index : cell) {
                QCOMPARE(int(inspection.dataset->dataset.test.targets[index]), target);
                QCOMPARE(int(inspection.dataset->dataset.test.biases[index]), bias);
            }
            // Every shown head's prediction is in the caption.
            const int firstIndex = cell.front();
            QStringList predicted;
            for (const QString &head : ShownHeads)
                predicted << QString::number(headOf(inspection, firstIndex, head).predicted);
            QCOMPARE(shown.browser()->grid(SampleBrowser::Cell)->items().first().caption, predicted.join(" · "));
        };
        checkCell(CellTarget, CellBias, expected);

        // The cell list names the epoch of its verdicts, and its count of right verdicts is the heat map's number at
        // that epoch (the selected one), not at whatever epoch the timeline shows.
        const QString summary = shown.browser()->summary(SampleBrowser::Cell);
        const HeadWeights weights = inspection.heads.weightsOf("target");
        QCOMPARE(weights.stage, 2);
        QVERIFY(weights.selected);
        QVERIFY2(summary.contains(QString("target at stage 2, epoch %1 is right on").arg(weights.epoch)),
            qPrintable(summary));
        QVERIFY2(summary.contains("Verdicts of the selected models: deep and shallow at stage 1, epoch 1, target at "
                                  "stage 2, epoch 1"),
            qPrintable(summary));
        const EvaluationRecord *atWeights = nullptr;
        for (const EvaluationRecord &record : shown.workspace.trainPage()->history()->evaluations())
            if (record.stage == weights.stage && record.epoch == weights.epoch)
                atWeights = &record;
        QVERIFY(atWeights);
        const double mapPercent = 100.0 * atWeights->findHead("target")->test.cells[CellTarget][CellBias];
        int right = 0;
        const auto &cell = shown.browser()->shownIndices(SampleBrowser::Cell);
        for (int index : cell)
            right += headOf(inspection, index, "target").predicted == CellTarget ? 1 : 0;
        QVERIFY2(std::abs(100.0 * right / double(cell.size()) - mapPercent) < 1e-6,
            qPrintable(QString("%1 of %2 right; the map says %3%").arg(right).arg(cell.size()).arg(mapPercent)));
        QVERIFY2(summary.contains(QString("map says %1%").arg(mapPercent, 0, 'f', 1)), qPrintable(summary));
        QVERIFY2(shown.page()->statusText().contains("Models: deep and shallow at stage 1, epoch 1"),
            qPrintable(shown.page()->statusText()));

        // Once the run is loaded, another cell fills at once, without loading the run again.
        QTRY_VERIFY(!shown.controller.isBusy()); // the inspection job ends just after it hands its result over
        QSignalSpy started(&shown.controller, &JobController::started);
        shown.workspace.setCurrentWidget(shown.workspace.trainPage());
        QTRY_VERIFY(map->isVisible());
        clickCell(3, 3);
        QCOMPARE(shown.workspace.currentWidget(), shown.page());
        checkCell(3, 3, inspection.dataset->test.cells[3][3]);
        QCOMPARE(started.count(), 0);
    }

    void runWithoutCheckpointSaysSo()
    {
        QTemporaryDir fresh;
        QVERIFY(QFile::copy(m_run.filePath("config.json"), fresh.filePath("config.json")));
        ShownWorkspace shown;
        QString error;
        QVERIFY2(shown.workspace.trainPage()->openRun(fresh.path(), &error), qPrintable(error));
        QSignalSpy failed(shown.page(), &DebiasInspectPage::inspectionFailed);
        shown.workspace.setCurrentWidget(shown.page());
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, InspectTimeoutMs);
        QVERIFY2(shown.page()->statusText().contains("checkpoint"), qPrintable(shown.page()->statusText()));
        QVERIFY(!shown.page()->inspection());
        QTRY_VERIFY(!shown.controller.isBusy());
        QCOMPARE(failed.count(), 1); // the idle signal after the failure does not retry the same folder
    }

    void busyWorkerIsReportedNotQueued()
    {
        ShownWorkspace shown;
        QString error;
        QVERIFY2(shown.workspace.trainPage()->openRun(m_run.path(), &error), qPrintable(error));
        QVERIFY(shown.controller.start(std::make_unique<BusyJob>()));
        shown.workspace.setCurrentWidget(shown.page());
        QVERIFY2(shown.page()->statusText().contains("inspect when it is idle, or stop it"),
            qPrintable(shown.page()->statusText()));
        QVERIFY(shown.page()->statusText().contains("Training a stand-in"));
        shown.page()->inspectButton()->click();
        QCOMPARE(shown.controller.currentTitle(), QString("Training a stand-in")); // nothing replaced or queued
        QVERIFY(!shown.page()->inspection());

        // Once the worker is free, the page on screen inspects the run by itself.
        shown.controller.stop();
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->inspection() != nullptr, InspectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->isSelectionShown(), InspectTimeoutMs);
        QCOMPARE(shown.page()->cuePanel()->recolouredCount(), Palette);
    }

    void aBurstOfSelectionsShowsTheLastImage()
    {
        ShownWorkspace shown;
        QString error;
        QVERIFY2(shown.workspace.trainPage()->openRun(m_run.path(), &error), qPrintable(error));
        shown.workspace.setCurrentWidget(shown.page());
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->inspection() != nullptr, InspectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->isSelectionShown(), InspectTimeoutMs);
        // Twenty clicks in one event-loop turn: the GUI thread never waits on a model, and the views end on the last.
        const LabeledImages &test = shown.page()->inspection()->dataset->dataset.test;
        for (int index = 100; index < 120; ++index)
            shown.page()->selectTestImage(index);
        QVERIFY(!shown.page()->isSelectionShown());
        QTRY_VERIFY_WITH_TIMEOUT(shown.page()->isSelectionShown(), InspectTimeoutMs);
        QVERIFY2(
            shown.page()->selectionText().startsWith("<b>test #119</b>"), qPrintable(shown.page()->selectionText()));
        const QVector<GridItem> &saliency = shown.page()->saliency()->grid()->items();
        QVERIFY(!saliency.isEmpty());
        QCOMPARE(saliency.first().image, toQImage(test.image(119)));
    }

private:
    QTemporaryDir m_run;
};

QTEST_MAIN(TstDebiasInspectPage)
#include "tst_debiasinspectpage.moc"
