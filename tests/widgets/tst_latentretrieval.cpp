// The Latent workspace's Retrieval panel on a tiny random score network and a small Sprites pool: encoding runs as a
// job, the gallery holds exactly k pool images and never the query, every result is judged against the ground truth
// by its factor's kind (same class, +-1 step, +-1 step around a circle), clicking a result re-queries with it, an image
// file can be the query, and a bad score file is an error message.
#include "directionexplorer.h"
#include "imagegrid.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "retrieval/retrieval.h"
#include "retrievalpanel.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/retrievalselfcheck.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace untangle;

namespace {
constexpr int PoolSize = 200;
constexpr int Directions = 3;
constexpr int JobTimeoutMs = 60000;

/** Relevance written out here, apart from the model's: the same class (categorical), one step (ordinal), one step
 *  around the circle of size values (circular). */
bool expectedRelevant(FactorKind kind, int size, int a, int b)
{
    const int forward = ((a - b) % size + size) % size; // steps from b to a going up, around the circle
    switch (kind) {
    case FactorKind::Categorical:
        return a == b;
    case FactorKind::Circular:
        return forward <= 1 || forward == size - 1;
    case FactorKind::Ordinal:
        break;
    }
    return std::abs(a - b) <= 1;
}
} // namespace

class TstLatentRetrieval : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_scoreFile;

    /** A panel with the tiny network's Sprites pool encoded. */
    bool encode(JobController &controller, RetrievalPanel &panel)
    {
        panel.setScoreFile(m_scoreFile);
        panel.poolCount()->setValue(PoolSize);
        QSignalSpy idle(&controller, &JobController::idle);
        if (!panel.encodePool())
            return false;
        return idle.wait(JobTimeoutMs) && panel.hasPool();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the score cache goes to a test location
        QVERIFY(m_dir.isValid());
        m_scoreFile = m_dir.filePath("estimator.pt");
        selfcheck::writeRandomScoreNetwork(m_scoreFile.toStdString(), 1, 32, Directions, 7);
    }

    void panelEncodesItsPoolWhenFirstShown()
    {
        // Shown with a score network and nothing running, the page encodes its pool and queries with its first
        // image on its own; shown again it does not encode again. Without a score network showing it starts
        // nothing, and its empty panes say what fills them.
        JobController controller;
        QSignalSpy started(&controller, &JobController::started);
        RetrievalPanel bare(nullptr, &controller);
        bare.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bare));
        QCOMPARE(started.count(), 0);
        QVERIFY(!bare.gallery()->emptyText().isEmpty()); // the empty panes say what fills them
        QVERIFY(!bare.poolGrid()->emptyText().isEmpty());

        RetrievalPanel panel(nullptr, &controller);
        panel.setScoreFile(m_scoreFile);
        panel.poolCount()->setValue(PoolSize);
        QSignalSpy idle(&controller, &JobController::idle);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(started.count(), 1);
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(panel.hasPool(), qPrintable(panel.statusText()));
        QCOMPARE(panel.queryIndex(), 0);
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());
        panel.hide();
        panel.show();
        QTest::qWait(50);
        QCOMPARE(started.count(), 1);
        QVERIFY(!controller.isBusy());
    }

    void galleryShowsKItemsWithoutTheQuery()
    {
        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        QVERIFY2(encode(controller, panel), qPrintable(panel.statusText()));
        QCOMPARE(panel.encoding()->pool.count(), PoolSize);
        QCOMPARE(panel.encoding()->scores.rows, PoolSize);
        QCOMPARE(panel.directionCombo()->count(), Directions);
        QCOMPARE(panel.poolGrid()->items().size(), PoolSize);
        for (int d = 0; d < Directions; ++d) // Sprites have ground truth: every direction tracks some factor
            QVERIFY(panel.encoding()->directionFactor.value(d, -1) >= 0);

        const int k = 7;
        panel.kSpin()->setValue(k);
        panel.directionCombo()->setCurrentIndex(1);
        const int query = 5;
        QVERIFY(panel.setQueryFromPool(query));
        QCOMPARE(panel.queryIndex(), query);
        QCOMPARE(panel.gallery()->items().size(), k);
        QCOMPARE(int(panel.resultIndices().size()), k);
        QVERIFY(std::find(panel.resultIndices().begin(), panel.resultIndices().end(), query)
            == panel.resultIndices().end());
        // Each frame says whether the result's value of the direction's factor is relevant to the query's, by that
        // factor's kind.
        const FactorMatrix &factors = panel.encoding()->pool.factors;
        const int factor = panel.encoding()->directionFactor[1];
        const FactorKind kind = panel.encoding()->pool.factorKinds[std::size_t(factor)];
        int relevant = 0;
        for (int i = 0; i < k; ++i) {
            const GridItem &item = panel.gallery()->items()[i];
            const bool hit = expectedRelevant(kind, factors.sizes[std::size_t(factor)],
                factors.at(panel.resultIndices()[std::size_t(i)], factor), factors.at(query, factor));
            relevant += hit;
            QCOMPARE(item.frame, hit ? QColor(40, 170, 60) : QColor(210, 50, 40));
            // The distance, then the value the frame was judged by.
            QVERIFY2(
                item.caption.endsWith(QString(" %1").arg(factors.at(panel.resultIndices()[std::size_t(i)], factor))),
                qPrintable(item.caption));
        }
        QVERIFY2(panel.precisionText().startsWith(
                     QString("precision@%1 = %2, chance").arg(k).arg(double(relevant) / k, 0, 'f', 2)),
            qPrintable(panel.precisionText()));
        // Distances ascend: the caption of the first is no larger than the last.
        const auto distanceOf = [](const GridItem &item) { return item.caption.section(" · ", 0, 0).toDouble(); };
        QVERIFY(distanceOf(panel.gallery()->items().front()) <= distanceOf(panel.gallery()->items().back()));
        QVERIFY2(panel.precisionText().contains(QString("The query's ")), qPrintable(panel.precisionText()));

        // Changing k re-queries.
        panel.kSpin()->setValue(3);
        QCOMPARE(panel.gallery()->items().size(), 3);
    }

    void relevanceFollowsTheFactorsKind()
    {
        QCOMPARE(RetrievalPanel::relevanceRule(FactorKind::Categorical, "shape"), QString("same shape"));
        QCOMPARE(RetrievalPanel::relevanceRule(FactorKind::Circular, "floor hue"),
            QString("same floor hue ±1 step (wraps around)"));
        QCOMPARE(RetrievalPanel::relevanceRule(FactorKind::Ordinal, "scale"), QString("same scale ±1 step"));

        // A hand-made encoding of six images: shape (categorical) and floor hue (circular, 10 values). Both
        // directions rank the pool 1 2 3 4 5 from image 0, so the top 3 of query 0 are images 1, 2, 3:
        //   shape 1, 0, 3 against 0: only image 2 is relevant (the +-1 rule would take image 1 too);
        //   hue 9, 2, 1 against 0: images 1 (9 wraps to 0) and 3 are relevant (the +-1 rule: only image 3).
        auto encoding = std::make_shared<PoolEncoding>();
        encoding->scoreFile = m_scoreFile;
        RetrievalPool &pool = encoding->pool;
        pool.description = "six hand-made images";
        pool.images.allocate(6, 8, 8, 1);
        pool.factors = FactorMatrix::fromRows({{0, 0}, {1, 9}, {0, 2}, {3, 1}, {2, 5}, {0, 8}}, {4, 10});
        pool.factorNames = {"shape", "floor_hue"};
        pool.factorKinds = {FactorKind::Categorical, FactorKind::Circular};
        encoding->scores = Matrix {6, 2, {0.0, 0.0, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5}};
        encoding->directionNames = QStringList {"shape direction", "hue direction"};
        encoding->directionFactor = {0, 1};
        // Chance over the whole pool: shapes 0 0 0 1 2 3 -> 3 * 2 ordered same-shape pairs of 30; hues 0 9 2 1 5 8
        // -> neighbours 0-9, 0-1, 1-2, 8-9: 8 ordered pairs of 30.
        const auto chance = relevanceChancePerFactor(pool.factors, pool.factorKinds);
        QCOMPARE(int(chance.size()), 2);
        QVERIFY(std::abs(chance[0] - 6.0 / 30) < 1e-12 && std::abs(chance[1] - 8.0 / 30) < 1e-12);
        encoding->precisionChance = {chance[0], chance[1]};
        encoding->factorChance = encoding->precisionChance;

        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        panel.setEncoding(encoding);
        panel.kSpin()->setValue(3);
        const QColor green(40, 170, 60), red(210, 50, 40);
        const auto frames = [&] {
            QList<QColor> out;
            for (const GridItem &item : panel.gallery()->items())
                out << item.frame;
            return out;
        };

        panel.directionCombo()->setCurrentIndex(0);
        QVERIFY(panel.setQueryFromPool(0));
        QCOMPARE(panel.resultIndices(), (std::vector<int> {1, 2, 3}));
        QCOMPARE(frames(), (QList<QColor> {red, green, red}));
        QVERIFY2(panel.precisionText().startsWith("precision@3 = 0.33, chance 0.20 (relevant: same shape; shape is"),
            qPrintable(panel.precisionText()));
        QVERIFY2(!panel.precisionText().contains("±1"), qPrintable(panel.precisionText()));

        panel.directionCombo()->setCurrentIndex(1);
        QCOMPARE(panel.resultIndices(), (std::vector<int> {1, 2, 3}));
        QCOMPARE(frames(), (QList<QColor> {green, red, green}));
        QVERIFY2(panel.precisionText().startsWith("precision@3 = 0.67, chance 0.27 (relevant: same floor hue ±1 step "
                                                  "(wraps around); floor hue is"),
            qPrintable(panel.precisionText()));
    }

    void clickingAResultMakesItTheQuery()
    {
        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        QVERIFY2(encode(controller, panel), qPrintable(panel.statusText()));
        QVERIFY(panel.setQueryFromPool(0));
        panel.gallery()->resize(800, 400);
        const int clicked = panel.resultIndices().at(2);
        QTest::mouseClick(panel.gallery(), Qt::LeftButton, {}, panel.gallery()->imageRect(2).center());
        QCOMPARE(panel.queryIndex(), clicked);
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());
        QVERIFY(std::find(panel.resultIndices().begin(), panel.resultIndices().end(), clicked)
            == panel.resultIndices().end());

        // A pool thumbnail click queries too.
        panel.poolGrid()->resize(800, 2000);
        QTest::mouseClick(panel.poolGrid(), Qt::LeftButton, {}, panel.poolGrid()->imageRect(9).center());
        QCOMPARE(panel.queryIndex(), 9);
    }

    void imageFileQueryHasNoSelfExclusionAndNoJudgement()
    {
        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        QVERIFY2(encode(controller, panel), qPrintable(panel.statusText()));
        const QString png = m_dir.filePath("query.png");
        QImage image(32, 32, QImage::Format_Grayscale8);
        image.fill(0);
        for (int y = 10; y < 22; ++y)
            for (int x = 10; x < 22; ++x)
                image.setPixel(x, y, qRgb(255, 255, 255));
        QVERIFY(image.save(png));
        QSignalSpy shown(&panel, &RetrievalPanel::queryShown);
        QVERIFY(panel.setQueryFromFile(png));
        QVERIFY(shown.wait(JobTimeoutMs)); // scored on the score network's own thread
        QCOMPARE(panel.queryIndex(), -1);
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());
        QVERIFY(!panel.gallery()->items().front().frame.isValid()); // no ground truth for an outside image

        // Dropping the file on the panel queries with it too.
        QVERIFY(panel.setQueryFromPool(3));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(png)});
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        // Straight to the widget's handler: QApplication only routes drops that a real drag (QDrag) started.
        static_cast<QObject &>(panel).event(&drop);
        QVERIFY(shown.wait(JobTimeoutMs));
        QCOMPARE(panel.queryIndex(), -1);
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());

        QVERIFY(!panel.setQueryFromFile(m_dir.filePath("missing.png")));
        QVERIFY(panel.statusText().contains("missing.png"));
        QVERIFY(!panel.useGeneratedImage()); // no explorer: a message, no crash
    }

    void generatedImageIsAQuery()
    {
        const QString generator = m_dir.filePath("generator.pt");
        selfcheck::writeRandomStyleGenerator(generator.toStdString());
        JobController controller;
        LatentWorkspace workspace(&controller);
        DirectionExplorer *explorer = workspace.explorer();
        workspace.openGenerator(generator);
        QVERIFY(QTest::qWaitFor(
            [&] { return explorer->lastFrame().panels.size() >= 2 && !explorer->lastFrame().panels[1].empty(); },
            JobTimeoutMs));
        RetrievalPanel &panel = *workspace.retrieval();
        QVERIFY2(encode(controller, panel), qPrintable(panel.statusText()));
        QSignalSpy shown(&panel, &RetrievalPanel::queryShown);
        QVERIFY2(panel.useGeneratedImage(), qPrintable(panel.statusText()));
        QVERIFY(shown.wait(JobTimeoutMs));
        QCOMPARE(panel.queryIndex(), -1);
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());
        // The same image through a PNG file gives the same scores: the in-memory conversion is HWC -> CHW in [-1, 1].
        const std::vector<double> generated = panel.queryScores();
        const QString png = m_dir.filePath("generated.png");
        QImage image = QImage(explorer->lastFrame().panels[1].front().width,
            explorer->lastFrame().panels[1].front().height, QImage::Format_Grayscale8);
        const ImageU8 &edited = explorer->lastFrame().panels[1].front();
        QCOMPARE(edited.channels, 1);
        for (int y = 0; y < edited.height; ++y)
            std::memcpy(image.scanLine(y), edited.bytes.data() + std::size_t(y) * std::size_t(edited.width),
                std::size_t(edited.width));
        QVERIFY(image.save(png));
        QVERIFY(panel.setQueryFromFile(png));
        QVERIFY(shown.wait(JobTimeoutMs));
        QCOMPARE(panel.queryScores().size(), generated.size());
        for (std::size_t i = 0; i < generated.size(); ++i)
            QVERIFY2(std::abs(panel.queryScores()[i] - generated[i]) < 1e-3 * (1.0 + std::abs(generated[i])),
                qPrintable(QString("score %1: %2 vs %3").arg(i).arg(panel.queryScores()[i]).arg(generated[i])));
    }

    void poolFollowsTheGeneratorsWorld()
    {
        // A colour (Scenes-like) generator gets the rendered Scenes pool, a grey one the Sprites pool: a network is
        // never judged on another world's images.
        JobController controller;
        LatentWorkspace workspace(&controller);
        RetrievalPanel &panel = *workspace.retrieval();
        for (const int channels : {3, 1}) {
            const QString generator = m_dir.filePath(QString("world-%1.pt").arg(channels));
            selfcheck::TinyGenerator settings;
            settings.channels = channels;
            settings.resolution = channels == 3 ? 16 : 32; // sizes the Scenes and Sprites renderers draw
            selfcheck::writeRandomStyleGenerator(generator.toStdString(), settings);
            QSignalSpy opened(workspace.explorer(), &DirectionExplorer::generatorOpened);
            workspace.openGenerator(generator);
            QVERIFY(opened.count() > 0 || opened.wait(JobTimeoutMs));
            const QString expected = channels == 3 ? "Scenes" : "Sprites";
            QVERIFY2(
                panel.poolSource()->currentText().startsWith(expected), qPrintable(panel.poolSource()->currentText()));
        }
    }

    void shippedGeneratorRetrievesWithItsOwnEstimator()
    {
        // The generator the app opens at launch brings SRE's score network for its SeFa set, so the Retrieval page
        // works without training anything: the suggested file encodes a Scenes pool and answers a query.
        qunsetenv("UNTANGLE_RESOURCE_DIR");
        JobController controller;
        LatentWorkspace workspace(&controller);
        RetrievalPanel &panel = *workspace.retrieval();
        QVERIFY(workspace.openShippedGenerator());
        QTRY_VERIFY_WITH_TIMEOUT(workspace.explorer()->hasAfterSre(), JobTimeoutMs);
        QVERIFY2(
            panel.scoreFile().endsWith("generators/scenes-64/sefa-sre-estimator.pt"), qPrintable(panel.scoreFile()));
        QVERIFY(panel.poolSource()->currentText().startsWith("Scenes"));
        panel.poolCount()->setValue(PoolSize);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY2(panel.encodePool(), qPrintable(panel.statusText()));
        QVERIFY(idle.wait(JobTimeoutMs));
        QVERIFY2(panel.hasPool(), qPrintable(panel.statusText()));
        QCOMPARE(panel.encoding()->scores.rows, PoolSize);
        QCOMPARE(panel.directionCombo()->count(), workspace.explorer()->afterSre()->count());
        // It scores the shipped after-SRE set (its recorded training folder is not on this machine): the directions
        // are listed by that set's names, and results are judged by the factor the Factors page names.
        QCOMPARE(QFileInfo(panel.encoding()->directionsPath).canonicalFilePath(),
            QFileInfo(workspace.explorer()->afterSrePath()).canonicalFilePath());
        QCOMPARE(panel.directionCombo()->itemText(0),
            QString::fromStdString(workspace.explorer()->afterSre()->directions[0].name));
        QVERIFY(panel.setQueryFromPool(0));
        QVERIFY2(!panel.precisionText().contains("until the Factors page"), qPrintable(panel.precisionText()));
        QCOMPARE(panel.gallery()->items().size(), panel.kSpin()->value());
    }

    void noScoreNetworkSaysWhereOneComesFrom()
    {
        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        panel.setScoreFile(QString());
        QVERIFY(!panel.encodePool());
        QVERIFY2(panel.statusText().contains("estimator.pt") && panel.statusText().contains("+SRE"),
            qPrintable(panel.statusText()));
        QVERIFY(!controller.isBusy());
    }

    void badScoreFileIsAnError()
    {
        const QString bad = m_dir.filePath("bad.pt");
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a score network");
        file.close();
        JobController controller;
        RetrievalPanel panel(nullptr, &controller);
        panel.setScoreFile(bad);
        QSignalSpy failed(&controller, &JobController::failed);
        QSignalSpy idle(&controller, &JobController::idle);
        QVERIFY(panel.encodePool());
        QVERIFY(idle.wait(JobTimeoutMs));
        QCOMPARE(failed.size(), 1);
        QVERIFY(!panel.hasPool());
        QVERIFY2(panel.statusText().startsWith("Encoding failed"), qPrintable(panel.statusText()));
        QVERIFY(!panel.setQueryFromPool(0));

        panel.setScoreFile(m_dir.filePath("nothing-here.pt"));
        QVERIFY(!panel.encodePool());
        QVERIFY(panel.statusText().contains("nothing-here.pt"));
    }
};

QTEST_MAIN(TstLatentRetrieval)
#include "tst_latentretrieval.moc"
