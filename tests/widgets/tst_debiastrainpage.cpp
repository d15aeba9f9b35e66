// The Debias Train page, offscreen: plots gain points as evaluations arrive, the heat maps show the newest record
// in the right colours, the timeline moves every view back and follows live runs, a run folder opens as if live,
// a run started from the page reaches the views, and closing the window mid-run keeps the run's files.
#include "branchheatmaps.h"
#include "cellheatmap.h"
#include "datasetbuilderpage.h"
#include "datasetfactory.h"
#include "datasetform.h"
#include "debiascurves.h"
#include "debiasrunner.h"
#include "debiasseeds.h"
#include "debiastrainingjob.h"
#include "debiastrainpage.h"
#include "debiasworkspace.h"
#include "jobcontroller.h"
#include "mainwindow.h"
#include "metricplot.h"
#include "runfolder.h"
#include "runform.h"
#include "runhistory.h"
#include "runreport.h"
#include "seedshistory.h"
#include "timelinebar.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "filelines.h"
#include "tinyrun.h"

#include <cmath>
#include <memory>

using namespace untangle;

namespace {

/** The tiny test run this file uses everywhere (seed 3). */
DebiasConfig denetdmConfig(const DatasetSpec &spec, int stage1Epochs, int stage2Epochs)
{
    return test::tinyDebiasConfig(spec, stage1Epochs, stage2Epochs, 3);
}

constexpr int TrainTimeoutMs = 60000; // tiny Sprites runs take seconds, but the machine is shared with a long job
constexpr int BuildTimeoutMs = 30000;
constexpr int CloseBudgetMs = 5000; // stop is polled between batches: closing must not wait for the epoch's end
constexpr int SpritesTrain = 6000; // Sprites training split (3 shapes x 2000)
constexpr int MinPlotAreaPx = 130; // a curve's data area at 1280x800 (was 103 px under a four-row legend)
constexpr int MinHeatMapRowPx = 16; // a row with a readable two-digit number
constexpr int MnistClasses = 10;
constexpr int ColourTolerance = 12; // the map is drawn without interpolation; allow for blending at most

/** A 3x3 group accuracy with the summaries computed the way groupAccuracy does (means of cells). */
GroupAccuracy groupOf(const std::vector<std::vector<double>> &cells)
{
    GroupAccuracy g;
    g.cells = cells;
    g.cellCounts.assign(cells.size(), std::vector<int>(cells.size(), 10));
    double diagonal = 0, offDiagonal = 0, worst = 1;
    int nDiagonal = 0, nOff = 0;
    for (size_t t = 0; t < cells.size(); ++t)
        for (size_t b = 0; b < cells[t].size(); ++b) {
            (t == b ? diagonal : offDiagonal) += cells[t][b];
            (t == b ? nDiagonal : nOff) += 1;
            worst = std::min(worst, cells[t][b]);
        }
    g.aligned = diagonal / nDiagonal;
    g.conflicting = offDiagonal / nOff;
    g.unbiased = (diagonal + offDiagonal) / (nDiagonal + nOff);
    g.worstGroup = worst;
    g.sampleAccuracy = g.unbiased;
    return g;
}

/** The deep branch's test cell of a synthetic stage-1 epoch: diagonal near perfect, off-diagonal rising by epoch. */
double deepCell(int epoch, int t, int b)
{
    return t == b ? 0.9 + 0.02 * epoch : 0.05 + 0.2 * (epoch - 1) + 0.03 * t + 0.01 * b;
}

/** A stage-1 DeNetDM evaluation (heads poe, deep, shallow; 3x3 cells) whose numbers depend on the epoch. */
EvaluationRecord stage1Record(int epoch)
{
    EvaluationRecord r;
    r.stage = 1;
    r.epoch = epoch;
    r.iteration = 46LL * epoch;
    r.trainLoss = 1.0 / epoch;
    r.trainLossAligned = 0.5 / epoch;
    r.trainLossConflicting = 2.0 / epoch;
    r.poeLoss = r.trainLoss;
    r.epochSeconds = 0.5;
    r.evalSeconds = 0.1;
    r.samplesPerSecond = 12000;
    std::vector<std::vector<double>> deep(3, std::vector<double>(3)), shallow = deep, poe = deep;
    for (int t = 0; t < 3; ++t)
        for (int b = 0; b < 3; ++b) {
            deep[t][b] = deepCell(epoch, t, b);
            shallow[t][b] = 0.4 + 0.1 * epoch + (t == b ? 0.05 : 0.0);
            poe[t][b] = 0.5 * (deep[t][b] + shallow[t][b]);
        }
    // Valid cells a little below test ones, so a view of the wrong split shows.
    auto lower = [](std::vector<std::vector<double>> cells) {
        for (auto &row : cells)
            for (double &v : row)
                v *= 0.9;
        return cells;
    };
    r.heads.push_back({"poe", groupOf(lower(poe)), groupOf(poe)});
    r.heads.push_back({"deep", groupOf(lower(deep)), groupOf(deep)});
    r.heads.push_back({"shallow", groupOf(lower(shallow)), groupOf(shallow)});
    return r;
}

DatasetSpec spritesSpec()
{
    DatasetSpec spec;
    spec.kind = DatasetKind::Sprites;
    return spec;
}

/** The QCustomPlot graph behind a MetricPlot series (found by its name). */
const QCPGraph *graphNamed(const MetricPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->plot()->graphCount(); ++i)
        if (plot->plot()->graph(i)->name() == name)
            return plot->plot()->graph(i);
    return nullptr;
}

