// The Ground truth page measures the open generator against its world (Sprites or Scenes): on its own the first time
// the page is shown, with coverage's own numbers (checked against an independent measureSpriteCoverage /
// measureWorldCoverage), the samples over the renders of their readings, and beside the renderer the samples read
// nearest its image; a generator of no rendered world, a file that does not open and one damaged after opening are
// refused or reported by name, without a crash.
#include "directionexplorer.h"
#include "factors/worldcoverage.h"
#include "groundtruthcheckpanel.h"
#include "groundtruthexplorer.h"
#include "imageconversion.h"
#include "imagegrid.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "renderbackpairsview.h"
#include "selfcheck/latentselfcheck.h"
#include "shippedresources.h"
#include "sprites/spritecoverage.h"

#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace untangle;

namespace {
constexpr int OpenTimeoutMs = 30000;
constexpr int JobTimeoutMs = 300000; // a measurement on a busy machine: generous, the wait ends at the result
constexpr int TestSamples = 256; // a fraction of the page's 2,048, so the test takes seconds

QString shippedGenerator(const char *name)
{
    return QString::fromStdString(shippedResourcePath(std::string("generators/") + name + "/generator.pt"));
}

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

/** A random 1-channel 16 px built-in generator: a real generator file of no rendered world. */
void writeRandomStyleGeneratorFile(const QString &path)
{
    selfcheck::writeRandomStyleGenerator(path.toStdString(), selfcheck::TinyGenerator {});
}

/** Shows the workspace at 1280x800 with the check drawing TestSamples; false when the window never appeared. */
bool showWithFewSamples(LatentWorkspace &workspace)
{
    if (!workspace.groundTruthCheck())
        return false;
    workspace.groundTruthCheck()->setSamples(TestSamples);
    workspace.resize(1280, 800);
    workspace.show();
    return QTest::qWaitForWindowExposed(&workspace);
}

/** Opens a generator in the workspace's explorer and waits for the outcome; true when it opened. */
bool openAndWait(LatentWorkspace &workspace, const QString &path)
{
    QSignalSpy opened(workspace.explorer(), &DirectionExplorer::generatorOpened);
    QSignalSpy failed(workspace.explorer(), &DirectionExplorer::generatorFailed);
    workspace.explorer()->openGenerator(path);
    return QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, OpenTimeoutMs) && !opened.isEmpty();
}

} // namespace

