// The Latent workspace's direction explorer on a tiny real generator: slider moves render edited images, bursts
// coalesce on the render thread, sign flips mirror the traversal, edits are saved, exports are real files, and
// bad files give an error message instead of a crash.
#include "cellheatmap.h"
#include "dataerror.h"
#include "directioncomputepanel.h"
#include "directionexplorer.h"
#include "directionmetricspanel.h"
#include "directions/directionfinder.h"
#include "directionshift.h"
#include "directionsliderbank.h"
#include "explore/latentrenderer.h"
#include "factorattributionpanel.h"
#include "factors/factorlabels.h"
#include "factors/factorrescoring.h"
#include "generatorworld.h"
#include "jobcontroller.h"
#include "latentrenderservice.h"
#include "latentworkspace.h"
#include "mainwindow.h"
#include "metricplot.h"
#include "progress.h"
#include "selfcheck/latentselfcheck.h"
#include "shippedresources.h"
#include "sre/srerunner.h"
#include "traversalview.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <qcustomplot.h>

#include "tinysre.h"

using namespace untangle;

namespace {

constexpr int BurstMoves = 50;
constexpr int MaxBurstFrames = 10; // 50 moves within one event-loop turn: a handful of frames at most
constexpr int FrameTimeoutMs = 20000;
constexpr int JobTimeoutMs = 300000; // an attribution job on a busy machine: generous, the wait ends at the signal

bool waitForLatestFrame(DirectionExplorer *explorer, LatentRenderService *service)
{
    return QTest::qWaitFor([&] { return explorer->lastFrame().id == service->lastRequestId(); }, FrameTimeoutMs);
}

} // namespace

