// The procedural 3D-Shapes-like scene renderer (factor grid, one-factor-per-region colours, shading that turns
// with orientation) and the biased Scenes dataset built on it.
#include "biasassignment.h"
#include "dataerror.h"
#include "datasetfactory.h"
#include "datasetnaming.h"
#include "scenesdataset.h"
#include "scenesrenderer.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

using namespace untangle;

namespace {

constexpr int NumShapes = 4;
constexpr int TrainPerShape = 2000; // the dataset's documented train size per shape
constexpr int EvalPerCell = 125; // the dataset's documented valid/test size per (shape, band) cell
constexpr int Pixels = SceneResolution * SceneResolution;

/** A handful of tuples that cover every shape, the scale ends and the orientation ends and middle. */
std::vector<SceneFactors> baseScenes()
{
    std::vector<SceneFactors> scenes;
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int orientation : {0, 7, 14})
            scenes.push_back(SceneFactors {(shape * 3 + orientation) % 10, (shape + 5) % 10, (orientation + 2) % 10,
                (shape * 5 + orientation) % 8, shape, orientation});
    return scenes;
}

std::uint8_t regionAt(const ImageU8 &regions, int pixel)
{
    return regions.bytes[std::size_t(pixel)];
}

bool pure(const ImageU8 &regions, int pixel, SceneRegion region)
{
    return regionAt(regions, pixel) == std::uint8_t(region);
}

bool samePixel(const ImageU8 &a, const ImageU8 &b, int pixel)
{
    const std::size_t k = 3 * std::size_t(pixel);
    return a.bytes[k] == b.bytes[k] && a.bytes[k + 1] == b.bytes[k + 1] && a.bytes[k + 2] == b.bytes[k + 2];
}

int countRegion(const ImageU8 &regions, SceneRegion region)
{
    return int(std::count(regions.bytes.begin(), regions.bytes.end(), std::uint8_t(region)));
}

double luminance(const ImageU8 &image, int pixel)
{
    const std::size_t k = 3 * std::size_t(pixel);
    return 0.299 * image.bytes[k] + 0.587 * image.bytes[k + 1] + 0.114 * image.bytes[k + 2];
}

/** The invalid_argument message fn throws, or an empty string when it throws nothing. */
QString invalidArgumentMessage(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const std::invalid_argument &error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

/**
 * Changing `factor` through every value must leave the pixels of the other regions byte-identical and change the
 * pixels of `region`: checked on the pixels strictly inside each region (edge pixels may blend regions).
 */
void checkHueTouchesOnlyItsRegion(SceneFactor factor, SceneRegion region)
{
    for (const SceneFactors &base : baseScenes()) {
        const ImageU8 regions = sceneRegions(base);
        const ImageU8 reference = renderScene(base);
        const int regionPixels = countRegion(regions, region);
        QVERIFY(regionPixels > 50);
        for (int value = 0; value < SceneFactorSizes[int(factor)]; ++value) {
            if (value == base.index(factor))
                continue;
            SceneFactors changed = base;
            changed.setIndex(factor, value);
            QVERIFY(sceneRegions(changed).bytes == regions.bytes); // a hue moves no edge
            const ImageU8 image = renderScene(changed);
            int changedInRegion = 0;
            for (int p = 0; p < Pixels; ++p) {
                if (pure(regions, p, region)) {
                    changedInRegion += samePixel(image, reference, p) ? 0 : 1;
                } else if (regionAt(regions, p) != std::uint8_t(SceneRegion::Mixed)) {
                    QVERIFY2(samePixel(image, reference, p),
                        qPrintable(QString("%1 %2 -> %3 changed pixel %4 of region %5 (shape %6, orientation %7)")
                                       .arg(QString::fromStdString(sceneFactorName(factor)))
                                       .arg(base.index(factor))
                                       .arg(value)
                                       .arg(p)
                                       .arg(regionAt(regions, p))
                                       .arg(base.shape)
                                       .arg(base.orientation)));
                }
            }
            // Shadowed and dim pixels of two hues can round to the same bytes; nearly all others differ.
            QVERIFY2(changedInRegion > regionPixels * 9 / 10,
                qPrintable(QString("%1 -> %2 changed %3 of %4 pixels of its region")
                               .arg(QString::fromStdString(sceneFactorName(factor)))
                               .arg(value)
                               .arg(changedInRegion)
                               .arg(regionPixels)));
        }
    }
}

/** The column of the strongest brightness step along the top row: where the two walls meet. */
int cornerColumn(const ImageU8 &image)
{
    int best = 0;
    double bestStep = -1.0;
    for (int x = 0; x + 1 < image.width; ++x) {
        const double step = std::abs(luminance(image, x + 1) - luminance(image, x));
        if (step > bestStep) {
            bestStep = step;
            best = x;
        }
    }
    return best;
}

/** The first row from the top, in column x, that is floor (strictly inside): the wall/floor boundary. */
int floorTop(const ImageU8 &regions, int x)
{
    for (int y = 0; y < regions.height; ++y)
        if (pure(regions, y * regions.width + x, SceneRegion::Floor))
            return y;
    return regions.height;
}

} // namespace

