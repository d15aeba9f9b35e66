// What the Latent workspace says a direction does: the Factors page's direction x factor matrix (checked against an
// independent rescoring), the one attribution every page names (traversal, metrics, retrieval), computed on its own
// for new sets, live beside SRE's curves without changing the run, and never for generators of real images.
#include "cellheatmap.h"
#include "dataerror.h"
#include "directioncomputepanel.h"
#include "directionexplorer.h"
#include "directionmetricspanel.h"
#include "directions/directionfinder.h"
#include "directionsliderbank.h"
#include "factorattributionpanel.h"
#include "factors/factorlabels.h"
#include "factors/factorrescoring.h"
#include "factors/factorworld.h"
#include "generatorworld.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "progress.h"
#include "retrievalpanel.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/retrievalselfcheck.h"
#include "shippedresources.h"
#include "sre/srerunner.h"
#include "traversalview.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tinysre.h"

#include <algorithm>

using namespace untangle;

namespace {
constexpr int FrameTimeoutMs = 20000;
constexpr int JobTimeoutMs = 300000; // an attribution job on a busy machine: generous, the wait ends at the signal
} // namespace

class TstLatentFactors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_generator, m_directions;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /** Shows the workspace as the app does at launch (1280x800), with 16 latents per attribution so tests are quick;
     *  false when the window never appeared. */
    static bool showAsAtLaunch(LatentWorkspace &workspace)
    {
        qunsetenv("UNTANGLE_RESOURCE_DIR"); // the shipped generators of the source tree
        workspace.factors()->setSamples(16);
        workspace.resize(1280, 800);
        workspace.show();
        return QTest::qWaitForWindowExposed(&workspace);
    }

    /** A copy of a shipped Scenes set without the attribution `label` stored in it: a set the workspace must
     *  attribute itself. */
    QString unattributedShippedSet(const QString &name)
    {
        DirectionSet set
            = loadDirectionSet(shippedResourcePath("generators/scenes-64/" + name.toStdString() + ".json"));
        set.attribution = {};
        const QString copy = path(QStringLiteral("unattributed-%1.json").arg(name));
        saveDirectionSet(set, copy.toStdString());
        return copy;
    }

    /** The shipped SeFa sets, unattributed, loaded over the ones the workspace opened with. False when a load failed.
     */
    bool loadUnattributedShippedSets(DirectionExplorer *explorer)
    {
        return explorer->loadDirections(unattributedShippedSet("sefa"))
            && explorer->loadAfterSre(unattributedShippedSet("sefa-sre")) && !explorer->attribution(0)
            && !explorer->attribution(1);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-latent-factors-test");
        m_generator = path("generator.pt"); // tiny, of no rendered world (1 channel, 16 px)
        selfcheck::writeRandomStyleGenerator(m_generator.toStdString());
        DirectionsRequest request;
        request.generatorPath = m_generator.toStdString();
        request.count = 4;
        m_directions = path("sefa.json");
        saveDirectionSet(findDirections(request), m_directions.toStdString());
    }

    void factorMapsMatchAnIndependentRescoringAndNameTheDirections()
    {
        // The shipped Scenes generator and SeFa set (small, already on disk), with few latents so it takes seconds.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        constexpr int Samples = 16;
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasDirections(), FrameTimeoutMs);
        FactorAttributionPanel *panel = workspace.factors();
        panel->setSamples(Samples);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->attribute());
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(!panel->results().isEmpty(), qPrintable(panel->status()));
        // The caption with the authors' statistic is the page's last word, not the job's last progress line.
        QTRY_VERIFY2(panel->status().contains("off-diagonal"), qPrintable(panel->status()));

        // The same numbers computed here, outside the GUI's job.
        FactorRescoringOptions options;
        options.samples = Samples; // with its random-direction floor, which the labels read cells against
        const DirectionSet set = explorer->directions();
        const auto expected = rescoreDirections(explorer->generatorPath().toStdString(), set, options);
        const auto floor = randomDirectionFloor(expected.floorMagnitude);
        QCOMPARE(int(floor.size()), 6);
        const auto &shown = panel->results().first();
        QCOMPARE(shown.randomFloor, floor);
        // The authors' statistic with its interval over the same latents, as the CLI computes it.
        QCOMPARE(shown.samples, Samples);
        QVERIFY2(panel->status().contains(QString::fromStdString(expected.authors.offDiagonal.format(3))),
            qPrintable(panel->status()));
        QVERIFY(expected.authors.offDiagonal.low <= expected.authors.offDiagonal.high);
        QCOMPARE(int(shown.magnitude.size()), set.count());
        QCOMPARE(shown.factorNames.size(), 6);
        for (int k = 0; k < set.count(); ++k)
            for (int f = 0; f < 6; ++f)
                QVERIFY(std::abs(shown.magnitude[k][f] - expected.magnitude.at(k, f)) < 1e-9);
        const auto labels = factorLabels(expected.magnitude, expected.factorNames, floor);
        CellHeatMap *map = panel->map(0);
        QCOMPARE(map->rowCount(), set.count());
        // Column labels stay narrow: words on their own lines, a long one split in two.
        QCOMPARE(factorColumnLabel("floor_hue"), QString("floor\nhue"));
        QCOMPARE(factorColumnLabel("orientation"), QString("orient-\nation"));
        QCOMPARE(factorColumnLabel("scale"), QString("scale"));
        QCOMPARE(map->columnCount(), 6);
        for (int k = 0; k < set.count(); ++k)
            QCOMPARE(shown.labels[k], QString::fromStdString(labels[std::size_t(k)].text));
        // The cells as the names read them: each divided by a random direction's change of its factor.
        QVERIFY(panel->timesRandom()); // the default
        for (int k = 0; k < set.count(); ++k)
            for (int f = 0; f < 6; ++f)
                QVERIFY(std::abs(map->value(k, f)
                            - std::abs(expected.magnitude.at(k, f)) / std::max(1e-3, floor[std::size_t(f)]))
                    < 1e-9);
        QVERIFY2(panel->status().contains("divided by what random directions move"), qPrintable(panel->status()));
        for (int k = 0; k < set.count(); ++k) // the row names do not change with the view
            QVERIFY(map->rowLabel(k).endsWith(shown.labels[k]));
        panel->setTimesRandom(false);
        QVERIFY(std::abs(map->value(0, 0) - expected.magnitude.at(0, 0)) < 1e-9);

        // Naming: the sliders take the labels, the old names stay in the notes.
        QVERIFY(panel->nameDirections());
        for (int k = 0; k < set.count(); ++k)
            QCOMPARE(explorer->directions().directions[std::size_t(k)].name, labels[std::size_t(k)].text);
        QVERIFY(explorer->directions().directions[0].note.rfind("was: ", 0) == 0);
    }

    void everyPageNamesTheSameFactorForADirection()
    {
        // One attribution (the Factors page's, on the shipped Scenes generator with both its sets) is what the
        // traversal rows, the metrics table and retrieval's relevance all name: they cannot disagree.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        QStandardPaths::setTestModeEnabled(true); // the pool's score cache goes to a test location
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasDirections() && explorer->hasAfterSre(), FrameTimeoutMs);
        QVERIFY(loadUnattributedShippedSets(explorer));
        // Not attributed yet: the metrics table says so with a dash, as for every number not computed.
        QCOMPARE(workspace.metrics()->directionTable()->item(0, 1)->text(), QString("—"));
        QVERIFY(workspace.metrics()->directionTable()->item(0, 1)->toolTip().contains("attribution"));
        workspace.factors()->setSamples(16);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(workspace.factors()->attribute());
        QVERIFY(idle.wait(JobTimeoutMs));
        const FactorAttribution *before = explorer->attribution(0), *after = explorer->attribution(1);
        QVERIFY2(before && after, qPrintable(workspace.factors()->status()));
        const int count = explorer->directions().count();
        QCOMPARE(before->labels, workspace.factors()->results()[0].labels);
        // The caption reads the before/after gap against the intervals, so a gap within the noise is not sold as one.
        const QString change = intervalChangeText(before->authorsOffDiagonal, after->authorsOffDiagonal);
        QVERIFY2(workspace.factors()->status().contains("After SRE the off-diagonal (spill-over, lower is better) "
                                                        "shows "
                     + change),
            qPrintable(workspace.factors()->status()));
        QCOMPARE(change.startsWith("no clear change"),
            intervalOrder(after->authorsOffDiagonal, before->authorsOffDiagonal) == IntervalOrder::Overlapping);
        // Each label is the dominant factor of its row, computed here from the matrix the page shows: the largest
        // cell in units of what a random direction moves of that factor (floors under 0.001 count as 0.001).
        QCOMPARE(int(before->randomFloor.size()), before->factorNames.size());
        QCOMPARE(after->randomFloor, before->randomFloor); // one generator, one floor
        for (int k = 0; k < count; ++k) {
            const auto &row = before->magnitude[k];
            int top = 0;
            for (int f = 1; f < row.size(); ++f)
                if (row[f] / std::max(1e-3, before->randomFloor[std::size_t(f)])
                    > row[top] / std::max(1e-3, before->randomFloor[std::size_t(top)]))
                    top = f;
            QCOMPARE(before->dominantFactor[k], top);
            QVERIFY2(before->labels[k].startsWith(QString(before->factorNames[top]).replace('_', ' ')),
                qPrintable(before->labels[k]));
        }

        // Traversal: each row carries its direction's label (of the set it shows).
        QSignalSpy rendered(workspace.traversal(), &TraversalView::traversalRendered);
        workspace.traversal()->renderTraversal();
        QVERIFY(rendered.wait(FrameTimeoutMs));
        const QStringList rows = workspace.traversal()->shownRowNames();
        QCOMPARE(rows.size(), count);
        for (int k = 0; k < count; ++k)
            QVERIFY2(rows[k].endsWith(before->labels[k]), qPrintable(rows[k] + " / " + before->labels[k]));

        // Metrics: the "moves most" column, before -> after where SRE changed it.
        QTableWidget *table = workspace.metrics()->directionTable();
        for (int k = 0; k < count; ++k) {
            const QString expected = after->labels[k] == before->labels[k]
                ? before->labels[k]
                : before->labels[k] + " → " + after->labels[k];
            QCOMPARE(table->item(k, 1)->text(), expected);
        }

        // Retrieval with a score network over the explorer's main set judges by the same factor.
        QTemporaryDir dir;
        const QString scoreFile = dir.filePath("estimator.pt");
        selfcheck::writeRandomScoreNetwork(
            scoreFile.toStdString(), 3, 64, count, 5, "sre-estimator", 32, explorer->directionsPath().toStdString());
        RetrievalPanel *retrieval = workspace.retrieval();
        retrieval->setScoreFile(scoreFile);
        retrieval->poolCount()->setValue(60);
        QVERIFY2(retrieval->encodePool(), qPrintable(retrieval->statusText()));
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(retrieval->hasPool(), qPrintable(retrieval->statusText()));
        for (int k = 0; k < count; ++k) {
            bool shared = false;
            retrieval->relevanceFactor(k, &shared);
            QVERIFY(shared);
            QCOMPARE(retrieval->relevanceFactorName(k), before->dominantFactorName(k));
        }
        QVERIFY(retrieval->setQueryFromPool(0));
        QVERIFY2(retrieval->precisionText().contains("moves most"), qPrintable(retrieval->precisionText()));
        // A hue direction's factor as the other pages write it ("floor hue"), never as its key ("floor_hue").
        int hue = -1;
        for (int k = 0; k < count && hue < 0; ++k)
            if (retrieval->relevanceFactorName(k).contains('_'))
                hue = k;
        QVERIFY2(hue >= 0, "the shipped SeFa set has floor-hue directions");
        retrieval->directionCombo()->setCurrentIndex(hue);
        QVERIFY(retrieval->setQueryFromPool(0));
        const QString factorWords = QString(retrieval->relevanceFactorName(hue)).replace('_', ' ');
        // Hues wrap (the last is next to the first), and the caption says so.
        QVERIFY2(retrieval->precisionText().contains("relevant: same " + factorWords + " ±1 step (wraps around);"),
            qPrintable(retrieval->precisionText()));
        QVERIFY2(!retrieval->precisionText().contains('_'), qPrintable(retrieval->precisionText()));
        // Every direction's caption states the rule of its factor's kind, with the chance of that rule.
        const RetrievalPool &pool = retrieval->encoding()->pool;
        for (int k = 0; k < count; ++k) {
            retrieval->directionCombo()->setCurrentIndex(k);
            QVERIFY(retrieval->setQueryFromPool(0));
            const int factor = retrieval->relevanceFactor(k);
            const QString words = QString::fromStdString(pool.factorNames[std::size_t(factor)]).replace('_', ' ');
            const FactorKind kind = pool.factorKinds[std::size_t(factor)];
            QCOMPARE(kind, FactorWorld::of(WorldKind::Scenes).factors[std::size_t(factor)].kind);
            QVERIFY2(retrieval->precisionText().contains(
                         QString("chance %1 (relevant: %2;")
                             .arg(retrieval->encoding()->factorChance.value(factor), 0, 'f', 2)
                             .arg(RetrievalPanel::relevanceRule(kind, words))),
                qPrintable(retrieval->precisionText()));
        }

        // Another set replaces the attribution everywhere: none is named until it is attributed again.
        QVERIFY(explorer->loadDirections(unattributedShippedSet("ganspace")));
        QVERIFY(!explorer->attribution(0));
        // The after-SRE set (unchanged) keeps its name; the new main set's is unknown.
        QCOMPARE(table->item(0, 1)->text(), "? → " + after->labels[0]);
        bool shared = true;
        retrieval->relevanceFactor(0, &shared);
        QVERIFY(!shared);
        QVERIFY2(
            workspace.factors()->status().contains("attribute them again"), qPrintable(workspace.factors()->status()));
    }

    void realImageGeneratorsAreNotReadAsAWorld()
    {
        // A GAN run folder that learned MNIST digits: 3 channels like Scenes, but no reader knows its factors.
        const auto writeRun = [this](const QString &name, const QString &dataset) {
            const QString dir = path(name);
            QDir().mkpath(dir);
            selfcheck::writeRandomStyleGenerator((dir + "/generator.pt").toStdString());
            QFile config(dir + "/config.json");
            if (!config.open(QIODevice::WriteOnly))
                return QString();
            config.write(QString(R"({"sprites": false, "resolution": 32, "batch": 8, "learningRate": 0.002,
                "beta1": 0.0, "beta2": 0.99, "emaBeta": 0.999, "sampleEvery": 10, "checkpointEvery": 10, "seed": 1,
                "latentSize": 8, "styleSize": 8, "mappingLayers": 2, "baseChannels": 16, "minChannels": 4,
                "discriminatorChannels": 16, "dataset": {"kind": "%1", "ratio": 0.9, "seed": 0, "path": ""}})")
                             .arg(dataset)
                             .toUtf8());
            return dir + "/generator.pt";
        };
        const QString digits = writeRun("gan-digits", "cmnist10k");
        const QString scenes = writeRun("gan-scenes", "scenes");
        QVERIFY(!mayBelongToRenderedWorld(digits));
        QVERIFY(!mayBelongToRenderedWorld(QFileInfo(digits).path())); // the run folder itself
        QVERIFY(mayBelongToRenderedWorld(scenes));
        QVERIFY(mayBelongToRenderedWorld(m_generator)); // no run config beside it: the image shape decides
        QFile damaged(QFileInfo(scenes).dir().filePath("config.json"));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write(QByteArray(100000, '['));
        damaged.close();
        QVERIFY(mayBelongToRenderedWorld(scenes)); // an unreadable config is no evidence either way

        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        workspace.openGenerator(digits);
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasGenerator(), FrameTimeoutMs);
        QVERIFY(explorer->loadDirections(m_directions));
        QVERIFY(!workspace.factors()->attribute()); // refused, said, nothing started
        QVERIFY(!controller.isBusy());
        QVERIFY2(workspace.factors()->status().contains("real images"), qPrintable(workspace.factors()->status()));
    }

    void shippedSetsBringTheirAttribution()
    {
        // `label` stores its 512-latent matrix in each shipped set: at launch every page has it at once, the sliders
        // carry its names, and no naming job takes the worker.
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showAsAtLaunch(workspace));
        QSignalSpy started(&controller, &JobController::started);
        workspace.setAutoAttribution(true);
        QVERIFY(workspace.openShippedGenerator());
        DirectionExplorer *explorer = workspace.explorer();
        QTRY_VERIFY_WITH_TIMEOUT(explorer->attribution(0) && explorer->attribution(1), FrameTimeoutMs);
        const FactorAttribution *before = explorer->attribution(0);
        QCOMPARE(before->samples, 512);
        for (int k = 0; k < explorer->directions().count(); ++k) // the names the sliders show are its labels
            QCOMPARE(QString::fromStdString(explorer->directions().directions[std::size_t(k)].name), before->labels[k]);
        QCOMPARE(workspace.factors()->results().size(), 2); // the Factors page shows both maps
        QVERIFY(!workspace.attributionDue());
        QTest::qWait(1000);
        QCOMPARE(started.count(), 0);
        // Measured on other weights, it is not shown: the same vectors move other things there.
        QVERIFY(!storedAttributionOf(explorer->directions(), "x", "ffffffffffffffff"));
        QVERIFY(storedAttributionOf(explorer->directions(), "x", explorer->directions().generatorFingerprint));
    }

    void autoAttributionNamesNewSetsOnItsOwn()
    {
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showAsAtLaunch(workspace));
        workspace.setAutoAttribution(true);
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(
            workspace.explorer()->hasDirections() && workspace.explorer()->hasAfterSre(), FrameTimeoutMs);
        QVERIFY(loadUnattributedShippedSets(workspace.explorer()));
        QTRY_VERIFY_WITH_TIMEOUT(
            workspace.explorer()->attribution(0) && workspace.explorer()->attribution(1), JobTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy(), JobTimeoutMs);
        // Attributed once: a later idle worker does not start it again.
        QSignalSpy started(&controller, &JobController::started);
        QTest::qWait(1000);
        QCOMPARE(started.count(), 0);
    }

    void autoAttributionGivesWayToTheUsersJob()
    {
        // The app names a loaded set on its own (minutes on a loaded machine). A newcomer who clicks Evaluate
        // meanwhile is not told "another job is running": the naming stops and the evaluation runs.
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showAsAtLaunch(workspace));
        QSignalSpy started(&controller, &JobController::started);
        QSignalSpy idle(&controller, &JobController::idle);
        workspace.setAutoAttribution(true);
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(
            workspace.explorer()->hasDirections() && workspace.explorer()->hasAfterSre(), FrameTimeoutMs);
        QVERIFY(loadUnattributedShippedSets(workspace.explorer())); // a user's sets: the app names them itself
        QTRY_VERIFY_WITH_TIMEOUT(controller.isBusy(), JobTimeoutMs);
        const QString naming = controller.currentTitle();
        QVERIFY(workspace.metrics()->evaluate());
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, JobTimeoutMs);
        QVERIFY(controller.currentTitle() != naming);
        QCOMPARE(idle.count(), 0); // handed over, never idle between
        QVERIFY2(workspace.factors()->status().startsWith("Stopped before every direction was measured"),
            qPrintable(workspace.factors()->status()));
        QVERIFY(!workspace.explorer()->attribution(0));
        QCOMPARE(workspace.metrics()->statusText(), QString("Evaluating…"));
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, JobTimeoutMs);
        QVERIFY2(workspace.metrics()->statusText().startsWith("Stopped before the scores were ready"),
            qPrintable(workspace.metrics()->statusText()));
        // The naming is not forced on the user again: it was attempted for these sets.
        QTest::qWait(1000);
        QCOMPARE(started.count(), 2);
    }

    void stoppingAnAttributionStopsItMidSet()
    {
        // A stop (or the application closing, which stops the running job and waits for it) is heard between
        // shifted batches, not only between sets: the first set's rescoring ends where it is and names nothing.
        // It used to run the whole set first, over two minutes on a loaded machine, holding up the window's close.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasDirections() && explorer->hasAfterSre(), FrameTimeoutMs);
        QVERIFY(loadUnattributedShippedSets(explorer));
        FactorAttributionPanel *panel = workspace.factors();
        panel->setSamples(16);
        QStringList messages;
        connect(&controller, &JobController::progress, this, [&](double, const QString &message) {
            messages << message;
            if (message.contains("shifting along direction"))
                controller.stop();
        });
        QSignalSpy stopped(&controller, &JobController::stopped);
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->attribute());
        QVERIFY(idle.wait(JobTimeoutMs));
        QCOMPARE(stopped.count(), 1);
        QCOMPARE(succeeded.count(), 0);
        QVERIFY2(panel->results().isEmpty(), qPrintable(messages.join(" | ")));
        QVERIFY(!explorer->attribution(0));
        // The progress said which set and which direction it was on.
        QVERIFY2(
            !messages.filter(QRegularExpression("^Rescoring before SRE \\(.*\\): shifting along direction \\d+ of 10$"))
                 .isEmpty(),
            qPrintable(messages.join(" | ")));
        QVERIFY2(messages.filter("after SRE").isEmpty(), qPrintable(messages.join(" | ")));
    }

    void everySliderShowsAt1280x800()
    {
        // The shipped sets' ten sliders all show over the grids at 1280 x 800 (at 264 px grids the list was cut at
        // its eighth row); the grids keep at least 3 x 64 px.
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showAsAtLaunch(workspace));
        QVERIFY(workspace.openShippedGenerator());
        DirectionExplorer *explorer = workspace.explorer();
        const auto badge = [explorer](int k) { return explorer->sliders()->badgeLabel(k); };
        QTRY_VERIFY_WITH_TIMEOUT(
            explorer->directions().count() == 10 && badge(9) && badge(9)->isVisible(), FrameTimeoutMs);
        QApplication::processEvents();
        for (int k = 0; k < 10; ++k) // each row whole inside the list's viewport
            QVERIFY2(badge(k)->visibleRegion().boundingRect().height() == badge(k)->height(),
                qPrintable(QString::number(k)));
        QVERIFY(explorer->panelLabel(0)->height() >= 3 * 64);
    }

    void aSetComputedAgainTakesTheStoredNames()
    {
        // SeFa computed again on the shipped Scenes generator is its shipped set: the live rows take the names `label`
        // stored on 512 latents, as every other page shows them, and no naming job measures new ones on the Factors
        // page's 16 (which name some rows otherwise).
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showAsAtLaunch(workspace));
        QVERIFY(workspace.openShippedGenerator());
        DirectionExplorer *explorer = workspace.explorer();
        QTRY_VERIFY_WITH_TIMEOUT(explorer->attribution(0), FrameTimeoutMs);
        const QStringList stored = explorer->attribution(0)->labels;
        QCOMPARE(explorer->attribution(0)->samples, 512);
        DirectionComputePanel *panel = workspace.compute();
        QSignalSpy progress(&controller, &JobController::progress);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->compute()); // SeFa, K = 10, + SRE: the page's defaults
        QTRY_VERIFY_WITH_TIMEOUT(panel->liveStep() >= 0, JobTimeoutMs);
        controller.stop();
        QVERIFY(idle.count() > 0 || idle.wait(JobTimeoutMs));
        QCOMPARE(panel->liveMatrix()->rowCount(), stored.size());
        for (int k = 0; k < stored.size(); ++k)
            QCOMPARE(panel->liveMatrix()->rowLabel(k), QStringLiteral("d%1 → %2").arg(k + 1).arg(stored[k]));
        QVERIFY2(panel->liveCaption().contains("by the starting set on 512 latents"), qPrintable(panel->liveCaption()));
        for (const auto &call : progress)
            QVERIFY2(!call.at(1).toString().contains("Naming"), qPrintable(call.at(1).toString()));
    }

    void sreShowsTheFactorMatrixLiveWithoutChangingTheRun()
    {
        // The shipped Scenes generator has a factor reader; a short SRE run with a live matrix every 5 steps.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        const QString generator = QString::fromStdString(shippedResourcePath("generators/scenes-64/generator.pt"));
        QVERIFY(!generator.isEmpty());
        // Unattributed, so the live rows are named on the Factors page's latents (a set `label` measured is named
        // by its stored attribution instead).
        const SreConfig config
            = test::tinySreConfig(generator.toStdString(), unattributedShippedSet("sefa").toStdString());
        const DirectionSet plain = runSre(config, {}, path("sre-plain").toStdString()).directions;
        SreCallbacks live;
        live.liveEvery = 5;
        QVector<int> steps;
        std::vector<double> floor; // measured at the first update, then reused as the job does
        live.live = [&](int step, const DirectionSet &set) {
            steps << step;
            const std::vector<double> before = floor;
            const FactorAttribution a = attributeDirections(generator, set, "live", 8, floor);
            QCOMPARE(a.magnitude.size(), set.count());
            QCOMPARE(int(floor.size()), a.factorNames.size());
            if (!before.empty())
                QCOMPARE(floor, before);
        };
        const DirectionSet watched = runSre(config, live, path("sre-live").toStdString()).directions;
        QCOMPARE(steps, (QVector<int> {5, 10, 15, 20}));
        // Watching changes nothing: the same directions to the last bit.
        QCOMPARE(watched.count(), plain.count());
        for (int k = 0; k < plain.count(); ++k)
            QVERIFY(watched.directions[std::size_t(k)].vector == plain.directions[std::size_t(k)].vector);

        // The Compute page shows it: a run stopped at step 12, resumed from the page.
        const QString run = path("sre-live-resume");
        SreCallbacks stopper;
        stopper.progress = [](double fraction, const std::string &) { return fraction < 0.6; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runSre(config, stopper, run.toStdString()));
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionComputePanel *panel = workspace.compute();
        QVERIFY(!panel->liveMatrix()->isVisibleTo(panel));
        constexpr int NameSamples = 16; // the Factors page's latents name the live rows
        workspace.factors()->setSamples(NameSamples);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel->resumeSre(run));
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(panel->statusText().contains("SRE done"), qPrintable(panel->statusText()));
        QCOMPARE(panel->liveStep(), 20);
        QVERIFY(panel->liveMatrix()->isVisibleTo(panel));
        QCOMPARE(panel->liveMatrix()->rowCount(), plain.count());
        QVERIFY2(panel->liveCaption().contains("at the start"), qPrintable(panel->liveCaption()));
        // The last matrix is the final directions' attribution, computed here independently.
        std::vector<double> checkFloor;
        const FactorAttribution expected = attributeDirections(
            generator, loadDirectionSet((run + "/snapshots/step-20.json").toStdString()), "check", 32, checkFloor);
        QVERIFY(panel->liveTimesRandom()); // the default, as on the Factors page
        panel->setLiveTimesRandom(false);
        for (int k = 0; k < plain.count(); ++k)
            for (int f = 0; f < expected.factorNames.size(); ++f)
                QVERIFY(std::abs(panel->liveMatrix()->value(k, f) - expected.magnitude[k][f]) < 1e-9);
        QVERIFY2(panel->liveCaption().contains(intervalText(expected.authorsOffDiagonal) + " now"),
            qPrintable(panel->liveCaption()));
        QVERIFY2(panel->liveCaption().contains("over 32 latents"), qPrintable(panel->liveCaption()));
        // x random direction: each cell over what random directions move of its factor, as the Factors page shows.
        QCOMPARE(int(checkFloor.size()), expected.factorNames.size());
        panel->setLiveTimesRandom(true);
        for (int k = 0; k < plain.count(); ++k)
            for (int f = 0; f < expected.factorNames.size(); ++f)
                QVERIFY(std::abs(panel->liveMatrix()->value(k, f)
                            - timesRandomDirection(expected.magnitude[k][f], checkFloor[std::size_t(f)]))
                    < 1e-9);
        panel->setLiveTimesRandom(false);
        QVERIFY(std::abs(panel->liveMatrix()->value(0, 0) - expected.magnitude[0][0]) < 1e-9);

        // The rows keep the names the starting set has on the Factors page's latents (32 misname weak factors), and
        // the explorer's pages take that attribution as the "before" set's.
        const DirectionSet initial = loadDirectionSet(config.directionsPath);
        std::vector<double> nameFloor;
        const FactorAttribution named = attributeDirections(generator, initial, "names", NameSamples, nameFloor);
        for (int k = 0; k < plain.count(); ++k)
            QCOMPARE(panel->liveMatrix()->rowLabel(k), QStringLiteral("d%1 → %2").arg(k + 1).arg(named.labels[k]));
        QVERIFY2(panel->liveCaption().contains("named as on the Factors page, by the starting set on 16 latents"),
            qPrintable(panel->liveCaption()));
        DirectionExplorer *explorer = workspace.explorer();
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasAfterSre(), FrameTimeoutMs);
        QVERIFY(explorer->attribution(0));
        QCOMPARE(explorer->attribution(0)->magnitude, named.magnitude);
        // The Factors page then measures only the "after" set, against the same floor, as one job of both would.
        QSignalSpy rescoring(&controller, &JobController::progress);
        QVERIFY(workspace.factors()->attribute());
        QVERIFY(idle.wait(JobTimeoutMs));
        const auto results = workspace.factors()->results();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].magnitude, named.magnitude);
        const FactorAttribution after
            = attributeDirections(generator, *explorer->afterSre(), "after", NameSamples, nameFloor);
        QCOMPARE(results[1].magnitude, after.magnitude);
        QCOMPARE(results[1].labels, after.labels);
        for (const auto &call : rescoring)
            QVERIFY2(!call.at(1).toString().contains("before SRE"), qPrintable(call.at(1).toString()));
    }
};

QTEST_MAIN(TstLatentFactors)
#include "tst_latentfactors.moc"