class TstGroundTruth : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qunsetenv("UNTANGLE_RESOURCE_DIR"); // the shipped generators and readers of the source tree
        QVERIFY2(!shippedGenerator("sprites-64").isEmpty(), "resources/generators/sprites-64 is missing");
    }

    void measuresTheOpenSpritesGeneratorOnItsOwn()
    {
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showWithFewSamples(workspace));
        GroundTruthCheckPanel *check = workspace.groundTruthCheck();
        const QString generator = shippedGenerator("sprites-64");
        QVERIFY(openAndWait(workspace, generator));
        QVERIFY(check->measuredPath().isEmpty()); // the page is not on screen yet: nothing measured

        workspace.pages()->setCurrentWidget(workspace.groundTruthPage());
        QTRY_VERIFY_WITH_TIMEOUT(check->measuredPath() == generator, JobTimeoutMs);

        // The same numbers as coverage measures on its own with the page's samples and seed.
        SpriteCoverageOptions options;
        options.samples = TestSamples;
        options.seed = 1;
        const SpriteCoverage expected = measureSpriteCoverage(generator.toStdString(), options);
        const QTableWidget *factors = check->factorTable();
        for (int f = 0; f < SpriteFactorCount; ++f) {
            const auto &factor = expected.factors[std::size_t(f)];
            const int bins = int(factor.histogram.size());
            QCOMPARE(
                cell(factors, f, 1), QStringLiteral("%1 of %2").arg(std::lround(factor.coverage * bins)).arg(bins));
            QCOMPARE(cell(factors, f, 3), QString::number(factor.confidence, 'f', 2));
        }
        QCOMPARE(cell(factors, 0, 1), QStringLiteral("3 of 3")); // the shipped generator draws every shape
        // The sprite's angle, ambiguous by symmetry, is marked and explained rather than read as the generator's flaw.
        QCOMPARE(cell(factors, int(SpriteFactor::Orientation), 0), QStringLiteral("orientation †"));
        QVERIFY(check->scoreText().contains(QStringLiteral("† Orientation repeats")));
        const QTableWidget *shapes = check->shapeTable();
        int shareSum = 0;
        for (int s = 0; s < SpriteShapeCount; ++s) {
            QCOMPARE(cell(shapes, s, 2), QString::number(expected.shapeRenderAgreement[std::size_t(s)], 'f', 3));
            QVERIFY2(expected.shapeRenderAgreement[std::size_t(s)] > 0.7, qPrintable(cell(shapes, s, 2)));
            shareSum += cell(shapes, s, 1).section(' ', 0, 0).toInt();
        }
        QVERIFY2(std::abs(shareSum - 100) <= 2, qPrintable(QString::number(shareSum))); // rounded shares

        // The pairs: a sample row and a render row per shape, captioned, drawn at a readable scale at 1280x800.
        const RenderBackPairsView *pairs = check->pairs();
        QCOMPARE(pairs->rowCaptions().size(), 2 * SpriteShapeCount);
        QVERIFY(pairs->rowCaptions().at(4).startsWith(QStringLiteral("read as hearts")));
        QVERIFY(pairs->rowCaptions().at(5).startsWith(QStringLiteral("rendered back")));
        QVERIFY2(pairs->scale() >= 0.75, qPrintable(QString::number(pairs->scale())));
        // Drawn from the page's own samples, they are the pairs `coverage --pairs` draws from as many, byte for byte.
        static_assert(TestSamples == RenderBackPairSamples);
        const ImageU8 cliPairs = spriteRenderBackPairs(generator.toStdString(), 8, 1, 1.0);
        QCOMPARE(pairs->pairs().convertToFormat(QImage::Format_Grayscale8), toQImage(cliPairs));
        QVERIFY(check->statusText().contains(QStringLiteral("against the Sprites ground truth")));

        // The renderer's strip: set to a heart at the largest scale, centred, it shows the samples read as hearts
        // nearest it, nearest first, none nearer left out (checked against the same samples read independently).
        const SpriteSampleReadings readings = readSpriteSamples(generator.toStdString(), options);
        QCOMPARE(readings.coverage.score, expected.score); // one set of samples behind the table and the strip
        for (int s = 0; s < SpriteShapeCount; ++s) { // the shape x scale counts of those samples
            QStringList byScale;
            for (int c = 0; c < 6; ++c)
                byScale << QString::number(std::count_if(readings.read.begin(), readings.read.end(),
                    [&](const SpriteFactors &read) { return read.shape == s && read.scale == c; }));
            QCOMPARE(cell(shapes, s, 3), byScale.join(QStringLiteral("  ")));
        }
        GroundTruthExplorer *sprites = workspace.sprites();
        QCOMPARE(workspace.groundTruth(), sprites);
        const SpriteFactors heart {2, 5, 0, 16, 16};
        for (int f = 0; f < SpriteFactorCount; ++f)
            sprites->factorSlider(f)->setValue(heart.index(SpriteFactor(f)));
        const QVector<int> nearest = sprites->nearestDrawings();
        QCOMPARE(nearest.size(), 6);
        QCOMPARE(sprites->drawingsStrip()->items().size(), 6);
        double last = 0.0;
        for (int i : nearest) {
            QCOMPARE(readings.read[std::size_t(i)].shape, 2);
            const double distance = spriteReadingDistance(readings.read[std::size_t(i)], heart);
            QVERIFY(distance >= last);
            last = distance;
        }
        for (std::size_t i = 0; i < readings.read.size(); ++i)
            if (!nearest.contains(int(i)))
                QVERIFY(spriteReadingDistance(readings.read[i], heart) >= last);
        QCOMPARE(sprites->drawingsStrip()->items().first().caption,
            QStringLiteral("IoU %1").arg(readings.renderAgreement[std::size_t(nearest.first())], 0, 'f', 2));

        // Shown again, the page does not measure the same generator a second time.
        QSignalSpy started(&controller, &JobController::started);
        workspace.pages()->setCurrentIndex(0);
        workspace.pages()->setCurrentWidget(workspace.groundTruthPage());
        QTest::qWait(200);
        QCOMPARE(started.count(), 0);
    }

    void measuresTheOpenScenesGenerator()
    {
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showWithFewSamples(workspace));
        GroundTruthCheckPanel *check = workspace.groundTruthCheck();
        const QString generator = shippedGenerator("scenes-64");
        QVERIFY(openAndWait(workspace, generator));
        QCOMPARE(workspace.groundTruth(), workspace.scenes()); // the renderer of the open generator's world
        workspace.pages()->setCurrentWidget(workspace.groundTruthPage());
        QTRY_VERIFY_WITH_TIMEOUT(check->measuredPath() == generator, JobTimeoutMs);

        // One row per Scenes factor with coverage's own numbers; no shape table (that is Sprites').
        const WorldCoverage expected = measureWorldCoverage(generator.toStdString(), TestSamples, 1);
        const QTableWidget *factors = check->factorTable();
        QCOMPARE(factors->rowCount(), int(expected.factors.size()));
        for (int f = 0; f < factors->rowCount(); ++f) {
            const FactorCoverage &factor = expected.factors[std::size_t(f)];
            QCOMPARE(cell(factors, f, 0), QString::fromStdString(factorDisplayName(factor.name)));
            const int values = int(factor.histogram.size());
            QCOMPARE(
                cell(factors, f, 1), QStringLiteral("%1 of %2").arg(std::lround(factor.coverage * values)).arg(values));
            QCOMPARE(cell(factors, f, 2), QString::number(factor.entropy, 'f', 2));
        }
        QVERIFY(!check->shapeTable()->isVisible());
        QVERIFY(check->scoreText().contains(QStringLiteral("One view %1").arg(expected.oneView, 0, 'f', 2)));
        // One score for each world, as for Sprites: the product a Scenes GAN run keeps its checkpoint by.
        QVERIFY2(check->scoreText().startsWith(QStringLiteral("Score %1 = ").arg(expected.score(), 0, 'f', 3)),
            qPrintable(check->scoreText()));
        QCOMPARE(check->pairs()->rowCaptions().size(), 6);

        // The strip: the samples nearest the sliders' scene share its object shape (categorical) and come nearest
        // first, none nearer left out.
        const WorldSampleReadings readings = readWorldSamples(generator.toStdString(), TestSamples, 1);
        GroundTruthExplorer *scenes = workspace.scenes();
        const FactorWorld &world = scenes->world();
        const std::vector<int> wanted = scenes->sliderTuple();
        const QVector<int> nearest = scenes->nearestDrawings();
        QVERIFY(!nearest.isEmpty());
        const std::size_t count = std::size_t(world.factorCount());
        const int shape = world.factorIndex("shape");
        double last = 0.0;
        for (int i : nearest) {
            const int *read = readings.read.data() + std::size_t(i) * count;
            QCOMPARE(read[shape], wanted[std::size_t(shape)]);
            const double distance = worldReadingDistance(world, read, wanted.data());
            QVERIFY(distance >= last);
            last = distance;
        }
        for (std::size_t i = 0; i < readings.images.size(); ++i)
            if (!nearest.contains(int(i)))
                QVERIFY(worldReadingDistance(world, readings.read.data() + i * count, wanted.data()) >= last);
    }

    void readingDistanceRespectsShapeAndSymmetry()
    {
        const SpriteFactors square {0, 3, 0, 10, 10}, ellipse {1, 3, 0, 10, 10}, heart {2, 3, 0, 10, 10};
        const auto turned = [](SpriteFactors f, int orientation) {
            f.orientation = orientation;
            return f;
        };
        QCOMPARE(spriteReadingDistance(square, square), 0.0);
        QCOMPARE(spriteReadingDistance(ellipse, heart), std::numeric_limits<double>::infinity());
        // Index 39 is 2 pi, the same angle as 0 for every shape; index 20 is about pi: the same ellipse, the
        // farthest heart.
        QVERIFY(spriteReadingDistance(turned(heart, 39), heart) < 1e-9);
        QVERIFY(spriteReadingDistance(turned(ellipse, 20), ellipse) < 0.1);
        QVERIFY(spriteReadingDistance(turned(heart, 20), heart) > 0.95);
        // Scale and position count over their ranges: the largest scale step is as far as a full position sweep.
        SpriteFactors larger = square, moved = square;
        larger.scale = 5;
        moved.x = 31;
        QCOMPARE(spriteReadingDistance(larger, square), 0.4);
        QCOMPARE(spriteReadingDistance(moved, square), 21.0 / 31.0);
    }

    void labelsSlidersByFactor()
    {
        GroundTruthExplorer explorer(FactorWorld::of(WorldKind::Sprites));
        const auto label = [&](int factor) {
            auto *form = explorer.findChild<QFormLayout *>();
            auto *text = form ? qobject_cast<QLabel *>(form->labelForField(explorer.factorSlider(factor))) : nullptr;
            return text ? text->text() : QString();
        };
        // One-letter coordinates read as positions; other names capitalised.
        QCOMPARE(label(int(SpriteFactor::Shape)), QString("Shape"));
        QCOMPARE(label(int(SpriteFactor::PositionX)), QString("Position x"));
        QCOMPARE(label(int(SpriteFactor::PositionY)), QString("Position y"));
    }

    void refusesOtherWorldsAndReportsDamagedFiles()
    {
        JobController controller;
        LatentWorkspace workspace(&controller);
        QVERIFY(showWithFewSamples(workspace));
        GroundTruthCheckPanel *check = workspace.groundTruthCheck();
        auto *measureButton = check->findChild<QPushButton *>(QString(), Qt::FindDirectChildrenOnly);
        QVERIFY(measureButton);

        // Nothing open: the status says what to open.
        QVERIFY(!check->measure());
        QVERIFY(check->statusText().contains(QStringLiteral("Open a Sprites or Scenes generator")));

        // A generator of no rendered world (1 channel at 16 px): refused by its shape, nothing started.
        QTemporaryDir dir;
        const QString tiny = dir.filePath("tiny16.pt");
        writeRandomStyleGeneratorFile(tiny);
        QVERIFY(openAndWait(workspace, tiny));
        QVERIFY(!measureButton->isEnabled());
        QVERIFY(!check->measure());
        QVERIFY2(check->statusText().contains(QStringLiteral("1-channel 16 × 16")), qPrintable(check->statusText()));
        QVERIFY(!controller.isBusy());

        // A file that is not a generator: the explorer fails to open it and the page still refuses by name.
        const QString garbage = dir.filePath("garbage.pt");
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, '\x7f'));
        file.close();
        QVERIFY(!openAndWait(workspace, garbage));
        QVERIFY(!check->measure());
        QVERIFY(check->statusText().contains(QStringLiteral("Open a Sprites or Scenes generator")));

        // A Sprites generator damaged after it was opened: the job fails, the status names the file, nothing shown.
        const QString copy = dir.filePath("sprites.pt");
        QVERIFY(QFile::copy(shippedGenerator("sprites-64"), copy));
        QVERIFY(openAndWait(workspace, copy));
        QVERIFY(measureButton->isEnabled());
        QVERIFY(QFile::resize(copy, 1000)); // truncated
        QSignalSpy failed(&controller, &JobController::failed);
        QVERIFY(check->measure());
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), JobTimeoutMs);
        QTRY_VERIFY(!controller.isBusy());
        QVERIFY2(check->statusText().contains(QStringLiteral("sprites.pt")), qPrintable(check->statusText()));
        QVERIFY(check->measuredPath().isEmpty());
        QVERIFY(check->pairs()->rowCaptions().isEmpty());
    }
};

QTEST_MAIN(TstGroundTruth)
#include "tst_groundtruth.moc"