class TstScenes : public QObject {
    Q_OBJECT

private slots:
    void factorGridIsThreeDShapes();
    void indexAndTupleRoundTrip();
    void factorNamesParse();
    void outputLayout();
    void renderingIsDeterministic();
    void threadCountDoesNotChangeBytes();
    void wallHueChangesOnlyWallPixels();
    void floorHueChangesOnlyFloorPixels();
    void objectHueChangesOnlyObjectPixels();
    void geometryFactorsChangeTheObject();
    void objectGrowsWithScale();
    void orientationTurnsTheRoomCorner();
    void orientationTurnsTheCubesFaces();
    void shapesAreDistinguishable();
    void badInputNamesTheFactor();
    void renderingIsFast();

    void datasetLayoutAndCounts();
    void datasetIsDeterministicAndTestIsShared();
    void datasetThroughTheFactory();
    void badDatasetOptionsThrow();
};

void TstScenes::factorGridIsThreeDShapes()
{
    QCOMPARE(SceneFactorCount, 6);
    QCOMPARE(int(SceneFactorSizes[0]), 10);
    QCOMPARE(int(SceneFactorSizes[1]), 10);
    QCOMPARE(int(SceneFactorSizes[2]), 10);
    QCOMPARE(int(SceneFactorSizes[3]), 8);
    QCOMPARE(int(SceneFactorSizes[4]), 4);
    QCOMPARE(int(SceneFactorSizes[5]), 15);
    QCOMPARE(sceneCount(), std::int64_t(480000));
    for (int i = 0; i < 10; ++i)
        QVERIFY(std::abs(sceneHue(i) - i / 10.0) < 1e-12); // np.linspace(0, 1, 10, endpoint=False)
    QCOMPARE(sceneScale(0), 0.75);
    QCOMPARE(sceneScale(7), 1.25);
    QVERIFY(std::abs(sceneScale(1) - (0.75 + 0.5 / 7)) < 1e-12);
    QCOMPARE(sceneOrientationDegrees(0), -30.0);
    QCOMPARE(sceneOrientationDegrees(7), 0.0);
    QCOMPARE(sceneOrientationDegrees(14), 30.0);
    QCOMPARE(sceneShapeNames(), (std::vector<std::string> {"cube", "cylinder", "sphere", "capsule"}));
}

void TstScenes::indexAndTupleRoundTrip()
{
    QCOMPARE(sceneIndex(SceneFactors {}), std::int64_t(0));
    // 3D Shapes' order: orientation fastest, floor hue slowest.
    QCOMPARE(sceneIndex(SceneFactors {0, 0, 0, 0, 0, 1}), std::int64_t(1));
    QCOMPARE(sceneIndex(SceneFactors {0, 0, 0, 0, 1, 0}), std::int64_t(15));
    QCOMPARE(sceneIndex(SceneFactors {1, 0, 0, 0, 0, 0}), std::int64_t(48000));
    QCOMPARE(sceneIndex(SceneFactors {9, 9, 9, 7, 3, 14}), sceneCount() - 1);
    for (std::int64_t index = 0; index < sceneCount(); index += 997) {
        const SceneFactors factors = sceneFactorsAt(index);
        QCOMPARE(sceneIndex(factors), index);
    }
    SceneFactors factors;
    for (int f = 0; f < SceneFactorCount; ++f)
        factors.setIndex(SceneFactor(f), f + 1);
    QCOMPARE(factors.floorHue, 1);
    QCOMPARE(factors.wallHue, 2);
    QCOMPARE(factors.objectHue, 3);
    QCOMPARE(factors.scale, 4);
    QCOMPARE(factors.shape, 5);
    QCOMPARE(factors.orientation, 6);
    for (int f = 0; f < SceneFactorCount; ++f)
        QCOMPARE(factors.index(SceneFactor(f)), f + 1);
}