bool closeColours(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) < ColourTolerance && std::abs(a.green() - b.green()) < ColourTolerance
        && std::abs(a.blue() - b.blue()) < ColourTolerance;
}

/** The drawn colour inside a cell, away from the number printed at its centre. */
QColor drawnCellColour(CellHeatMap *map, int row, int column)
{
    const QPoint center = map->cellCenter(row, column);
    const QPoint step = map->cellCenter(row + 1, column + 1) - center; // one cell right and down (may be outside)
    const QPoint at = center + QPoint(int(step.x() * 0.3), int(step.y() * 0.3));
    return QColor(map->grab().toImage().pixel(at));
}

/** A shown Train page with its own controller and dataset builder. */
struct ShownPage {
    JobController controller;
    DatasetBuilderPage datasets {&controller};
    DebiasTrainPage page {&controller, &datasets};

    ShownPage()
    {
        page.resize(1400, 900);
        page.show();
    }

    /** A fresh live DeNetDM history on Sprites plus `count` synthetic stage-1 evaluations (epochs 1..count). */
    void addSyntheticRun(const QString &dir, int count)
    {
        page.history()->clear(denetdmConfig(spritesSpec(), 10, 10), dir, SpritesTrain);
        for (int epoch = 1; epoch <= count; ++epoch)
            page.history()->addEvaluation(stage1Record(epoch));
    }
};

} // namespace

class TstDebiasTrainPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-test-trainpage");
        QSettings().clear();
    }

    void plotsGainPointsAsEvaluationsArrive()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 3);

        const MetricPlot *accuracy = shown.page.curves()->accuracyPlot();
        const int deepConflicting = accuracy->seriesId("deep confl.");
        QVERIFY(deepConflicting >= 0);
        QCOMPARE(accuracy->pointCount(deepConflicting), 3);
        QCOMPARE(accuracy->pointCount(accuracy->seriesId("shallow confl.")), 3);
        QVERIFY(accuracy->seriesId("poe confl.") >= 0);
        const QCPGraph *graph = graphNamed(accuracy, "deep confl.");
        QVERIFY(graph);
        for (int i = 0; i < 3; ++i) {
            const EvaluationRecord record = stage1Record(i + 1);
            QCOMPARE(graph->data()->at(i)->key, double(i + 1)); // stage-1 epoch on the epoch axis
            QCOMPARE(graph->data()->at(i)->value, 100.0 * record.findHead("deep")->test.conflicting);
        }
        // Unbiased lines exist but start hidden (a legend click shows them).
        QVERIFY(!accuracy->isSeriesVisible(accuracy->seriesId("deep unbiased")));

        // Switching the curves to the valid split redraws them from the valid numbers.
        shown.page.curves()->setShowValid(true);
        const QCPGraph *validGraph = graphNamed(accuracy, "deep confl.");
        QVERIFY(validGraph);
        QCOMPARE(validGraph->data()->size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(validGraph->data()->at(i)->value, 100.0 * stage1Record(i + 1).findHead("deep")->valid.conflicting);
        shown.page.curves()->setShowValid(false);
        QCOMPARE(graphNamed(accuracy, "deep confl.")->data()->at(0)->value,
            100.0 * stage1Record(1).findHead("deep")->test.conflicting);

        const MetricPlot *loss = shown.page.curves()->lossPlot();
        QCOMPARE(loss->pointCount(loss->seriesId("loss")), 3);
        QCOMPARE(loss->pointCount(loss->seriesId("conflicting")), 3);
        QCOMPARE(loss->pointCount(loss->seriesId("distill")), 0); // stage 1 has no distillation term
        const QCPGraph *lossGraph = graphNamed(loss, "loss");
        QVERIFY(lossGraph);
        QCOMPARE(lossGraph->data()->at(2)->value, 1.0 / 3);
        QCOMPARE(shown.page.timeline()->count(), 3);
        QVERIFY(shown.page.statusText().contains("epoch 3 of 10"));
    }

    void firstEvaluationIsShownAtOnce()
    {
        QTemporaryDir dir;
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 1);
        QCOMPARE(shown.page.timeline()->count(), 1);
        QCOMPARE(shown.page.heatMaps()->heads(), (QStringList {"deep", "shallow"}));
        QCOMPARE(shown.page.heatMaps()->maps()[0]->value(2, 1), 100.0 * deepCell(1, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 1.0);

        // A new run after the user moved back in the previous one follows its evaluations again.
        shown.addSyntheticRun(dir.path(), 3);
        shown.page.timeline()->setPosition(0);
        shown.addSyntheticRun(dir.path(), 1);
        QVERIFY(shown.page.timeline()->isFollowing());
        shown.page.history()->addEvaluation(stage1Record(2));
        QCOMPARE(shown.page.timeline()->position(), 1);
        QCOMPARE(shown.page.heatMaps()->maps()[0]->value(2, 1), 100.0 * deepCell(2, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 2.0);
    }

    void heatMapsShowTheNewestRecordInColour()
    {
        QTemporaryDir dir;
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 3);
        BranchHeatMaps *maps = shown.page.heatMaps();
        QCOMPARE(maps->heads(), (QStringList {"deep", "shallow"})); // poe is left out
        CellHeatMap *deep = maps->maps()[0];
        QCOMPARE(deep->rowCount(), 3);
        QCOMPARE(deep->columnCount(), 3);
        for (int t = 0; t < 3; ++t)
            for (int b = 0; b < 3; ++b)
                QCOMPARE(deep->value(t, b), 100.0 * deepCell(3, t, b));
        QCOMPARE(maps->maps()[1]->value(0, 0), 100.0 * stage1Record(3).findHead("shallow")->test.cells[0][0]);

        // A conflicting cell (52%) and an aligned one (96%) differ in colour on the fixed 0..100 scale.
        const QColor expected = deep->colorFor(deep->value(1, 0));
        QVERIFY(!closeColours(expected, deep->colorFor(deep->value(0, 0)))); // apart by more than the tolerance
        QTRY_VERIFY(deep->isVisible());
        QTRY_VERIFY2(closeColours(drawnCellColour(deep, 1, 0), expected),
            qPrintable(QString("drawn %1, expected %2").arg(drawnCellColour(deep, 1, 0).name(), expected.name())));
        const QColor aligned = deep->colorFor(deep->value(0, 0));
        QTRY_VERIFY2(closeColours(drawnCellColour(deep, 0, 0), aligned),
            qPrintable(QString("drawn %1, expected %2").arg(drawnCellColour(deep, 0, 0).name(), aligned.name())));
    }

    void timelineMovesTheViewsAndFollowsLiveRuns()
    {
        QTemporaryDir dir;
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 3);
        TimelineBar *timeline = shown.page.timeline();
        CellHeatMap *deep = shown.page.heatMaps()->maps()[0];
        QCOMPARE(timeline->position(), 2);

        timeline->setPosition(0);
        QCOMPARE(deep->value(2, 1), 100.0 * deepCell(1, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 1.0);
        QCOMPARE(shown.page.curves()->lossPlot()->markerX(), 1.0);
        QVERIFY(!timeline->isFollowing());

        timeline->setPosition(2);
        QCOMPARE(deep->value(2, 1), 100.0 * deepCell(3, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 3.0);
        QVERIFY(timeline->isFollowing());

        // At the newest evaluation the timeline follows a new one...
        shown.page.history()->addEvaluation(stage1Record(4));
        QCOMPARE(timeline->count(), 4);
        QCOMPARE(timeline->position(), 3);
        QCOMPARE(deep->value(2, 1), 100.0 * deepCell(4, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 4.0);

        // ...but once moved back it stays where the user put it.
        timeline->setPosition(0);
        shown.page.history()->addEvaluation(stage1Record(5));
        QCOMPARE(timeline->count(), 5);
        QCOMPARE(timeline->position(), 0);
        QCOMPARE(deep->value(2, 1), 100.0 * deepCell(1, 2, 1));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 1.0);
        QCOMPARE(shown.page.curves()->accuracyPlot()->pointCount(
                     shown.page.curves()->accuracyPlot()->seriesId("deep confl.")),
            5); // the curves still grow
    }

    void openingARunFolderShowsItAsIfLive()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const DebiasConfig config = denetdmConfig(spritesSpec(), 2, 1);
        const BiasedDataset dataset = buildDataset(config.dataset);
        int evaluations = 0;
        DebiasCallbacks callbacks;
        callbacks.evaluated = [&](const EvaluationRecord &) { ++evaluations; };
        const DebiasResult result = runDebias(config, dataset, callbacks, dir.path().toStdString());
        QCOMPARE(evaluations, 3);
        QCOMPARE(QString::fromStdString(result.finalHead), QString("target"));

        ShownPage shown;
        QString error;
        QVERIFY2(shown.page.openRun(dir.path(), &error), qPrintable(error));
        QCOMPARE(shown.page.timeline()->count(), 3);
        QCOMPARE(shown.page.timeline()->position(), 2);
        QCOMPARE(shown.page.history()->evaluations().back().stage, 2);
        QCOMPARE(shown.page.heatMaps()->heads(), QStringList {"target"});
        CellHeatMap *target = shown.page.heatMaps()->maps()[0];
        QVERIFY(target->isVisible());
        QVERIFY(!shown.page.heatMaps()->maps()[1]->isVisible()); // the stage-1 shallow map is hidden again
        QCOMPARE(target->rowCount(), 3);
        for (int t = 0; t < 3; ++t)
            for (int b = 0; b < 3; ++b) {
                const double cell = result.last.test.cells[t][b];
                QVERIFY2(std::abs(target->value(t, b) - 100.0 * cell) < 1e-6,
                    qPrintable(
                        QString("cell %1,%2: shown %3, run %4").arg(t).arg(b).arg(target->value(t, b)).arg(cell)));
            }
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 3.0); // stage-2 epoch 1 follows 2 stage-1 epochs
        QCOMPARE(shown.page.curves()->accuracyPlot()->pointCount(
                     shown.page.curves()->accuracyPlot()->seriesId("target confl.")),
            1);
        QCOMPARE(shown.page.curves()->accuracyPlot()->pointCount(
                     shown.page.curves()->accuracyPlot()->seriesId("deep confl.")),
            2);
        QCOMPARE(shown.page.form()->stage1EpochsBox()->value(), 2);
        QCOMPARE(shown.page.form()->stage2EpochsBox()->value(), 1);

        // The one-page report: a PNG of the page size with the heat maps' colours on it, and a real PDF.
        QString reportError;
        const QString png = dir.filePath("report.png"), pdf = dir.filePath("report.pdf");
        QVERIFY2(shown.page.exportReport(png, &reportError), qPrintable(reportError));
        const QImage report(png);
        QCOMPARE(report.size(), QSize(1600, 1130));
        QVERIFY(report.pixelColor(5, 5) == QColor(Qt::white));
        QVERIFY2(shown.page.exportReport(pdf, &reportError), qPrintable(reportError));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(4) == "%PDF");
        // The report is at one epoch per stage, the selected ones, whatever the timeline shows (here the last).
        const RunReportContents contents = runReportContents(*shown.page.history());
        QCOMPARE(contents.mapHeads, (QStringList {"deep", "shallow", "target"}));
        // The decodability legend names branch and attribute ("target target" read as a typo). This tiny run has
        // no probes: three are added as a run with probes records them.
        for (const char *branch : {"deep", "shallow", "target"}) {
            ProbeRecord probe;
            probe.stage = 1;
            probe.epoch = 1;
            probe.branch = branch;
            probe.targetAccuracy = 0.5;
            probe.biasAccuracy = 0.9;
            shown.page.history()->addProbe(probe);
        }
        const MetricPlot *probes = shown.page.curves()->probePlot();
        QVERIFY(probes->seriesId("deep → target") >= 0 && probes->seriesId("shallow → bias") >= 0);
        QVERIFY(probes->seriesId("distilled → target") >= 0 && probes->seriesId("target target") < 0);
        QCOMPARE(contents.mapRecords[0].stage, 1);
        QCOMPARE(contents.mapRecords[0].epoch, result.stage1SelectedEpoch);
        QCOMPARE(contents.mapRecords[2].stage, 2);
        QCOMPARE(contents.mapRecords[2].epoch, result.selected.epoch);
        QCOMPARE(contents.markerEpoch, 2.0 + result.selected.epoch);
        QVERIFY2(contents.epochLine.contains(QString("stage 2, epoch %1").arg(result.selected.epoch)),
            qPrintable(contents.epochLine));
        QCOMPARE(contents.tableLines.size(), 3);
        QVERIFY2(contents.tableLines[2].contains(
                     QString("conflicting %1").arg(100.0 * result.selected.test.conflicting, 6, 'f', 2)),
            qPrintable(contents.tableLines[2]));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 3.0); // the screen keeps the timeline's marker
        QVERIFY(!shown.page.exportReport("/proc/untangle/report.png", &reportError));
        QVERIFY(reportError.contains("/proc/untangle/report.png"));
        const DebiasConfig shownConfig = shown.page.form()->config(spritesSpec());
        QCOMPARE(shownConfig.width, test::TinyWidth);
        QCOMPARE(shownConfig.batchSize, test::TinyBatch);
        QCOMPARE(shown.page.form()->runFolder(), QDir::cleanPath(dir.path()));

        // A run of a single evaluation shows it too (the slider already sits at index 0).
        QTemporaryDir single;
        runDebias(denetdmConfig(spritesSpec(), 1, 0), dataset, {}, single.path().toStdString());
        QVERIFY2(shown.page.openRun(single.path(), &error), qPrintable(error));
        QCOMPARE(shown.page.timeline()->count(), 1);
        QCOMPARE(shown.page.heatMaps()->heads(), (QStringList {"deep", "shallow"}));
        QCOMPARE(shown.page.curves()->accuracyPlot()->markerX(), 1.0);
        QCOMPARE(shown.page.form()->stage1EpochsBox()->value(), 1);

        QTemporaryDir empty;
        error.clear();
        QVERIFY(!shown.page.openRun(empty.path(), &error));
        QVERIFY2(error.contains("config.json"), qPrintable(error));

        // A GAN run folder says what it is and where it opens, not 'config has no "method"'.
        QTemporaryDir gan;
        QFile ganConfig(gan.filePath("config.json"));
        QVERIFY(ganConfig.open(QIODevice::WriteOnly));
        ganConfig.write("{\"sprites\": true, \"resolution\": 32, \"emaBeta\": 0.999}\n");
        ganConfig.close();
        QVERIFY(!shown.page.openRun(gan.path(), &error));
        QVERIFY2(error.contains("GAN training run") && error.contains("Latent workspace"), qPrintable(error));
        QVERIFY2(!error.contains("method"), qPrintable(error));
    }

    void runStartedFromThePageReachesTheViews()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ShownPage shown;
        QSignalSpy built(&shown.datasets, &DatasetBuilderPage::datasetBuilt);
        shown.datasets.form()->setSpec(spritesSpec());
        shown.datasets.requestBuild();
        QTRY_VERIFY_WITH_TIMEOUT(built.count() >= 1 && !shown.controller.isBusy(), BuildTimeoutMs);

        shown.page.form()->setConfig(denetdmConfig(spritesSpec(), 1, 1));
        shown.page.form()->setRunFolder(dir.path());
        QSignalSpy finished(&shown.page, &DebiasTrainPage::runFinished);
        shown.page.start();
        QVERIFY(shown.controller.isBusy());
        QVERIFY2(!shown.page.statusText().contains("Not started"), qPrintable(shown.page.statusText()));
        QVERIFY(!shown.page.form()->isEnabled()); // settings are locked while the run runs
        QTRY_VERIFY_WITH_TIMEOUT(!shown.controller.isBusy() && shown.page.history()->evaluations().size() == 2
                && shown.page.history()->hasResult(),
            TrainTimeoutMs);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(shown.page.form()->isEnabled());
        QVERIFY2(shown.page.statusText().contains("epoch"), qPrintable(shown.page.statusText()));
        QCOMPARE(shown.page.history()->runDir(), QDir::cleanPath(dir.path()));
        QCOMPARE(QString::fromStdString(shown.page.history()->result().finalHead), QString("target"));
        QVERIFY(!shown.page.history()->result().stopped);
        QCOMPARE(shown.page.timeline()->count(), 2);
        QCOMPARE(shown.page.timeline()->position(), 1);
        QCOMPARE(shown.page.heatMaps()->heads(), QStringList {"target"});
        const EvaluationRecord &last = shown.page.history()->evaluations().back();
        QCOMPARE(shown.page.heatMaps()->maps()[0]->value(0, 0), 100.0 * last.heads[0].test.cells[0][0]);
        const MetricPlot *loss = shown.page.curves()->lossPlot();
        QCOMPARE(loss->pointCount(loss->seriesId("loss")), 2);
        QCOMPARE(loss->pointCount(loss->seriesId("distill")), 1);
        QVERIFY(QFileInfo::exists(dir.path() + "/result.json"));
        QCOMPARE(test::nonEmptyLineCount(dir.path() + "/metrics.jsonl"), 2);
    }

    void aBatchOfSeedsShowsTheirMeanWithABand()
    {
        const DebiasConfig config = denetdmConfig(spritesSpec(), 2, 1);
        const BiasedDataset dataset = buildDataset(config.dataset);
        QTemporaryDir batch;
        const std::vector<std::uint64_t> seeds {0, 1, 2};
        const SeedsOutcome outcome = runDebiasSeeds(config, seeds, dataset, {}, batch.path().toStdString());
        std::vector<std::vector<EvaluationRecord>> records;
        for (std::uint64_t seed : seeds)
            records.push_back(RunFolder(seedRunDir(batch.path().toStdString(), seed)).readEvaluations());

        ShownPage shown;
        QString error;
        QVERIFY2(shown.page.openRun(batch.path(), &error), qPrintable(error));
        QCOMPARE(shown.page.seedsHistory()->seedCount(), 3);
        QCOMPARE(shown.page.form()->seedCountBox()->value(), 3);
        QCOMPARE(shown.page.timeline()->count(), 3);
        QCOMPARE(shown.page.history()->runDir(), batch.path());

        // The views show the mean over seeds, computed here by hand from the three folders.
        const auto handMean = [&](auto pick) {
            double sum = 0;
            for (const auto &seedRecords : records)
                sum += pick(*seedRecords.back().findHead("target"));
            return sum / 3.0;
        };
        const double conflicting = handMean([](const HeadAccuracy &h) { return h.test.conflicting; });
        QVERIFY(std::abs(shown.page.history()->evaluations().back().findHead("target")->test.conflicting - conflicting)
            < 1e-9);
        const double cell = handMean([](const HeadAccuracy &h) { return h.test.cells[1][2]; });
        QVERIFY(std::abs(shown.page.heatMaps()->maps()[0]->value(1, 2) - 100.0 * cell) < 1e-6);
        QVERIFY2(
            shown.page.heatMaps()->caption().contains("mean of 3 seeds"), qPrintable(shown.page.heatMaps()->caption()));

        // The band is mean ± the sample std over seeds, on the conflicting curve of every head.
        double variance = 0;
        for (const auto &seedRecords : records)
            variance += std::pow(seedRecords.back().findHead("target")->test.conflicting - conflicting, 2) / 2.0;
        const std::vector<HeadSpread> *spread = shown.page.seedsHistory()->spreadAt(2);
        QVERIFY(spread);
        QCOMPARE(QString::fromStdString(spread->front().head), QString("target"));
        QVERIFY(std::abs(spread->front().test.conflicting.std - std::sqrt(variance)) < 1e-9);
        const MetricPlot *accuracy = shown.page.curves()->accuracyPlot();
        QVERIFY(accuracy->hasBand(accuracy->seriesId("target confl.")));
        QVERIFY(accuracy->hasBand(accuracy->seriesId("deep confl.")));
        QVERIFY(!accuracy->hasBand(accuracy->seriesId("deep aligned")));
        QVERIFY2(accuracy->title().contains("mean of 3 seeds"), qPrintable(accuracy->title()));

        // The status says mean ± std of the selected numbers, as the CLI's summary computes them.
        const QString status = shown.page.statusText();
        const Spread &selected = outcome.summary.selectedTest.conflicting;
        const QString expected = QString("target, test: confl. %1 ± %2")
                                     .arg(100.0 * selected.mean, 0, 'f', 1)
                                     .arg(100.0 * selected.std, 0, 'f', 1);
        QVERIFY2(status.contains("3 seeds at once (0, 1, 2)") && status.contains(expected),
            qPrintable(status + "\nexpected: " + expected));
        const ReportSeeds reportSeeds {"0, 1, 2", shown.page.seedsHistory()->summaryLines()};
        const RunReportContents contents = runReportContents(*shown.page.history(), &reportSeeds);
        QVERIFY2(contents.epochLine.contains("seeds 0, 1, 2") && contents.epochLine.contains("stage 2, epoch 1"),
            qPrintable(contents.epochLine));
        QCOMPARE(contents.tableLines, shown.page.seedsHistory()->summaryLines());
        QString reportError;
        QVERIFY2(shown.page.exportReport(batch.filePath("report.png"), &reportError), qPrintable(reportError));

        // A damaged plan: a clear error naming the file, and the batch on show stays.
        QTemporaryDir damaged;
        QFile plan(damaged.filePath("seeds.json"));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(QByteArray(100000, '['));
        plan.close();
        QFile marker(damaged.filePath(".untangle-run"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();
        QVERIFY(!shown.page.openRun(damaged.path(), &error));
        QVERIFY2(error.contains("seeds.json"), qPrintable(error));
        QCOMPARE(shown.page.history()->runDir(), batch.path());
        QVERIFY(shown.page.seedsHistory()->isActive());

        // One seed of it opens as a single run: no band, no "mean" in the titles.
        QVERIFY2(shown.page.openRun(batch.filePath("seed-1"), &error), qPrintable(error));
        QVERIFY(!shown.page.seedsHistory()->isActive());
        QCOMPARE(shown.page.form()->seedCountBox()->value(), 1);
        QVERIFY(!accuracy->hasBand(accuracy->seriesId("target confl.")));
        QVERIFY(!accuracy->title().contains("mean"));
        QVERIFY(!shown.page.heatMaps()->caption().contains("mean"));
    }

    void aBatchStartedFromThePageTrainsEverySeed()
    {
        QTemporaryDir dir;
        ShownPage shown;
        QSignalSpy built(&shown.datasets, &DatasetBuilderPage::datasetBuilt);
        shown.datasets.form()->setSpec(spritesSpec());
        shown.datasets.requestBuild();
        QTRY_VERIFY_WITH_TIMEOUT(built.count() >= 1 && !shown.controller.isBusy(), BuildTimeoutMs);

        DebiasConfig config = denetdmConfig(spritesSpec(), 1, 1);
        config.threads = 2;
        shown.page.form()->setConfig(config);
        shown.page.form()->setSeedCount(2);
        shown.page.form()->setRunFolder(dir.path());
        QSignalSpy finished(&shown.page, &DebiasTrainPage::runFinished);
        shown.page.start();
        QVERIFY(shown.controller.isBusy());
        QVERIFY2(shown.page.statusText().contains("2 seeds at once (3, 4)"), qPrintable(shown.page.statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
        QVERIFY(shown.page.seedsHistory()->hasSummary());
        QCOMPARE(shown.page.history()->evaluations().size(), 2);
        QCOMPARE(shown.page.timeline()->count(), 2);
        for (const char *seed : {"seed-3", "seed-4"})
            QVERIFY(QFileInfo::exists(dir.filePath(QString(seed) + "/result.json")));
        QVERIFY(QFileInfo::exists(dir.filePath("summary.json")));
        QVERIFY2(shown.page.statusText().contains("target, test: confl."), qPrintable(shown.page.statusText()));
        QCOMPARE(shown.page.seedsHistory()->seed(1)->evaluations().size(), 2);
        const MetricPlot *loss = shown.page.curves()->lossPlot();
        QCOMPARE(loss->pointCount(loss->seriesId("distill")), 1);
    }

    void formKeepsTheDataSeedApartAndShowsLffsRecipe()
    {
        RunForm form;
        const DatasetSpec cmnist; // Colored MNIST-10k
        form.setConfig(DebiasConfig {});
        // Training seeds vary the training only: the data seed is its own field, 0 unless changed.
        QSpinBox *dataSeed = form.dataSeedBox();
        QCOMPARE(dataSeed->value(), 0);
        DebiasConfig c = form.config(cmnist);
        c.seed = 7;
        form.setConfig(c);
        QCOMPARE(form.config(cmnist).seed, std::uint64_t(7));
        QCOMPARE(form.config(cmnist).dataset.seed, std::uint64_t(0));
        dataSeed->setValue(3);
        QCOMPARE(form.config(cmnist).dataset.seed, std::uint64_t(3));

        // Choosing LfF shows the official recipe's batch and depth, and the config keeps the last partial batch.
        QVERIFY(!form.lffRecipeBox()->isEnabled());
        form.methodBox()->setCurrentIndex(form.methodBox()->findData(int(DebiasMethod::Lff)));
        QVERIFY(form.lffRecipeBox()->isEnabled());
        const DebiasConfig lff = form.config(cmnist);
        QCOMPARE(lff.batchSize, 256);
        QCOMPARE(lff.deepDepth, 4);
        QVERIFY(!lff.stage1DropLast);
        QCOMPARE(lffRecipeOf(lff), std::optional<LffRecipe>(LffRecipe::Official));
        // The CNN pair never had an official recipe: ours applies there whatever the box says.
        QVERIFY(form.config(DatasetSpec {DatasetKind::CorruptedFashion}).stage1DropLast);
        // Back to DeNetDM: its own batch and depth return.
        form.methodBox()->setCurrentIndex(form.methodBox()->findData(int(DebiasMethod::DeNetDM)));
        QCOMPARE(form.config(cmnist).batchSize, DebiasConfig {}.batchSize);
        QCOMPARE(form.config(cmnist).deepDepth, DebiasConfig {}.deepDepth);
        QVERIFY(form.config(cmnist).stage1DropLast);
    }

    void mapsSayTheirEpochAndWhatTheyShow()
    {
        QTemporaryDir dir;
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 3);
        // Epoch 3's deep head: 96% on aligned cells, 49% on conflicting ones; the shallow one 75% and 70%.
        const QString caption = shown.page.heatMaps()->caption();
        QVERIFY2(caption.contains("Stage 1, epoch 3"), qPrintable(caption));
        QVERIFY2(caption.contains("shape × position"), qPrintable(caption)); // Sprites' target and bias
        QVERIFY2(caption.contains("<b>deep</b> is right on 96% of aligned images (the diagonal) and 49% of "
                                  "conflicting ones: it follows position"),
            qPrintable(caption));
        QVERIFY2(caption.contains("<b>shallow</b> on 75% and 70%: it follows the shape"), qPrintable(caption));
        shown.page.timeline()->setPosition(0); // the sentence follows the timeline
        QVERIFY2(shown.page.heatMaps()->caption().contains("Stage 1, epoch 1"),
            qPrintable(shown.page.heatMaps()->caption()));
        QCOMPARE(cueVerdict(0.88, 0.02, datasetCues(DatasetKind::ColoredMnist10k)), QString("it follows colour"));
        QCOMPARE(cueVerdict(0.90, 0.85, datasetCues(DatasetKind::ColoredMnist10k)), QString("it follows the digit"));
        QCOMPARE(cueVerdict(0.87, 0.64, datasetCues(DatasetKind::ColoredMnist10k)),
            QString("it follows the digit in part, colour in part"));
    }

    void aNewRunStartsOnFreshAxes()
    {
        QTemporaryDir dir;
        ShownPage shown;
        shown.addSyntheticRun(dir.path(), 5);
        MetricPlot *accuracy = shown.page.curves()->accuracyPlot();
        QTRY_COMPARE(accuracy->plot()->xAxis->range().upper, 5.0);
        shown.page.history()->clear(denetdmConfig(spritesSpec(), 10, 10), dir.path(), SpritesTrain);
        QTRY_VERIFY2(accuracy->plot()->xAxis->range().upper <= 1.0,
            qPrintable(QString("x ends at %1").arg(accuracy->plot()->xAxis->range().upper)));
        QVERIFY(std::isnan(accuracy->markerX())); // no evaluation, no marker of the old run
        QVERIFY2(shown.page.statusText().startsWith("Not started"), qPrintable(shown.page.statusText()));
    }

    void layoutFitsAt1280x800()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        DebiasTrainPage *page = window.debias()->trainPage();
        window.debias()->setCurrentWidget(page);

        // Before a run the plots are plots, not strips at their left edge.
        for (MetricPlot *plot :
            {page->curves()->accuracyPlot(), page->curves()->probePlot(), page->curves()->lossPlot()}) {
            plot->plot()->replot();
            QVERIFY2(plot->plot()->axisRect()->width() > plot->width() / 2,
                qPrintable(QString("%1: axes %2 of %3 px")
                               .arg(plot->title())
                               .arg(plot->plot()->axisRect()->width())
                               .arg(plot->width())));
        }

        page->history()->clear(denetdmConfig(spritesSpec(), 10, 10), dir.path(), SpritesTrain);
        for (int epoch = 1; epoch <= 3; ++epoch)
            page->history()->addEvaluation(stage1Record(epoch));
        QCoreApplication::processEvents();

        // Every button and the method box show their whole text ("ompare with", "DeNetDM (deep + shal").
        for (QPushButton *button : page->findChildren<QPushButton *>())
            QVERIFY2(button->width() >= button->sizeHint().width(),
                qPrintable(QString("'%1': %2 of %3 px")
                               .arg(button->text())
                               .arg(button->width())
                               .arg(button->sizeHint().width())));
        QComboBox *method = page->form()->methodBox();
        QVERIFY2(method->width() >= method->sizeHint().width(),
            qPrintable(QString("method box %1 of %2 px").arg(method->width()).arg(method->sizeHint().width())));

        // The heat map titles fit their maps ("eep: 2.6% confl. · 87.4% aligne"), on as many lines each, so the
        // maps line up.
        QSet<qsizetype> titleLines;
        for (CellHeatMap *map : page->heatMaps()->maps()) {
            if (!map->isVisible())
                continue;
            map->plot()->replot();
            titleLines << map->shownTitle().count('\n');
            const QFontMetrics metrics(map->titleFont());
            for (const QString &line : map->shownTitle().split('\n'))
                QVERIFY2(metrics.horizontalAdvance(line) <= map->titleRect().width(),
                    qPrintable(QString("'%1': %2 px in a %3 px title")
                                   .arg(line)
                                   .arg(metrics.horizontalAdvance(line))
                                   .arg(map->titleRect().width())));
        }
        QCOMPARE(titleLines.size(), 1);

        // The curves are plots, not strips under their legends: each data area at least MinPlotAreaPx tall, while
        // the heat maps keep rows tall enough for their numbers.
        for (MetricPlot *plot :
            {page->curves()->accuracyPlot(), page->curves()->probePlot(), page->curves()->lossPlot()}) {
            plot->plot()->replot();
            QVERIFY2(plot->plot()->axisRect()->height() >= MinPlotAreaPx,
                qPrintable(
                    QString("%1: data area %2 px tall").arg(plot->title()).arg(plot->plot()->axisRect()->height())));
        }
        for (CellHeatMap *map : page->heatMaps()->maps()) {
            if (!map->isVisible())
                continue;
            // Room for CMNIST's 10 x 10 map, though this run's Sprites map has 3 rows.
            const int rowHeight = map->plot()->axisRect()->height() / MnistClasses;
            QVERIFY2(rowHeight >= MinHeatMapRowPx,
                qPrintable(QString("a 10-row heat map would get rows %1 px tall").arg(rowHeight)));
        }

        // The loss legend's entries get the room they need ("align", "conflicti").
        MetricPlot *loss = page->curves()->lossPlot();
        loss->plot()->replot();
        QCPLegend *legend = loss->plot()->legend;
        for (int i = 0; i < legend->itemCount(); ++i)
            if (const QCPAbstractLegendItem *item = legend->item(i))
                QVERIFY2(item->outerRect().width() >= item->minimumOuterSizeHint().width()
                        && item->outerRect().right() <= loss->width(),
                    qPrintable(QString("loss legend entry %1 clipped").arg(i)));
        window.close();
    }

    void closingMidRunIsClean()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto *window = new MainWindow;
        window->setStopQuestion([](const QString &) { return true; }); // the user answers "Stop and keep the run"
        window->show();
        DebiasTrainPage *page = window->debias()->trainPage();
        window->debias()->datasetBuilder()->form()->setSpec(spritesSpec());
        page->form()->setConfig(denetdmConfig(spritesSpec(), 50, 50));
        page->form()->setRunFolder(dir.path());
        page->start();
        QVERIFY(window->controller()->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(page->history()->evaluations().size() >= 1, TrainTimeoutMs);
        const int seen = int(page->history()->evaluations().size());

        QElapsedTimer timer;
        timer.start();
        QVERIFY(window->close());
        const qint64 closeMs = timer.elapsed();
        QVERIFY2(closeMs < CloseBudgetMs, qPrintable(QString("close took %1 ms").arg(closeMs)));
        QVERIFY(!window->controller()->start(
            std::make_unique<DebiasTrainingJob>(page->form()->config(spritesSpec()), dir.path(), false)));

        // Nothing lost: the last complete epoch is checkpointed and every evaluation the window saw is on disk.
        QVERIFY(QFileInfo::exists(dir.path() + "/checkpoint.pt"));
        const int lines = test::nonEmptyLineCount(dir.path() + "/metrics.jsonl");
        QVERIFY2(lines >= 1 && lines >= seen, qPrintable(QString("%1 lines, %2 seen").arg(lines).arg(seen)));
        QVERIFY(lines < 100); // stopped long before the planned 50 + 50 epochs
        // result.json marks finished runs only: a stopped one is resumable, never counted as a seed by `table`.
        QVERIFY(!QFileInfo::exists(dir.path() + "/result.json"));
        delete window;
        QCoreApplication::processEvents(); // queued signals of the stopped job must not reach a deleted page
    }
};

QTEST_MAIN(TstDebiasTrainPage)
#include "tst_debiastrainpage.moc"
