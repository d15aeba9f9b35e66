// The Train GAN panel: each world trains with its shipped generator's recipe (network, width, mapping lr, R1, view
// negatives), a Scenes sub-world from the panel's factor boxes, a stopped run resumed with its own settings, and the
// world and size the panel offers for the open generator.
#include "directionexplorer.h"
#include "gan/ganrunner.h"
#include "gantrainpanel.h"
#include "generatorworld.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "shippedresources.h"
#include "tinygan.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace untangle;

namespace {
constexpr int FrameTimeoutMs = 20000;
constexpr int JobTimeoutMs = 300000; // a GAN job on a busy machine: generous, the wait ends at the signal
} // namespace

class TstGanTrainPanel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /** Trains the Train GAN panel's recipe for `world` (item data) at `resolution` for 10 iterations into run. */
    void trainTenIterationsFromPanel(
        JobController &controller, LatentWorkspace &workspace, const QString &world, int resolution, const QString &run)
    {
        GanTrainPanel *panel = workspace.ganTraining();
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData(world));
        QVERIFY(panel->worldBox()->currentIndex() >= 0);
        panel->resolutionBox()->setCurrentIndex(panel->resolutionBox()->findData(resolution));
        QVERIFY(panel->resolutionBox()->currentIndex() >= 0);
        panel->setIterations(10);
        panel->setRunFolder(run);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->train());
        QVERIFY(idle.wait(JobTimeoutMs));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-gan-panel-test");
        QSettings().clear();
    }

    void ganRunResumesFromThePanelWithItsOwnSettings()
    {
        // A stopped run (4 of its iterations done), written by the runner as the CLI or an earlier session would.
        GanConfig config = test::tinyGanConfig(4); // 32 px, batch 8, a checkpoint every 2 iterations
        config.sampleEvery = 2;
        const QString run = path("gan-resume");
        trainGan(config, {}, run.toStdString());

        JobController controller;
        LatentWorkspace workspace(&controller);
        GanTrainPanel *panel = workspace.ganTraining();
        QVERIFY(!panel->resume(path("not-a-run"))); // a folder without config.json: said, nothing started
        QVERIFY2(panel->status().contains("Cannot resume"), qPrintable(panel->status()));
        panel->setIterations(12);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->resume(run));
        // While it trains the page shows where, and the next run's settings are read-only (they would not reach it).
        QCOMPARE(panel->runFolder(), run);
        QVERIFY(!panel->worldBox()->isEnabled());
        QVERIFY(!panel->resolutionBox()->isEnabled());
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY(panel->worldBox()->isEnabled());
        QCOMPARE(panel->runFolder(), QString()); // the next run gets a new folder again
        QTRY_VERIFY_WITH_TIMEOUT(workspace.explorer()->hasGenerator(), FrameTimeoutMs); // it opens when done
        const GanConfig resumed = readGanConfig(run.toStdString());
        QCOMPARE(resumed.iterations, 12);
        QCOMPARE(resumed.batch, 8); // the run's own settings, not the panel's
        QVERIFY(QFileInfo::exists(run + "/snapshots/iter-000012.pt"));
        // Each checkpoint's Sprites coverage is shown as it is written (the last one here).
        QVERIFY2(panel->coverageText().contains("Checkpoint 12"), qPrintable(panel->coverageText()));
        QVERIFY2(panel->coverageText().contains("coverage"), qPrintable(panel->coverageText()));
    }

    void realDigitsScenesAndSpritesTrainFromThePanelWithTheirRecipes()
    {
        // 10 iterations each at 32 px. MNIST-10k digits, coloured independently of the class:
        JobController controller;
        LatentWorkspace workspace(&controller);
        const QString digits = path("gan-mnist");
        trainTenIterationsFromPanel(controller, workspace, "cmnist10k", 32, digits);
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(workspace.explorer()->hasGenerator(), FrameTimeoutMs); // it opens when done
        const GanConfig config = readGanConfig(digits.toStdString());
        QVERIFY(!config.sprites);
        QCOMPARE(config.dataset.kind, DatasetKind::ColoredMnist10k);
        QCOMPARE(config.dataset.ratio, 0.9); // colours independent of the digit
        QCOMPARE(workspace.explorer()->generatorInfo()->channels, 3);
        QVERIFY(!mayBelongToRenderedWorld(workspace.explorer()->generatorPath()));

        // Scenes, with the recipe of resources/generators/scenes-64 (packaging/train-shipped-generators.sh).
        const QString scenes = path("gan-scenes");
        trainTenIterationsFromPanel(controller, workspace, "scenes", 32, scenes);
        if (QTest::currentTestFailed())
            return;
        const GanConfig recipe = readGanConfig(scenes.toStdString());
        QCOMPARE(recipe.dataset.kind, DatasetKind::Scenes);
        QCOMPARE(recipe.resolution, 32);
        QCOMPARE(recipe.mappingLrMultiplier, 0.01);
        QCOMPARE(recipe.minChannels, 8);
        QCOMPARE(recipe.discriminatorChannels, 16);
        QCOMPARE(recipe.r1Gamma, 1.0);
        QVERIFY(recipe.synthesis == GanConfig::Synthesis::ProGan); // chosen with the world
        QVERIFY(recipe.loss == GanConfig::Loss::Logistic);
        QCOMPARE(recipe.viewNegatives, 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(workspace.explorer()->generatorPath(), scenes + "/generator.pt", FrameTimeoutMs);
        // Sprites, with the recipe of resources/generators/sprites-64: ProGAN's network with the logistic loss and
        // an R1-only critic (chosen with the world), the same mapping lr and R1 penalty.
        GanTrainPanel *panel = workspace.ganTraining();
        const QString sprites = path("gan-sprites");
        trainTenIterationsFromPanel(controller, workspace, "sprites", 32, sprites);
        if (QTest::currentTestFailed())
            return;
        const GanConfig spritesRecipe = readGanConfig(sprites.toStdString());
        QVERIFY(spritesRecipe.sprites);
        QCOMPARE(spritesRecipe.mappingLrMultiplier, 0.01);
        QCOMPARE(spritesRecipe.r1Gamma, 1.0);
        QVERIFY(spritesRecipe.synthesis == GanConfig::Synthesis::ProGan);
        QVERIFY(spritesRecipe.loss == GanConfig::Loss::Logistic);
        QVERIFY(!spritesRecipe.spectralNorm);
        QCOMPARE(spritesRecipe.baseChannels, 64); // the shipped widths: 16 channels at 32 and 64 px
        QCOMPARE(spritesRecipe.minChannels, 16);
        QCOMPARE(spritesRecipe.convsPerStage, 1);
        QTRY_COMPARE_WITH_TIMEOUT(workspace.explorer()->generatorPath(), sprites + "/generator.pt", FrameTimeoutMs);
        // The style network, chosen by hand, grown to 64 px from a 32 px run; a file that cannot start it is named in
        // the status and no run is written.
        panel->networkBox()->setCurrentIndex(panel->networkBox()->findData("style"));
        const QString styleSprites = path("gan-sprites-style");
        trainTenIterationsFromPanel(controller, workspace, "sprites", 32, styleSprites);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(readGanConfig(styleSprites.toStdString()).synthesis == GanConfig::Synthesis::Style);
        panel->setGrowFrom(styleSprites + "/generator.pt");
        const QString grown = path("gan-sprites-grown");
        trainTenIterationsFromPanel(controller, workspace, "sprites", 64, grown);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(QString::fromStdString(readGanConfig(grown.toStdString()).growFrom), styleSprites + "/generator.pt");
        QTRY_COMPARE_WITH_TIMEOUT(workspace.explorer()->generatorPath(), grown + "/generator.pt", FrameTimeoutMs);
        panel->setGrowFrom(grown + "/generator.pt"); // 64 px cannot start a 32 px run
        const QString refused = path("gan-sprites-refused");
        trainTenIterationsFromPanel(controller, workspace, "sprites", 32, refused);
        QVERIFY2(panel->status().contains("cannot grow from") && panel->status().contains("more than"),
            qPrintable(panel->status()));
        QVERIFY(!QFileInfo::exists(refused + "/config.json"));
        panel->setGrowFrom({});
        // The world picks its shipped generator's network; the user's later choice stands.
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("cmnist10k"));
        QCOMPARE(panel->networkBox()->currentData().toString(), QString("style"));
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("scenes"));
        QCOMPARE(panel->networkBox()->currentData().toString(), QString("progan"));
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("sprites"));
        QCOMPARE(panel->networkBox()->currentData().toString(), QString("progan"));
        // The same for the fine stages' width: the shipped Sprites generator's 16, 8 elsewhere; a run records the box.
        QCOMPARE(panel->detailChannelsBox()->currentData().toInt(), 16);
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("scenes"));
        QCOMPARE(panel->detailChannelsBox()->currentData().toInt(), 8);
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("sprites"));
        panel->detailChannelsBox()->setCurrentIndex(panel->detailChannelsBox()->findData(8));
        const QString narrow = path("gan-sprites-narrow");
        trainTenIterationsFromPanel(controller, workspace, "sprites", 32, narrow);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(readGanConfig(narrow.toStdString()).minChannels, 8);
    }

    void scenesSubWorldFromThePanel()
    {
        // The CLI's --vary in the Train GAN panel: one box per Scenes factor, shown for Scenes only. None checked is
        // refused before any folder is made; two checked train that sub-world; all six write the full world as before.
        JobController controller;
        LatentWorkspace workspace(&controller);
        GanTrainPanel *panel = workspace.ganTraining();
        const QList<QCheckBox *> boxes = panel->sceneFactorBoxes();
        QCOMPARE(boxes.size(), 6);
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("sprites"));
        QVERIFY(!boxes[0]->isVisibleTo(panel));
        panel->worldBox()->setCurrentIndex(panel->worldBox()->findData("scenes"));
        QVERIFY(boxes[0]->isVisibleTo(panel));
        for (QCheckBox *box : boxes)
            box->setChecked(false);
        const QString none = path("gan-scenes-none");
        panel->setRunFolder(none);
        QVERIFY(!panel->train());
        QVERIFY2(panel->status().contains("at least one Scenes factor"), qPrintable(panel->status()));
        QVERIFY(!QFileInfo::exists(none));
        // With orientation held the view negatives (averages over orientation) are off, and the box says so.
        for (QCheckBox *box : boxes)
            box->setChecked(box->objectName() == "wall_hue");
        QVERIFY(!panel->viewNegativesBox()->isEnabled());
        for (QCheckBox *box : boxes)
            box->setChecked(box->objectName() == "wall_hue" || box->objectName() == "orientation");
        QVERIFY(panel->viewNegativesBox()->isEnabled());
        // The view negatives sit in the same row, at the shipped generator's weight; a run records what the box says.
        QVERIFY(panel->viewNegativesBox()->isVisibleTo(panel));
        QCOMPARE(panel->viewNegativesBox()->value(), 1.0);
        panel->viewNegativesBox()->setValue(2.5);
        const QString two = path("gan-scenes-two");
        trainTenIterationsFromPanel(controller, workspace, "scenes", 32, two);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(readGanConfig(two.toStdString()).variedSceneFactors,
            (std::vector<std::string> {"wall_hue", "orientation"}));
        QCOMPARE(readGanConfig(two.toStdString()).viewNegatives, 2.5);
        for (QCheckBox *box : boxes)
            box->setChecked(true);
        panel->viewNegativesBox()->setValue(0.0);
        const QString all = path("gan-scenes-all");
        trainTenIterationsFromPanel(controller, workspace, "scenes", 32, all);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(readGanConfig(all.toStdString()).variedSceneFactors.empty());
        QCOMPARE(readGanConfig(all.toStdString()).viewNegatives, 0.0);
    }

    void trainGanOffersTheOpenGeneratorsWorld()
    {
        // At launch the Scenes generator is open: Train GAN offers Scenes at 64 px, not its Sprites 32 px default,
        // until the user picks a world, after which an opened generator changes nothing.
        JobController controller;
        LatentWorkspace workspace(&controller);
        qunsetenv("UNTANGLE_RESOURCE_DIR"); // the shipped generators of the source tree
        workspace.resize(1280, 800);
        workspace.show();
        QVERIFY(QTest::qWaitForWindowExposed(&workspace));
        GanTrainPanel *panel = workspace.ganTraining();
        QCOMPARE(panel->worldBox()->currentData().toString(), QString("sprites"));
        QVERIFY(workspace.openShippedGenerator());
        QTRY_COMPARE_WITH_TIMEOUT(panel->worldBox()->currentData().toString(), QString("scenes"), FrameTimeoutMs);
        QCOMPARE(panel->resolutionBox()->currentData().toInt(), 64);
        QCOMPARE(panel->networkBox()->currentData().toString(), QString("progan")); // the world's own recipe
        const int sprites = panel->worldBox()->findData("sprites");
        panel->worldBox()->setCurrentIndex(sprites);
        emit panel->worldBox()->activated(sprites); // as a click does
        QSignalSpy opened(workspace.explorer(), &DirectionExplorer::generatorOpened);
        workspace.explorer()->openGenerator(
            QString::fromStdString(shippedResourcePath("generators/scenes-64/generator.pt")));
        QVERIFY(opened.wait(FrameTimeoutMs));
        QCOMPARE(panel->worldBox()->currentData().toString(), QString("sprites"));
    }
};

QTEST_MAIN(TstGanTrainPanel)
#include "tst_gantrainpanel.moc"