void TstScenes::factorNamesParse()
{
    const std::vector<std::string> names {"floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"};
    QCOMPARE(sceneFactorNames(), names);
    for (int f = 0; f < SceneFactorCount; ++f)
        QCOMPARE(int(sceneFactorFromName(names[f])), f);
}

void TstScenes::outputLayout()
{
    const SceneFactors factors {1, 6, 0, 4, 0, 3};
    const ImageU8 image = renderScene(factors);
    QCOMPARE(image.width, 64);
    QCOMPARE(image.height, 64);
    QCOMPARE(image.channels, 3);
    QCOMPARE(int(image.bytes.size()), 64 * 64 * 3);
    const ImageU8 regions = sceneRegions(factors);
    QCOMPARE(regions.channels, 1);
    QCOMPARE(int(regions.bytes.size()), Pixels);
    const int floor = countRegion(regions, SceneRegion::Floor), wall = countRegion(regions, SceneRegion::Wall),
              object = countRegion(regions, SceneRegion::Object), mixed = countRegion(regions, SceneRegion::Mixed);
    QCOMPARE(floor + wall + object + mixed, Pixels);
    // A 3D Shapes framing: wall above, floor below, a mid-sized object; edges are a thin fraction.
    QVERIFY2(floor > Pixels / 5 && wall > Pixels / 4 && object > Pixels / 40 && mixed < Pixels / 10,
        qPrintable(QString("floor %1 wall %2 object %3 mixed %4").arg(floor).arg(wall).arg(object).arg(mixed)));
    // The top row is wall, the bottom row floor; the object sits in the middle band.
    for (int x = 0; x < 64; ++x) {
        QVERIFY(!pure(regions, x, SceneRegion::Floor));
        QVERIFY(pure(regions, 63 * 64 + x, SceneRegion::Floor));
    }
    QVERIFY(pure(regions, 36 * 64 + 32, SceneRegion::Object));

    const ImageU8 small = renderScene(factors, 32);
    QCOMPARE(small.width, 32);
    QCOMPARE(int(small.bytes.size()), 32 * 32 * 3);
}

void TstScenes::renderingIsDeterministic()
{
    for (const SceneFactors &factors : baseScenes()) {
        const ImageU8 a = renderScene(factors);
        const ImageU8 b = renderScene(factors);
        QVERIFY(a.bytes == b.bytes);
        std::vector<std::uint8_t> into(a.bytes.size(), 7);
        renderSceneInto(factors, 64, into.data());
        QVERIFY(into == a.bytes);
    }
    // Nothing carries over between renders: a tuple renders the same after any other, and the same whether its
    // traced geometry was kept or is traced again.
    const SceneFactors first {2, 3, 4, 5, 1, 9};
    const ImageU8 before = renderScene(first);
    const ImageU8 regionsBefore = sceneRegions(first);
    renderScene(SceneFactors {9, 9, 9, 7, 3, 14});
    QVERIFY(renderScene(first).bytes == before.bytes);
    clearSceneCache();
    QVERIFY(renderScene(first).bytes == before.bytes);
    clearSceneCache();
    QVERIFY(sceneRegions(first).bytes == regionsBefore.bytes);
    // Another hue on the same geometry reuses the kept trace: its bytes equal a fresh trace's.
    const SceneFactors recoloured {7, 0, 9, 5, 1, 9};
    const ImageU8 reused = renderScene(recoloured);
    clearSceneCache();
    QVERIFY(renderScene(recoloured).bytes == reused.bytes);
}

void TstScenes::threadCountDoesNotChangeBytes()
{
    std::vector<SceneFactors> scenes;
    for (std::int64_t index = 11; index < sceneCount(); index += 4801)
        scenes.push_back(sceneFactorsAt(index));
    QVERIFY(scenes.size() >= 64);
    const std::size_t bytes = 32 * 32 * 3;
    std::vector<std::uint8_t> one(bytes * scenes.size()), two(bytes * scenes.size());
    renderScenesInto(scenes, 32, one.data(), 1);
    renderScenesInto(scenes, 32, two.data(), 2);
    QVERIFY(one == two);
    for (std::size_t i = 0; i < scenes.size(); i += 13) {
        const ImageU8 single = renderScene(scenes[i], 32);
        QVERIFY(std::equal(single.bytes.begin(), single.bytes.end(), one.begin() + std::ptrdiff_t(bytes * i)));
    }
}

