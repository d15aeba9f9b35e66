// The Latent workspace's Retrieval panel on a tiny random score network and a small Sprites pool: encoding runs as a
// job, the gallery holds exactly k pool images and never the query, every result is judged against the ground truth,
// clicking a result re-queries with it, an image file can be the query, and a bad score file is an error message.
#include "directionexplorer.h"
#include "imagegrid.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
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
        // Each frame says whether the result shares the query's value (+-1) of the direction's factor.
        const FactorMatrix &factors = panel.encoding()->pool.factors;
        const int factor = panel.encoding()->directionFactor[1];
        int relevant = 0;
        for (int i = 0; i < k; ++i) {
            const GridItem &item = panel.gallery()->items()[i];
            const bool hit
                = std::abs(factors.at(panel.resultIndices()[std::size_t(i)], factor) - factors.at(query, factor)) <= 1;
            relevant += hit;
            QCOMPARE(item.frame, hit ? QColor(40, 170, 60) : QColor(210, 50, 40));
            QVERIFY(!item.caption.isEmpty()); // the distance
        }
        QVERIFY2(panel.precisionText().startsWith(
                     QString("precision@%1 = %2, chance").arg(k).arg(double(relevant) / k, 0, 'f', 2)),
            qPrintable(panel.precisionText()));
        // Distances ascend: the caption of the first is no larger than the last.
        QVERIFY(
            panel.gallery()->items().front().caption.toDouble() <= panel.gallery()->items().back().caption.toDouble());

        // Changing k re-queries.
        panel.kSpin()->setValue(3);
        QCOMPARE(panel.gallery()->items().size(), 3);
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