class TstLatentExplorer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_generator, m_directions, m_otherDirections;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /** A workspace with the tiny generator and the SeFa directions loaded and the first frame shown. */
    std::unique_ptr<LatentWorkspace> openWorkspace()
    {
        auto workspace = std::make_unique<LatentWorkspace>();
        DirectionExplorer *explorer = workspace->explorer();
        explorer->setSampleCount(4);
        workspace->openGenerator(m_generator);
        if (!QTest::qWaitFor([&] { return explorer->hasGenerator(); }, FrameTimeoutMs))
            return nullptr;
        QString error;
        if (!explorer->loadDirections(m_directions, &error)) {
            qWarning() << error;
            return nullptr;
        }
        if (!waitForLatestFrame(explorer, workspace->renderService()))
            return nullptr;
        return workspace;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-latent-test");
        QSettings().clear();
        m_generator = path("generator.pt");
        selfcheck::writeRandomStyleGenerator(m_generator.toStdString());
        DirectionsRequest request;
        request.generatorPath = m_generator.toStdString();
        request.count = 4;
        request.method = DirectionMethod::SeFa;
        m_directions = path("sefa.json");
        saveDirectionSet(findDirections(request), m_directions.toStdString());
        request.method = DirectionMethod::GanSpace;
        request.ganspaceSamples = 500;
        m_otherDirections = path("ganspace.json");
        saveDirectionSet(findDirections(request), m_otherDirections.toStdString());
    }

    void showsGeneratorInfo()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        const auto &info = *workspace->explorer()->generatorInfo();
        QCOMPARE(info.styleSize, 8);
        QCOMPARE(info.resolution, 16);
        QCOMPARE(workspace->explorer()->directions().count(), 4);
        QCOMPARE(workspace->explorer()->sliders()->count(), 4);
    }

    void sliderMoveRendersAnEditedImage()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        DirectionExplorer *explorer = workspace->explorer();
        const QImage original = explorer->panelImage(0);
        QVERIFY(!original.isNull());
        QCOMPARE(original.size(), QSize(2 * 16 + 2, 2 * 16 + 2)); // 4 samples tile 2 x 2 with a 2 px gap
        QCOMPARE(explorer->panelImage(1), original); // sliders at zero: the edited panel is the original
        explorer->sliders()->setValue(0, 3.0); // beyond the default +-2 sigma range: held at its end
        QCOMPARE(explorer->sliders()->value(0), 2.0);
        QVERIFY(waitForLatestFrame(explorer, workspace->renderService()));
        QVERIFY(explorer->panelImage(1) != original);
        QCOMPARE(explorer->panelImage(0), original); // same z: the original does not move
        QVERIFY(explorer->lastFrame().renderMs > 0.0);
    }

    void burstOfSliderMovesCoalescesAndEndsOnTheLastValue()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        DirectionExplorer *explorer = workspace->explorer();
        LatentRenderService *service = workspace->renderService();
        const int before = service->framesRendered();
        for (int i = 1; i <= BurstMoves; ++i)
            explorer->sliders()->setValue(1, -2.0 + 4.0 * i / BurstMoves);
        QVERIFY(waitForLatestFrame(explorer, service));
        const int frames = service->framesRendered() - before;
        QVERIFY2(frames >= 1 && frames <= MaxBurstFrames, qPrintable(QString("%1 frames for 50 moves").arg(frames)));
        QCOMPARE(explorer->sliders()->value(1), 2.0);

        // The frame on screen is exactly the last slider state, rendered independently here.
        LatentRenderer renderer(m_generator.toStdString());
        const Matrix styles = renderer.styles({0, 1, 2, 3}, 1.0);
        const auto amounts = explorer->sliders()->values();
        const auto expected
            = renderer.render(styles, directionShift(explorer->directions(), {amounts.begin(), amounts.end()}));
        const auto &shown = explorer->lastFrame().panels.at(1);
        QCOMPARE(shown.size(), expected.size());
        for (std::size_t i = 0; i < shown.size(); ++i)
            QVERIFY(shown[i].bytes == expected[i].bytes);
    }

    void signFlipMirrorsTheTraversal()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        TraversalView *traversal = workspace->traversal();
        QSignalSpy rendered(traversal, &TraversalView::traversalRendered);
        traversal->setColumns(5);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, FrameTimeoutMs);
        const auto before = traversal->rows();
        QCOMPARE(int(before.size()), 4);
        QCOMPARE(int(before[0].size()), 5);
        QVERIFY(before[0][0].bytes != before[0][4].bytes); // the direction moves something

        workspace->explorer()->sliders()->flipSign(0);
        QCOMPARE(workspace->explorer()->directions().directions[0].sign, -1);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 2, FrameTimeoutMs);
        const auto after = traversal->rows();
        for (int c = 0; c < 5; ++c)
            QVERIFY2(
                after[0][std::size_t(c)].bytes == before[0][std::size_t(4 - c)].bytes, qPrintable(QString::number(c)));
        for (int c = 0; c < 5; ++c)
            QVERIFY(after[1][std::size_t(c)].bytes == before[1][std::size_t(c)].bytes); // other rows unchanged
    }

    void traversalDrawsItselfWhenShown()
    {
        // Shown with a generator and a set, the page draws its grid without a click; shown again unchanged it does
        // not draw again, and after another set is loaded it does.
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        workspace->resize(1280, 800);
        workspace->show();
        QVERIFY(QTest::qWaitForWindowExposed(workspace.get()));
        TraversalView *traversal = workspace->traversal();
        QSignalSpy rendered(traversal, &TraversalView::traversalRendered);
        workspace->pages()->setCurrentWidget(traversal);
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, FrameTimeoutMs);
        QCOMPARE(int(traversal->rows().size()), workspace->explorer()->directions().count());
        workspace->pages()->setCurrentWidget(workspace->explorer());
        workspace->pages()->setCurrentWidget(traversal);
        QTest::qWait(200);
        QCOMPARE(rendered.count(), 1);
        workspace->pages()->setCurrentWidget(workspace->explorer());
        QVERIFY(workspace->explorer()->loadAfterSre(m_directions));
        workspace->pages()->setCurrentWidget(traversal);
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 2, FrameTimeoutMs);

        // The picture, sigma labels included, fits the view (a scroll bar once hid the last row), and a resize
        // fits it again without a render.
        const auto *scroll = traversal->findChild<QScrollArea *>();
        QVERIFY(scroll);
        const auto *picture = qobject_cast<QLabel *>(scroll->widget());
        QVERIFY(picture);
        const auto fits = [&] {
            const QSize shown = picture->pixmap().size();
            const QSize room = scroll->viewport()->size();
            return shown.width() <= room.width() && shown.height() <= room.height();
        };
        QVERIFY(fits());
        // The test generator's tiles are small, so the 3x cap sets their scale in any workspace; on its own, in a
        // small window, the page's width does (the workspace's own minimum size is larger).
        traversal->setColumns(15);
        traversal->setParent(nullptr);
        traversal->resize(500, 400);
        traversal->show();
        QVERIFY(QTest::qWaitForWindowExposed(traversal));
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 3, FrameTimeoutMs);
        QVERIFY(fits());
        const QSize before = picture->pixmap().size();
        traversal->resize(1000, 600);
        QTRY_VERIFY(picture->pixmap().width() > before.width());
        QVERIFY(fits());
        QCOMPARE(rendered.count(), 3);
        traversal->setParent(workspace.get()); // deleted with the workspace
    }

    void traversalAndWalkExportToFiles()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        TraversalView *traversal = workspace->traversal();
        QSignalSpy rendered(traversal, &TraversalView::traversalRendered);
        traversal->setColumns(7);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, FrameTimeoutMs);
        QString error;
        QVERIFY2(traversal->exportPng(path("traversal.png"), &error), qPrintable(error));
        const QImage png(path("traversal.png"));
        QCOMPARE(png.size(), QSize(7 * 16 + 6 * 2, 4 * 16 + 3 * 2));

        QSignalSpy written(traversal, &TraversalView::videoWritten);
        QSignalSpy failed(traversal, &TraversalView::failed);
        traversal->exportWalk(0, path("walk.avi"));
        QTRY_VERIFY_WITH_TIMEOUT(written.count() + failed.count() == 1, FrameTimeoutMs);
        QVERIFY2(written.count() == 1, qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(QFileInfo(path("walk.avi")).size() > 1000);

        traversal->exportWalk(0, path("walk.txt")); // an extension no encoder handles
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, FrameTimeoutMs);
        QVERIFY(failed.at(0).at(0).toString().contains("walk.txt"));
        QVERIFY(!QFile::exists(path("walk.txt")));
    }

    void namesNotesAndSignsAreSaved()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        DirectionExplorer *explorer = workspace->explorer();
        DirectionSliderBank *bank = explorer->sliders();
        bank->nameEdit(2)->setText("scale");
        emit bank->nameEdit(2)->editingFinished();
        bank->noteEdit(2)->setText("grows the sprite");
        emit bank->noteEdit(2)->editingFinished();
        bank->flipSign(3);
        QString error;
        QVERIFY2(explorer->saveDirections(path("edited.json"), &error), qPrintable(error));
        const DirectionSet saved = loadDirectionSet(path("edited.json").toStdString());
        QCOMPARE(saved.directions[2].name, std::string("scale"));
        QCOMPARE(saved.directions[2].note, std::string("grows the sprite"));
        QCOMPARE(saved.directions[3].sign, -1);
        QCOMPARE(saved.directions[0].sign, 1);
        QVERIFY(saved.directions[2].vector == explorer->directions().directions[2].vector);
    }

    void afterSreSetDrawsBesideTheFirstWithTheSameSliders()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        DirectionExplorer *explorer = workspace->explorer();
        QString error;
        QVERIFY2(explorer->loadAfterSre(m_otherDirections, &error), qPrintable(error));
        QVERIFY(explorer->hasAfterSre());
        explorer->sliders()->setValue(0, 2.0);
        QVERIFY(waitForLatestFrame(explorer, workspace->renderService()));
        QCOMPARE(int(explorer->lastFrame().panels.size()), 3);
        QVERIFY(!explorer->panelImage(2).isNull());
        QVERIFY(explorer->panelImage(2) != explorer->panelImage(0));
        QVERIFY(explorer->panelImage(2) != explorer->panelImage(1)); // a different direction moves differently

        // The traversal opens on both sets side by side, each row before SRE beside the same row after it; it
        // follows either set alone, and says which.
        TraversalView *traversal = workspace->traversal();
        QSignalSpy rendered(traversal, &TraversalView::traversalRendered);
        traversal->setColumns(5);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, FrameTimeoutMs);
        QCOMPARE(traversal->shownSets(), TraversalView::Sets::BeforeAndAfter);
        QVERIFY2(traversal->statusText().contains("before SRE (left) and after SRE (right)"),
            qPrintable(traversal->statusText()));
        const auto beforeRows = traversal->rows();
        const auto afterRows = traversal->afterRows();
        QCOMPARE(afterRows.size(), beforeRows.size());
        QVERIFY(afterRows[0][0].bytes != beforeRows[0][0].bytes); // another direction, another row
        QVERIFY(afterRows[0][2].bytes == beforeRows[0][2].bytes); // the same unedited centre
        QCOMPARE(traversal->shownAfterNames().size(), int(afterRows.size()));
        QVERIFY2(traversal->exportPng(path("both.png"), &error), qPrintable(error));
        const int setWidth = 5 * 16 + 4 * 2; // the test generator's 16 px tiles, 2 px gaps
        QCOMPARE(QImage(path("both.png")).size(), QSize(2 * setWidth + 12, 4 * 16 + 3 * 2));

        traversal->setSets(TraversalView::Sets::Before);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 2, FrameTimeoutMs);
        QCOMPARE(traversal->shownSets(), TraversalView::Sets::Before);
        QVERIFY(traversal->afterRows().empty());
        QVERIFY(traversal->shownAfterNames().isEmpty());
        QVERIFY(traversal->statusText().contains("before SRE"));
        QVERIFY(traversal->rows()[0][0].bytes == beforeRows[0][0].bytes);

        traversal->setSets(TraversalView::Sets::After);
        traversal->renderTraversal();
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 3, FrameTimeoutMs);
        QCOMPARE(traversal->shownSets(), TraversalView::Sets::After);
        QVERIFY2(traversal->statusText().contains("after SRE"), qPrintable(traversal->statusText()));
        QVERIFY(traversal->rows()[0][0].bytes == afterRows[0][0].bytes); // the right half of the side-by-side view
        // A walk follows the set shown alone: after SRE now, another video than the main set's.
        QSignalSpy written(traversal, &TraversalView::videoWritten);
        traversal->exportWalk(0, path("walk-after.avi"));
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, FrameTimeoutMs);
        traversal->setSets(TraversalView::Sets::Before);
        traversal->exportWalk(0, path("walk-before.avi"));
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 2, FrameTimeoutMs);
        traversal->setSets(TraversalView::Sets::After);
        traversal->exportWalk(0, path("walk-after-again.avi"));
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 3, FrameTimeoutMs);
        const auto bytes = [this](const char *name) {
            QFile file(path(name));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        QVERIFY(!bytes("walk-after.avi").isEmpty());
        QCOMPARE(bytes("walk-after-again.avi"), bytes("walk-after.avi")); // the same walk, the same file
        QVERIFY(bytes("walk-before.avi") != bytes("walk-after.avi"));

        QVERIFY(explorer->loadAfterSre(QString()));
        QVERIFY(!explorer->hasAfterSre());
        traversal->renderTraversal(); // the after set is gone: back to the main set
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 4, FrameTimeoutMs);
        QCOMPARE(traversal->shownSets(), TraversalView::Sets::Before);
        QVERIFY(traversal->afterRows().empty());
    }

    void survivesABadGeneratorFile()
    {
        QFile bad(path("bad.pt"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("this is not a generator");
        bad.close();
        LatentWorkspace workspace;
        DirectionExplorer *explorer = workspace.explorer();
        QSignalSpy failed(explorer, &DirectionExplorer::generatorFailed);
        workspace.openGenerator(path("bad.pt"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, FrameTimeoutMs);
        QVERIFY(!explorer->hasGenerator());
        QVERIFY2(explorer->errorText().contains("bad.pt"), qPrintable(explorer->errorText()));
        QVERIFY(!explorer->generatorLine().contains("Opening"));

        // A bad directions file is an error message too, and the good generator still opens afterwards.
        QString error;
        QVERIFY(!explorer->loadDirections(path("bad.pt"), &error));
        QVERIFY(error.contains("bad.pt"));
        workspace.openGenerator(m_generator);
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasGenerator(), FrameTimeoutMs);
        QVERIFY(explorer->errorText().isEmpty());
        QVERIFY(waitForLatestFrame(explorer, workspace.renderService()));
        QVERIFY(!explorer->panelImage(0).isNull());

        // A bad file after a good one keeps the good one open, rendering.
        workspace.openGenerator(path("bad.pt"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, FrameTimeoutMs);
        QVERIFY(explorer->generatorLine().contains("generator.pt"));
        QCOMPARE(explorer->generatorPath(), m_generator);
        explorer->sliders()->setValue(0, 1.0);
        QVERIFY(waitForLatestFrame(explorer, workspace.renderService()));
    }

    void shippedGeneratorOpensWithItsDirections()
    {
        // The product's own resources (resources/generators/*), found from the source tree: every one the File menu
        // lists opens with its SeFa set and SRE refinement, and renders. scenes-64 is the one opened at launch.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        std::vector<std::string> names = shippedGeneratorNames();
        QVERIFY(std::find(names.begin(), names.end(), "scenes-64") != names.end());
        names.insert(names.begin(), std::string()); // the default, first
        for (const std::string &name : names) {
            const QString folder = name.empty() ? QStringLiteral("scenes-64") : QString::fromStdString(name);
            LatentWorkspace workspace;
            DirectionExplorer *explorer = workspace.explorer();
            explorer->setSampleCount(4);
            QVERIFY(name.empty() ? workspace.openShippedGenerator() : workspace.openShippedGenerator(folder));
            QTRY_VERIFY_WITH_TIMEOUT(explorer->directions().count() > 0 && explorer->hasAfterSre(), FrameTimeoutMs);
            QVERIFY2(explorer->generatorPath().endsWith("generators/" + folder + "/generator.pt"),
                qPrintable(explorer->generatorPath()));
            // The folder names the world it draws: Sprites are grey, Scenes RGB.
            QCOMPARE(explorer->generatorInfo()->channels, folder.startsWith("sprites") ? 1 : 3);
            QCOMPARE(explorer->generatorInfo()->resolution, 64);
            QCOMPARE(explorer->directions().method, std::string("sefa"));
            QCOMPARE(explorer->sliders()->count(), explorer->directions().count());
            QVERIFY(waitForLatestFrame(explorer, workspace.renderService()));
            QVERIFY(!explorer->panelImage(0).isNull());
            QVERIFY(explorer->errorText().isEmpty());
        }
        QCOMPARE(shippedGeneratorTitle("sprites-64"), QString("Sprites 64 × 64"));
        QCOMPARE(shippedGeneratorTitle("mine"), QString("mine"));
    }

    void shippedGeneratorsAreListedOnlyWithAGenerator()
    {
        // A folder without generator.pt is not offered; one in UNTANGLE_RESOURCE_DIR is, beside the source tree's.
        QDir(m_dir.path()).mkpath("listed/generators/half-done");
        QDir(m_dir.path()).mkpath("listed/generators/mine-32");
        QFile::copy(m_generator, path("listed/generators/mine-32/generator.pt"));
        qputenv("UNTANGLE_RESOURCE_DIR", path("listed").toUtf8());
        const std::vector<std::string> names = shippedGeneratorNames();
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        QVERIFY(std::find(names.begin(), names.end(), "mine-32") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "half-done") == names.end());
        QVERIFY(std::find(names.begin(), names.end(), "scenes-64") != names.end());
        QVERIFY(std::is_sorted(names.begin(), names.end()));
    }

    void missingOrCorruptShippedGeneratorIsSaidAndOthersStillOpen()
    {
        // A damaged copy found first (UNTANGLE_RESOURCE_DIR is searched before the installed and source-tree ones):
        // the explorer says which file failed, and the workspace keeps working.
        QDir(m_dir.path()).mkpath("resources/generators/scenes-64");
        QFile corrupt(path("resources/generators/scenes-64/generator.pt"));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write("truncated");
        corrupt.close();
        qputenv("UNTANGLE_RESOURCE_DIR", path("resources").toUtf8());
        LatentWorkspace workspace;
        DirectionExplorer *explorer = workspace.explorer();
        QSignalSpy failed(explorer, &DirectionExplorer::generatorFailed);
        QVERIFY(workspace.openShippedGenerator());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, FrameTimeoutMs);
        QVERIFY(!explorer->hasGenerator());
        QVERIFY2(explorer->errorText().contains("scenes-64"), qPrintable(explorer->errorText()));
        // The user's own generator still opens and renders.
        workspace.openGenerator(m_generator);
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasGenerator(), FrameTimeoutMs);
        QVERIFY(waitForLatestFrame(explorer, workspace.renderService()));
        QVERIFY(!explorer->panelImage(0).isNull());
        qunsetenv("UNTANGLE_RESOURCE_DIR");
    }

    void directionsOfAnotherGeneratorAreClearedWhenItOpens()
    {
        // A GAN run that ends opens its generator over whatever was loaded: the shipped Scenes sets have the Sprites
        // generator's style size too, so only their provenance tells them apart. Drawn on it, they would move other
        // things under names they earned on Scenes (the Traversal page refuses them).
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        LatentWorkspace workspace;
        DirectionExplorer *explorer = workspace.explorer();
        explorer->setSampleCount(4);
        QVERIFY(workspace.openShippedGenerator("scenes-64"));
        QTRY_VERIFY_WITH_TIMEOUT(explorer->directions().count() > 0 && explorer->hasAfterSre(), FrameTimeoutMs);
        // Shipped files name the resources they came with, not the folders of whoever built them.
        QCOMPARE(explorer->directions().generator, std::string("generators/scenes-64/generator.pt"));
        const QString sprites = QString::fromStdString(shippedResourcePath("generators/sprites-64/generator.pt"));
        QSignalSpy opened(explorer, &DirectionExplorer::generatorOpened);
        explorer->openGenerator(sprites);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, FrameTimeoutMs);
        QCOMPARE(explorer->generatorInfo()->channels, 1);
        QCOMPARE(explorer->directions().count(), 0);
        QVERIFY(!explorer->hasAfterSre());
        QCOMPARE(explorer->sliders()->count(), 0);
        QVERIFY2(explorer->errorText().contains("Directions cleared") && explorer->errorText().contains("Scenes"),
            qPrintable(explorer->errorText()));
        // Its own sets load on it.
        QVERIFY(
            explorer->loadDirections(QString::fromStdString(shippedResourcePath("generators/sprites-64/sefa.json"))));
        QVERIFY(explorer->directions().count() > 0);
        QVERIFY(explorer->errorText().isEmpty());
    }

    void directionsOfAnotherStyleSizeAreRefused()
    {
        auto workspace = openWorkspace();
        QVERIFY(workspace);
        DirectionSet other = loadDirectionSet(m_directions.toStdString());
        other.styleSize = 4;
        for (auto &direction : other.directions)
            direction.vector.resize(4);
        saveDirectionSet(other, path("small.json").toStdString());
        QString error;
        QVERIFY(!workspace->explorer()->loadDirections(path("small.json"), &error));
        QVERIFY2(error.contains("small.json"), qPrintable(error));
        QCOMPARE(workspace->explorer()->directions().count(), 4); // the loaded set stays
    }

    void metricsPanelShowsScoresAndSreRankingAccuracy()
    {
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        workspace.openGenerator(m_generator);
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasGenerator(), FrameTimeoutMs);
        QVERIFY(explorer->loadDirections(m_directions));
        // An SRE run folder: directions.json beside metrics.jsonl, whose LAST line holds the accuracies shown.
        QVERIFY(QDir().mkpath(path("sre")));
        QVERIFY(QFile::copy(m_otherDirections, path("sre/directions.json")));
        QFile metrics(path("sre/metrics.jsonl"));
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        // Lines as the runner writes them; a damaged last line is left out, not shown as zeros.
        metrics.write("{\"step\":5,\"lossS\":0.7,\"lossD\":0.7,\"accuracy\":[0.5,0.5,0.5,0.5],"
                      "\"heldOutAccuracy\":[0.5,0.5,0.5,0.5],\"heldOutMean\":0.5,\"seconds\":1}\n"
                      "{\"step\":10,\"lossS\":0.6,\"lossD\":0.6,\"accuracy\":[0.9,0.8,0.7,0.6],"
                      "\"heldOutAccuracy\":[0.9,0.8,0.7,0.6],\"heldOutMean\":0.75,\"seconds\":2}\n"
                      "{\"step\":15,\"heldOutAcc");
        metrics.close();
        QVERIFY(explorer->loadAfterSre(path("sre/directions.json")));
        QVERIFY(!workspace.metrics()->chart()->legend->visible()); // nothing evaluated: no stray legend box
        QTableWidget *directions = workspace.metrics()->directionTable();
        QCOMPARE(directions->rowCount(), 4);
        QCOMPARE(directions->item(0, 2)->text(), QString("0.900"));
        QCOMPARE(directions->item(3, 2)->text(), QString("0.600"));
        QCOMPARE(explorer->sliders()->badgeLabel(0)->text(), QString("SRE 0.90")); // beside the slider too
        QVERIFY(explorer->loadAfterSre(QString()));
        QVERIFY(explorer->sliders()->badgeLabel(0)->text().isEmpty());
        // An SRE set carries each direction's accuracy at its own step (a shipped set has no log beside it; a run's
        // kept step need not be its last): that is what is shown, not the folder's last log.
        DirectionSet kept = loadDirectionSet(path("sre/directions.json").toStdString());
        kept.method += "+sre";
        kept.provenance = {{"step", "5"}};
        for (int k = 0; k < kept.count(); ++k)
            kept.directions[std::size_t(k)].score = 0.55 + 0.1 * k;
        saveDirectionSet(kept, path("sre/kept.json").toStdString());
        QVERIFY(explorer->loadAfterSre(path("sre/kept.json")));
        QCOMPARE(directions->item(0, 2)->text(), QString("0.550"));
        QCOMPARE(directions->item(3, 2)->text(), QString("0.850"));
        QCOMPARE(explorer->sliders()->badgeLabel(1)->text(), QString("SRE 0.65"));
        QVERIFY(explorer->loadAfterSre(path("sre/directions.json")));

        // One seed: the numbers, a change without an interval, and a status that says so.
        DirectionScores before;
        before.label = "before";
        before.values = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        before.floors = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06};
        before.seedValues = {before.values};
        before.heldOutR2 = {0.9, 0.8, 0.7, 0.6};
        before.summary = "b";
        DirectionScores after = before;
        after.label = "after";
        after.values = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
        after.seedValues = {after.values};
        after.heldOutR2 = {0.95, 0.85, 0.75, 0.65};
        after.summary = "MIG 0.200; beta-VAE 0.700 (noise floor 0.060)";
        // Before any result the empty chart says what fills it; the result replaces the hint.
        QCOMPARE(workspace.metrics()->chart()->itemCount(), 1);
        workspace.metrics()->setScores({before, after});
        QCOMPARE(workspace.metrics()->chart()->itemCount(), 0);
        // The newest summary, naming the metric as the chart's axis does.
        QVERIFY2(workspace.metrics()->statusText().endsWith("MIG 0.200; β-VAE 0.700 (noise floor 0.060)"),
            qPrintable(workspace.metrics()->statusText()));
        QVERIFY(workspace.metrics()->statusText().startsWith("One seed, so no interval"));
        QCOMPARE(workspace.metrics()->chart()->plottableCount(), 3); // two bar sets and the noise floor
        auto *bars = qobject_cast<QCPBars *>(workspace.metrics()->chart()->plottable(1));
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), 6);
        QCOMPARE(bars->data()->at(4)->value, 0.6); // FactorVAE after SRE
        QTableWidget *table = workspace.metrics()->metricTable();
        QCOMPARE(table->rowCount(), 6);
        QCOMPARE(table->columnCount(), 4); // before, after, after - before, noise floor
        QCOMPARE(table->item(0, 1)->text(), QString("0.200"));
        QCOMPARE(table->item(0, 2)->text(), QString("+0.100"));
        QCOMPARE(table->horizontalHeaderItem(2)->text(), QString("after − before\n(1 seed)"));
        QCOMPARE(table->item(5, 3)->text(), QString("0.060"));
        QCOMPARE(directions->item(1, 4)->text(), QString("0.850"));

        // Three seeds: means, each bar's range over the seeds, and the change seed by seed (paired), bold where
        // every seed agrees on its sign.
        before.seedValues
            = {{0.10, 0.2, 0.3, 0.4, 0.5, 0.6}, {0.08, 0.2, 0.3, 0.4, 0.5, 0.6}, {0.12, 0.2, 0.3, 0.4, 0.5, 0.6}};
        after.seedValues
            = {{0.20, 0.3, 0.4, 0.5, 0.6, 0.7}, {0.16, 0.3, 0.4, 0.5, 0.6, 0.7}, {0.24, 0.3, 0.4, 0.5, 0.6, 0.7}};
        after.seedValues[1][1] = 0.1; // DCI D: one seed of three falls
        after.values[1] = (0.3 + 0.1 + 0.3) / 3;
        workspace.metrics()->setScores({before, after});
        QVERIFY2(workspace.metrics()->statusText().startsWith("Means over 3 seeds"),
            qPrintable(workspace.metrics()->statusText()));
        QCOMPARE(workspace.metrics()->chart()->plottableCount(), 5); // two bar sets, their ranges, the noise floor
        auto *range = qobject_cast<QCPErrorBars *>(workspace.metrics()->chart()->plottable(1));
        QVERIFY(range);
        QCOMPARE(range->dataPlottable(), workspace.metrics()->chart()->plottable(0));
        QVERIFY(std::abs(range->data()->at(0).errorMinus - 0.02) < 1e-12); // MIG before: 0.10 - 0.08
        QVERIFY(std::abs(range->data()->at(0).errorPlus - 0.02) < 1e-12);
        QCOMPARE(table->horizontalHeaderItem(2)->text(), QString("after − before\n[range over 3 seeds]"));
        QCOMPARE(table->item(0, 2)->text(), QString("+0.100 [+0.080, +0.120]"));
        QVERIFY(table->item(0, 2)->font().bold());
        QCOMPARE(table->item(1, 2)->text(), QString("+0.033 [−0.100, +0.100]"));
        QVERIFY(!table->item(1, 2)->font().bold());
        const PairedChange change = pairedChange(before, after, 1);
        QCOMPARE(change.seeds, 3);
        QVERIFY(std::abs(change.low + 0.1) < 1e-12 && std::abs(change.high - 0.1) < 1e-12);
        QCOMPARE(pairedChange(before, DirectionScores {}, 0).seeds, 0); // nothing shared, nothing claimed
        QCOMPARE(directions->item(1, 4)->text(), QString("0.850"));
    }

    void sreRunResumesFromThePanelWithItsOwnSettings()
    {
        // An SRE run stopped at step 12 of 20, written by the runner as the CLI or an earlier session would.
        const SreConfig config = test::tinySreConfig(m_generator.toStdString(), m_directions.toStdString());
        const QString run = path("sre-resume");
        SreCallbacks stopper;
        stopper.progress = [](double fraction, const std::string &) { return fraction < 0.6; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runSre(config, stopper, run.toStdString()));
        QVERIFY(!QFileInfo::exists(run + "/directions.json"));

        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionComputePanel *panel = workspace.compute();
        QVERIFY(!panel->resumeSre(path("not-an-sre-run"))); // said, nothing started
        QVERIFY2(panel->statusText().contains("Cannot resume"), qPrintable(panel->statusText()));
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->resumeSre(run));
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(panel->statusText().contains("SRE done"), qPrintable(panel->statusText()));
        // The run's generator and initial directions are opened, its result shown as "after SRE".
        DirectionExplorer *explorer = workspace.explorer();
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasGenerator(), FrameTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(explorer->directionsPath(), m_directions, FrameTimeoutMs);
        QCOMPARE(QFileInfo(explorer->afterSrePath()).canonicalFilePath(),
            QFileInfo(run + "/directions.json").canonicalFilePath());
        // The curve is whole: the two lines logged before the stop are replayed, then steps 15 and 20.
        MetricPlot *plot = panel->accuracyPlot();
        const int mean = plot->seriesId("mean");
        QVERIFY(mean >= 0);
        QCOMPARE(plot->pointCount(mean), 4);
        QCOMPARE(readSreConfig(run.toStdString()).steps, 20);
        QVERIFY(QFileInfo::exists(run + "/snapshots/step-20.json"));
    }

    void mainWindowOpensGeneratorsAndRemembersThem()
    {
        MainWindow window;
        QVERIFY(isGeneratorPath(m_generator));
        QVERIFY(isGeneratorPath(m_dir.path())); // a folder holding generator.pt (a GAN run folder)
        QVERIFY(!isGeneratorPath(path("sefa.json")));
        window.openGenerator(m_generator);
        QCOMPARE(window.workspaces()->currentWidget(), static_cast<QWidget *>(window.latent()));
        QTRY_VERIFY_WITH_TIMEOUT(window.latent()->explorer()->hasGenerator(), FrameTimeoutMs);
        QCOMPARE(window.recentGenerators().value(0), m_generator);
        window.close();
    }

    void openPathSendsGeneratorsToTheLatentWorkspace()
    {
        // The path a drop or `untangle PATH` hands over: a generator opens in Latent, a folder without one does not.
        MainWindow window;
        window.workspaces()->setCurrentIndex(0); // Debias
        QString error;
        QVERIFY(!window.openRunFolder(path("sre"), true, &error)); // neither a generator nor a debias run...
        QVERIFY2(error.contains("latent directions") && error.contains("Latent workspace"), qPrintable(error));
        QVERIFY(!window.openPath(path("sre"), true));
        QCOMPARE(window.workspaces()->currentIndex(), 0);
        // ... but a GAN run folder opened as a run opens where it belongs.
        QVERIFY(window.openRunFolder(m_dir.path(), true, &error));
        QCOMPARE(window.workspaces()->currentWidget(), static_cast<QWidget *>(window.latent()));
        QTRY_VERIFY_WITH_TIMEOUT(window.latent()->explorer()->hasGenerator(), FrameTimeoutMs);
        window.workspaces()->setCurrentIndex(0);
        QVERIFY(window.openPath(m_generator));
        QCOMPARE(window.workspaces()->currentWidget(), static_cast<QWidget *>(window.latent()));
        QTRY_COMPARE_WITH_TIMEOUT(window.latent()->explorer()->generatorPath(), m_generator, FrameTimeoutMs);
        window.close();
    }
};

QTEST_MAIN(TstLatentExplorer)
#include "tst_latentexplorer.moc"