void TstScenes::wallHueChangesOnlyWallPixels()
{
    checkHueTouchesOnlyItsRegion(SceneFactor::WallHue, SceneRegion::Wall);
}

void TstScenes::floorHueChangesOnlyFloorPixels()
{
    checkHueTouchesOnlyItsRegion(SceneFactor::FloorHue, SceneRegion::Floor);
}

void TstScenes::objectHueChangesOnlyObjectPixels()
{
    checkHueTouchesOnlyItsRegion(SceneFactor::ObjectHue, SceneRegion::Object);
}

void TstScenes::geometryFactorsChangeTheObject()
{
    for (const SceneFactors &base : baseScenes()) {
        const ImageU8 reference = renderScene(base);
        const ImageU8 regions = sceneRegions(base);
        for (SceneFactor factor : {SceneFactor::Scale, SceneFactor::Shape, SceneFactor::Orientation}) {
            SceneFactors changed = base;
            changed.setIndex(factor, (base.index(factor) + 1) % SceneFactorSizes[int(factor)]);
            const ImageU8 image = renderScene(changed);
            const ImageU8 changedRegions = sceneRegions(changed);
            // Pixels that are object in either picture: enough of them change (silhouette or shading).
            int objectPixels = 0, changedObjectPixels = 0;
            for (int p = 0; p < Pixels; ++p) {
                const bool object
                    = pure(regions, p, SceneRegion::Object) || pure(changedRegions, p, SceneRegion::Object);
                objectPixels += object ? 1 : 0;
                changedObjectPixels += object && !samePixel(image, reference, p) ? 1 : 0;
            }
            QVERIFY2(changedObjectPixels > objectPixels / 5,
                qPrintable(QString("%1 %2 -> %3 changed %4 of %5 object pixels (shape %6)")
                               .arg(QString::fromStdString(sceneFactorName(factor)))
                               .arg(base.index(factor))
                               .arg(changed.index(factor))
                               .arg(changedObjectPixels)
                               .arg(objectPixels)
                               .arg(base.shape)));
        }
    }
}

void TstScenes::objectGrowsWithScale()
{
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int orientation : {0, 5, 14}) {
            int previous = 0;
            for (int scale = 0; scale < 8; ++scale) {
                const ImageU8 regions = sceneRegions(SceneFactors {0, 5, 2, scale, shape, orientation});
                const int area = countRegion(regions, SceneRegion::Object);
                QVERIFY2(area > previous,
                    qPrintable(QString("shape %1 orientation %2 scale %3: area %4 after %5")
                                   .arg(shape)
                                   .arg(orientation)
                                   .arg(scale)
                                   .arg(area)
                                   .arg(previous)));
                previous = area;
            }
            // 0.75 -> 1.25 in size is (5/3)^2 = 2.8x in area, give or take perspective and edge pixels.
            const int smallest
                = countRegion(sceneRegions(SceneFactors {0, 5, 2, 0, shape, orientation}), SceneRegion::Object),
                largest = countRegion(sceneRegions(SceneFactors {0, 5, 2, 7, shape, orientation}), SceneRegion::Object);
            QVERIFY(largest > 2 * smallest);
        }
}

void TstScenes::orientationTurnsTheRoomCorner()
{
    // The vertical corner line and the wall/floor boundary both move across the picture as the camera turns.
    for (int shape = 0; shape < NumShapes; ++shape) {
        std::vector<int> corners;
        for (int orientation = 0; orientation < 15; ++orientation)
            corners.push_back(cornerColumn(renderScene(SceneFactors {3, 6, 0, 2, shape, orientation})));
        for (std::size_t i = 1; i < corners.size(); ++i)
            QVERIFY2(corners[i] < corners[i - 1],
                qPrintable(QString("corner column %1 at orientation %2, %3 before")
                               .arg(corners[i])
                               .arg(i)
                               .arg(corners[i - 1])));
        QVERIFY2(corners.front() - corners.back() > 32,
            qPrintable(QString("corner moves from %1 to %2").arg(corners.front()).arg(corners.back())));
    }
    // Orientation 0 and 14 mirror each other, so the boundary's height profile at the left and right edges swaps.
    const ImageU8 left = sceneRegions(SceneFactors {3, 6, 0, 2, 2, 0});
    const ImageU8 right = sceneRegions(SceneFactors {3, 6, 0, 2, 2, 14});
    QVERIFY(std::abs(floorTop(left, 2) - floorTop(right, 61)) <= 1);
    QVERIFY(std::abs(floorTop(left, 61) - floorTop(right, 2)) <= 1);
    QVERIFY(std::abs(floorTop(left, 2) - floorTop(left, 61)) > 4);
}

void TstScenes::orientationTurnsTheCubesFaces()
{
    // The cube shows three shades: the lit top, a lit side and a darker side. Turning the camera widens one side
    // and narrows the other, so the count of darkest-side pixels changes by a large factor from -30 to +30 degrees.
    auto darkSidePixels = [](int orientation) {
        const SceneFactors factors {0, 5, 0, 7, int(SceneShape::Cube), orientation};
        const ImageU8 image = renderScene(factors);
        const ImageU8 regions = sceneRegions(factors);
        double darkest = 1e9, brightest = 0.0;
        for (int p = 0; p < Pixels; ++p)
            if (pure(regions, p, SceneRegion::Object)) {
                darkest = std::min(darkest, luminance(image, p));
                brightest = std::max(brightest, luminance(image, p));
            }
        const double threshold = darkest + 0.25 * (brightest - darkest);
        int count = 0;
        for (int p = 0; p < Pixels; ++p)
            count += pure(regions, p, SceneRegion::Object) && luminance(image, p) < threshold ? 1 : 0;
        return count;
    };
    const int minus30 = darkSidePixels(0), zero = darkSidePixels(7), plus30 = darkSidePixels(14);
    QVERIFY2(minus30 > 2 * plus30 && minus30 > zero && zero > plus30,
        qPrintable(QString("dark side pixels %1 %2 %3").arg(minus30).arg(zero).arg(plus30)));
    QVERIFY(plus30 > 10); // both sides stay visible within +-30 degrees
}

void TstScenes::shapesAreDistinguishable()
{
    // Measured over the pixels that are object in either picture (the closest pair, cube and cylinder, differs in
    // 15% of them by silhouette and by 17 grey levels on average, at the smallest scale).
    constexpr double MinSilhouetteFraction = 0.1;
    constexpr double MinMeanDifference = 10.0;
    for (int orientation : {0, 4, 7, 11, 14})
        for (int scale : {0, 4, 7}) {
            std::vector<ImageU8> images, regions;
            for (int shape = 0; shape < NumShapes; ++shape) {
                const SceneFactors factors {4, 8, 1, scale, shape, orientation};
                images.push_back(renderScene(factors));
                regions.push_back(sceneRegions(factors));
            }
            auto touchesObject = [](const ImageU8 &r, int p) {
                return pure(r, p, SceneRegion::Object) || regionAt(r, p) == std::uint8_t(SceneRegion::Mixed);
            };
            for (int a = 0; a < NumShapes; ++a)
                for (int b = a + 1; b < NumShapes; ++b) {
                    int unionPixels = 0, silhouette = 0;
                    double difference = 0.0;
                    for (int p = 0; p < Pixels; ++p) {
                        silhouette
                            += pure(regions[a], p, SceneRegion::Object) != pure(regions[b], p, SceneRegion::Object) ? 1
                                                                                                                    : 0;
                        if (!touchesObject(regions[a], p) && !touchesObject(regions[b], p))
                            continue;
                        ++unionPixels;
                        for (int c = 0; c < 3; ++c)
                            difference += std::abs(int(images[a].bytes[3 * std::size_t(p) + c])
                                              - int(images[b].bytes[3 * std::size_t(p) + c]))
                                / 3.0;
                    }
                    const double fraction = double(silhouette) / unionPixels, mean = difference / unionPixels;
                    QVERIFY2(fraction > MinSilhouetteFraction && mean > MinMeanDifference,
                        qPrintable(QString("shapes %1 and %2 (scale %3, orientation %4): silhouettes differ in %5 of "
                                           "%6 pixels, mean difference %7")
                                       .arg(a)
                                       .arg(b)
                                       .arg(scale)
                                       .arg(orientation)
                                       .arg(silhouette)
                                       .arg(unionPixels)
                                       .arg(mean)));
                }
        }
}

void TstScenes::badInputNamesTheFactor()
{
    const auto names = sceneFactorNames();
    for (int f = 0; f < SceneFactorCount; ++f)
        for (int bad : {-1, SceneFactorSizes[f]}) {
            SceneFactors factors;
            factors.setIndex(SceneFactor(f), bad);
            const QString message = invalidArgumentMessage([&] { renderScene(factors); });
            QVERIFY2(message.contains(QString::fromStdString(names[f])), qPrintable(message));
            QVERIFY2(message.contains(QString::number(bad)), qPrintable(message));
            QVERIFY(!invalidArgumentMessage([&] { sceneRegions(factors); }).isEmpty());
            QVERIFY(!invalidArgumentMessage([&] { sceneIndex(factors); }).isEmpty());
            std::vector<std::uint8_t> buffer(64 * 64 * 3);
            QVERIFY(!invalidArgumentMessage([&] { renderSceneInto(factors, 64, buffer.data()); }).isEmpty());
            QVERIFY(!invalidArgumentMessage([&] {
                renderScenesInto({SceneFactors {}, factors}, 64, buffer.data());
            }).isEmpty());
        }
    const QString unknown = invalidArgumentMessage([] { sceneFactorFromName("colour"); });
    QVERIFY2(unknown.contains("colour") && unknown.contains("floor_hue"), qPrintable(unknown));
    QVERIFY(invalidArgumentMessage([] { sceneFactorFromName(""); }).contains("''"));
    QVERIFY(invalidArgumentMessage([] { sceneFactorsAt(-1); }).contains("-1"));
    QVERIFY(invalidArgumentMessage([] { sceneFactorsAt(480000); }).contains("480000"));
    QVERIFY(invalidArgumentMessage([] { renderScene(SceneFactors {}, 8); }).contains("resolution"));
    QVERIFY(invalidArgumentMessage([] { sceneScale(8); }).contains("scale"));
    QVERIFY(invalidArgumentMessage([] { sceneOrientationDegrees(15); }).contains("orientation"));
    QVERIFY(invalidArgumentMessage([] { sceneHue(10); }).contains("hue"));
}

void TstScenes::renderingIsFast()
{
    // The benchmark (tests/bench/bench_datasets) measures the rate; this only catches an order-of-magnitude slip.
    constexpr int Count = 500;
    std::vector<std::uint8_t> buffer(64 * 64 * 3);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < Count; ++i)
        renderSceneInto(sceneFactorsAt(std::int64_t(i) * 959), 64, buffer.data());
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString("%1 scenes took %2 ms").arg(Count).arg(timer.elapsed())));
}

void TstScenes::datasetLayoutAndCounts()
{
    const double ratio = 0.05;
    const BiasedDataset dataset = buildBiasedScenes(ColoringOptions {ratio, 0.0, 0}, 32);
    QCOMPARE(dataset.name, std::string("scenes"));
    QCOMPARE(dataset.targetNames, sceneShapeNames());
    QCOMPARE(dataset.biasNames, sceneHueBandNames());
    QCOMPARE(dataset.numBiases(), NumShapes);
    QCOMPARE(dataset.train.count, NumShapes * TrainPerShape);
    QCOMPARE(dataset.train.channels, 3);
    QCOMPARE(dataset.train.height, 32);
    QCOMPARE(dataset.train.width, 32);
    QCOMPARE(int(dataset.train.pixels.size()), NumShapes * TrainPerShape * 32 * 32 * 3);

    const int conflictingPerShape = TrainPerShape - alignedCount(TrainPerShape, ratio);
    QCOMPARE(conflictingPerShape, 100);
    std::vector<int> perShape(NumShapes, 0), conflicting(NumShapes, 0);
    std::vector<std::vector<int>> cells(NumShapes, std::vector<int>(NumShapes, 0));
    for (int i = 0; i < dataset.train.count; ++i) {
        const auto t = dataset.train.targets[i], b = dataset.train.biases[i];
        QVERIFY(t >= 0 && t < NumShapes && b >= 0 && b < NumShapes);
        perShape[t] += 1;
        conflicting[t] += t != b ? 1 : 0;
        cells[t][b] += 1;
    }
    for (int shape = 0; shape < NumShapes; ++shape) {
        QCOMPARE(perShape[shape], TrainPerShape);
        QCOMPARE(conflicting[shape], conflictingPerShape);
        // The conflicting samples cycle through the other bands: 100 split as evenly as 3 bands allow.
        for (int band = 0; band < NumShapes; ++band)
            if (band != shape)
                QVERIFY(std::abs(cells[shape][band] - conflictingPerShape / 3) <= 1);
    }

    for (const LabeledImages *split : {&dataset.valid, &dataset.test}) {
        QCOMPARE(split->count, NumShapes * NumShapes * EvalPerCell);
        std::vector<std::vector<int>> evalCells(NumShapes, std::vector<int>(NumShapes, 0));
        for (int i = 0; i < split->count; ++i)
            evalCells[split->targets[i]][split->biases[i]] += 1;
        for (const auto &row : evalCells)
            for (int cell : row)
                QCOMPARE(cell, EvalPerCell);
    }
    QCOMPARE(sceneHueBandBegin(0), 0);
    QCOMPARE(sceneHueBandBegin(1), 3);
    QCOMPARE(sceneHueBandBegin(2), 5);
    QCOMPARE(sceneHueBandBegin(3), 8);
    QCOMPARE(sceneHueBandBegin(4), 10);
}

void TstScenes::datasetIsDeterministicAndTestIsShared()
{
    const BiasedDataset a = buildBiasedScenes(ColoringOptions {0.02, 0.0, 5}, 32);
    const BiasedDataset b = buildBiasedScenes(ColoringOptions {0.02, 0.0, 5}, 32);
    const BiasedDataset c = buildBiasedScenes(ColoringOptions {0.02, 0.0, 6}, 32);
    QVERIFY(a.train.pixels == b.train.pixels && a.train.biases == b.train.biases);
    QVERIFY(a.valid.pixels == b.valid.pixels);
    QVERIFY(a.train.pixels != c.train.pixels);
    QVERIFY(a.valid.pixels != c.valid.pixels);
    QVERIFY(a.test.pixels == c.test.pixels); // every seed is scored on the same test set
}

void TstScenes::datasetThroughTheFactory()
{
    DatasetKind kind = DatasetKind::ColoredMnist10k;
    QVERIFY(parseDatasetKey("scenes", kind));
    QCOMPARE(kind, DatasetKind::Scenes);
    QCOMPARE(datasetKey(DatasetKind::Scenes), std::string("scenes"));
    const auto kinds = allDatasetKinds();
    QVERIFY(std::find(kinds.begin(), kinds.end(), DatasetKind::Scenes) != kinds.end());
    QVERIFY(datasetHasRatio(kind) && !datasetNeedsPath(kind) && datasetHasImageSize(kind));

    std::vector<std::string> targets, biases;
    QVERIFY(fixedLabelNames(kind, targets, biases));
    QCOMPARE(targets, sceneShapeNames());
    QCOMPARE(biases, sceneHueBandNames());

    const auto factors = datasetFactors(kind);
    QCOMPARE(int(factors.size()), SceneFactorCount);
    for (int f = 0; f < SceneFactorCount; ++f) {
        QCOMPARE(factors[f].name, sceneFactorName(SceneFactor(f)));
        QCOMPARE(factors[f].count, SceneFactorSizes[f]);
    }
    QCOMPARE(int(datasetFactors(DatasetKind::Sprites).size()), 5);
    QVERIFY(datasetFactors(DatasetKind::ColoredMnist10k).empty());

    DatasetSpec spec;
    spec.kind = DatasetKind::Scenes;
    spec.ratio = 0.01;
    spec.imageSize = 32;
    const BiasedDataset built = buildDataset(spec);
    QCOMPARE(built.name, std::string("scenes"));
    QCOMPARE(built.train.height, 32);
    QVERIFY(built.train.pixels == buildBiasedScenes(ColoringOptions {0.01, 0.0, 0}, 32).train.pixels);
}

void TstScenes::badDatasetOptionsThrow()
{
    for (int resolution : {0, 16, 48, 128})
        QVERIFY_THROWS_EXCEPTION(DataError, buildBiasedScenes(ColoringOptions {0.01, 0.0, 0}, resolution));
    for (double ratio : {-0.1, 1.5})
        QVERIFY_THROWS_EXCEPTION(DataError, buildBiasedScenes(ColoringOptions {ratio, 0.0, 0}, 32));
}

QTEST_GUILESS_MAIN(TstScenes)
#include "tst_scenes.moc"
