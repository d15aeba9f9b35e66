// The procedural dSprites-like renderer (docs/methods/sre.md §7.1) and the biased Sprites dataset built on it.
#include "biasassignment.h"
#include "dataerror.h"
#include "spritesdataset.h"
#include "spritesrenderer.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

using namespace untangle;

namespace {

constexpr int NumShapes = 3;
constexpr int NumScales = 6;
constexpr int NumOrientations = 40;
constexpr int NumPositions = 32;
constexpr int TrainPerShape = 2000; // the dataset's documented train size per shape
constexpr int EvalPerCell = 200; // the dataset's documented valid/test size per (shape, band) cell

/** Foreground area, centroid (pixel-centre coordinates) and bounding box of channel 0. */
struct Blob {
    int area = 0;
    double cx = 0.0;
    double cy = 0.0;
    int left = 1 << 30, right = -1, top = 1 << 30, bottom = -1;

    int boxArea() const { return (right - left + 1) * (bottom - top + 1); }
};

Blob measure(const std::uint8_t *pixels, int width, int height, int channels)
{
    Blob blob;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            if (!pixels[(std::size_t(y) * width + x) * channels])
                continue;
            ++blob.area;
            blob.cx += x + 0.5;
            blob.cy += y + 0.5;
            blob.left = std::min(blob.left, x);
            blob.right = std::max(blob.right, x);
            blob.top = std::min(blob.top, y);
            blob.bottom = std::max(blob.bottom, y);
        }
    if (blob.area > 0) {
        blob.cx /= blob.area;
        blob.cy /= blob.area;
    }
    return blob;
}

Blob measure(const ImageU8 &image)
{
    return measure(image.bytes.data(), image.width, image.height, image.channels);
}

Blob render(int shape, int scale, int orientation, int x, int y, int resolution)
{
    return measure(renderSprite(SpriteFactors {shape, scale, orientation, x, y}, resolution));
}

/** First and last x index of each of the three bias bands (left, centre, right), as documented in spritesdataset.cpp.
 */
constexpr int BandFirst[3] = {0, 11, 22};
constexpr int BandLast[3] = {10, 21, 31};

bool sameBytes(const LabeledImages &a, const LabeledImages &b)
{
    return a.pixels == b.pixels && a.targets == b.targets && a.biases == b.biases;
}

} // namespace

class TstSprites : public QObject {
    Q_OBJECT

private slots:
    void factorValues();
    void outputIsBinaryAndOneChannel();
    void squareAtOrientationZeroFillsItsBox();
    void squareAt45DegreesIsNotAxisAligned();
    void areaGrowsWithScale();
    void positionMovesTheCentroid();
    void everyShapeTurnsAboutItsCentre();
    void largestSpritesStayInside();
    void renderingIsDeterministic();
    void fullTurnEqualsNoTurn();
    void resolution32MatchesDownscaled64();
    void shapeAreasMatchTheirGeometry();
    void outOfRangeThrows();
    void renderingASweepDrawsSprites();

    void datasetLayout();
    void trainConflictingCountsFollowTheProtocol();
    void evalSplitsAreBalancedAndTestIsShared();
    void spritesSitInTheirBiasBand();
    void targetIsTheShape();
    void sameSeedSameBytes();
    void badDatasetOptionsThrow();
};

void TstSprites::factorValues()
{
    QCOMPARE(spriteScale(0), 0.5);
    QCOMPARE(spriteScale(5), 1.0);
    QVERIFY(std::abs(spriteScale(1) - 0.6) < 1e-12);
    QCOMPARE(spriteOrientation(0), 0.0);
    QVERIFY(std::abs(spriteOrientation(39) - 2.0 * M_PI) < 1e-12);
    QVERIFY(std::abs(spriteOrientation(1) - 2.0 * M_PI / 39.0) < 1e-12);
    QCOMPARE(spritePosition(0), 0.0);
    QCOMPARE(spritePosition(31), 1.0);

    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), f + 1);
    QCOMPARE(factors.shape, 1);
    QCOMPARE(factors.scale, 2);
    QCOMPARE(factors.orientation, 3);
    QCOMPARE(factors.x, 4);
    QCOMPARE(factors.y, 5);
    for (int f = 0; f < SpriteFactorCount; ++f)
        QCOMPARE(factors.index(SpriteFactor(f)), f + 1);
}

void TstSprites::outputIsBinaryAndOneChannel()
{
    for (int resolution : {32, 64}) {
        const ImageU8 image = renderSprite(SpriteFactors {2, 3, 7, 12, 20}, resolution);
        QCOMPARE(image.width, resolution);
        QCOMPARE(image.height, resolution);
        QCOMPARE(image.channels, 1);
        QCOMPARE(int(image.bytes.size()), resolution * resolution);
        int foreground = 0;
        for (std::uint8_t value : image.bytes) {
            QVERIFY(value == 0 || value == 255);
            foreground += value == 255;
        }
        QVERIFY(foreground > 0);
    }
}

void TstSprites::squareAtOrientationZeroFillsItsBox()
{
    for (int resolution : {32, 64})
        for (int scale = 0; scale < NumScales; ++scale)
            for (int x : {0, 9, 31})
                for (int y : {0, 17, 31}) {
                    const Blob blob = render(0, scale, 0, x, y, resolution);
                    QVERIFY(blob.area > 0);
                    QCOMPARE(blob.area, blob.boxArea());
                    // A square: width and height agree to within the one pixel that sampling can add on a side.
                    QVERIFY(std::abs((blob.right - blob.left) - (blob.bottom - blob.top)) <= 1);
                }
}

void TstSprites::squareAt45DegreesIsNotAxisAligned()
{
    QVERIFY(std::abs(spriteOrientation(5) - M_PI / 4) < 0.03); // index 5 is 46.2 degrees
    for (int resolution : {32, 64})
        for (int scale : {3, 5}) {
            const Blob blob = render(0, scale, 5, 15, 15, resolution);
            // A diamond covers half of its bounding box; an axis-aligned square all of it.
            const double fill = double(blob.area) / blob.boxArea();
            QVERIFY2(fill < 0.7, qPrintable(QString("fill %1").arg(fill)));
            QVERIFY(fill > 0.4);
        }
}

void TstSprites::areaGrowsWithScale()
{
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int orientation : {0, 5, 13, 26, 39})
            for (int x : {0, 15, 31}) {
                const int y = (x * 7 + orientation) % NumPositions;
                int previous64 = 0;
                std::vector<int> areas32;
                for (int scale = 0; scale < NumScales; ++scale) {
                    const int area64 = render(shape, scale, orientation, x, y, 64).area;
                    QVERIFY2(area64 > previous64,
                        qPrintable(QString("shape %1 orientation %2 x %3 scale %4")
                                       .arg(shape)
                                       .arg(orientation)
                                       .arg(x)
                                       .arg(scale)));
                    previous64 = area64;
                    areas32.push_back(render(shape, scale, orientation, x, y, 32).area);
                }
                // At 32 a scale step moves an edge by a quarter pixel, so sampling may repeat an area once, not twice.
                for (int scale = 1; scale < NumScales; ++scale)
                    QVERIFY(areas32[scale] >= areas32[scale - 1]);
                for (int scale = 2; scale < NumScales; ++scale)
                    QVERIFY(areas32[scale] > areas32[scale - 2]);
            }
}

void TstSprites::positionMovesTheCentroid()
{
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int scale : {0, 3, 5})
            for (int orientation : {0, 3, 11, 20}) {
                // x moves right (strictly per step at 64, per two steps at 32) and leaves the row alone.
                const Blob first = render(shape, scale, orientation, 0, 10, 64);
                Blob previous = first;
                for (int x = 1; x < NumPositions; ++x) {
                    const Blob blob = render(shape, scale, orientation, x, 10, 64);
                    QVERIFY(blob.cx > previous.cx);
                    QVERIFY(std::abs(blob.cy - first.cy) < 1.5);
                    previous = blob;
                }
                // y moves down (image rows grow downward) and leaves the column alone.
                previous = render(shape, scale, orientation, 20, 0, 64);
                for (int y = 1; y < NumPositions; ++y) {
                    const Blob blob = render(shape, scale, orientation, 20, y, 64);
                    QVERIFY(blob.cy > previous.cy);
                    QVERIFY(std::abs(blob.cx - previous.cx) < 1.5);
                    previous = blob;
                }
                for (int x = 0; x + 2 < NumPositions; ++x)
                    QVERIFY(render(shape, scale, orientation, x + 2, 5, 32).cx
                        > render(shape, scale, orientation, x, 5, 32).cx);
                for (int y = 0; y + 2 < NumPositions; ++y)
                    QVERIFY(render(shape, scale, orientation, 5, y + 2, 32).cy
                        > render(shape, scale, orientation, 5, y, 32).cy);
            }
}

void TstSprites::everyShapeTurnsAboutItsCentre()
{
    // The heart is placed by its area centroid, so every sprite's centroid marks its (x, y) position: what the bias
    // bands rely on.
    for (int x : {0, 13, 31}) {
        const int y = 31 - x;
        const Blob reference = render(0, 5, 0, x, y, 64);
        for (int shape = 0; shape < NumShapes; ++shape)
            for (int scale = 0; scale < NumScales; ++scale)
                for (int orientation = 0; orientation < NumOrientations; ++orientation) {
                    const Blob blob = render(shape, scale, orientation, x, y, 64);
                    QVERIFY2(std::hypot(blob.cx - reference.cx, blob.cy - reference.cy) < 1.0,
                        qPrintable(QString("shape %1 scale %2 orientation %3").arg(shape).arg(scale).arg(orientation)));
                }
    }
}

void TstSprites::largestSpritesStayInside()
{
    for (int resolution : {32, 64})
        for (int shape = 0; shape < NumShapes; ++shape)
            for (int orientation = 0; orientation < NumOrientations; ++orientation)
                for (int x : {0, 31})
                    for (int y : {0, 31}) {
                        const Blob blob = render(shape, NumScales - 1, orientation, x, y, resolution);
                        QVERIFY(blob.area > 0);
                        QVERIFY(blob.left > 0);
                        QVERIFY(blob.top > 0);
                        QVERIFY(blob.right < resolution - 1);
                        QVERIFY(blob.bottom < resolution - 1);
                    }
}

void TstSprites::renderingIsDeterministic()
{
    for (int resolution : {32, 64})
        for (int shape = 0; shape < NumShapes; ++shape) {
            const SpriteFactors factors {shape, 4, 17, 6, 25};
            const ImageU8 a = renderSprite(factors, resolution);
            const ImageU8 b = renderSprite(factors, resolution);
            QVERIFY(a.bytes == b.bytes);
            // renderSpriteInto clears whatever the buffer held before.
            std::vector<std::uint8_t> buffer(std::size_t(resolution) * resolution, 77);
            renderSpriteInto(factors, resolution, buffer.data());
            QVERIFY(buffer == a.bytes);
        }
}

void TstSprites::fullTurnEqualsNoTurn()
{
    // dSprites' orientation factor includes both 0 and 2 pi: the same picture.
    for (int resolution : {32, 64})
        for (int shape = 0; shape < NumShapes; ++shape)
            for (int scale = 0; scale < NumScales; ++scale)
                for (int x = 0; x < NumPositions; x += 3)
                    QVERIFY(renderSprite(SpriteFactors {shape, scale, 0, x, 31 - x}, resolution).bytes
                        == renderSprite(SpriteFactors {shape, scale, NumOrientations - 1, x, 31 - x}, resolution)
                               .bytes);
}

void TstSprites::resolution32MatchesDownscaled64()
{
    double area32 = 0.0, area64 = 0.0;
    for (int shape = 0; shape < NumShapes; ++shape)
        for (int scale = 0; scale < NumScales; ++scale)
            for (int orientation = 0; orientation < NumOrientations; orientation += 3)
                for (int x = 0; x < NumPositions; x += 7)
                    for (int y = 0; y < NumPositions; y += 9) {
                        const Blob small = render(shape, scale, orientation, x, y, 32);
                        const Blob large = render(shape, scale, orientation, x, y, 64);
                        area32 += small.area;
                        area64 += large.area;
                        // Same place: the 32 centroid doubled lands on the 64 centroid.
                        QVERIFY(std::hypot(2 * small.cx - large.cx, 2 * small.cy - large.cy) < 1.5);
                        if (scale == NumScales - 1) {
                            const double ratio = 4.0 * small.area / large.area;
                            QVERIFY2(ratio > 0.8 && ratio < 1.2, qPrintable(QString("ratio %1").arg(ratio)));
                        }
                    }
    // Over many sprites the sampling errors cancel: a quarter of the area.
    QVERIFY2(std::abs(4.0 * area32 / area64 - 1.0) < 0.02, qPrintable(QString("%1").arg(4.0 * area32 / area64)));
}

void TstSprites::shapeAreasMatchTheirGeometry()
{
    const double square = render(0, 5, 0, 15, 15, 64).area;
    const double ellipse = render(1, 5, 0, 15, 15, 64).area;
    const double heart = render(2, 5, 0, 15, 15, 64).area;
    // Square side 2L: area 4L^2. Ellipse with semi-axes L and L/2: pi L^2 / 2, i.e. pi/8 of the square.
    QVERIFY2(std::abs(ellipse / square - M_PI / 8) < 0.03, qPrintable(QString("%1").arg(ellipse / square)));
    // The heart curve's area is 3.662 in its own units, scaled by 1/1.14^2 into the unit box: 0.70 of the square.
    QVERIFY2(std::abs(heart / square - 0.70) < 0.04, qPrintable(QString("%1").arg(heart / square)));
    // At orientation 0 the ellipse lies flat (wider than tall) and the heart is about as wide as the square.
    const Blob flat = render(1, 5, 0, 15, 15, 64);
    QVERIFY(flat.right - flat.left > 1.8 * (flat.bottom - flat.top));
    const Blob upright = render(2, 5, 0, 15, 15, 64);
    const Blob box = render(0, 5, 0, 15, 15, 64);
    QVERIFY(std::abs((upright.right - upright.left) - (box.right - box.left)) <= 1);
    // Upright heart: the tip points down in the image, so it reaches farther below the centroid than the lobes above.
    QVERIFY(upright.bottom + 0.5 - upright.cy > 1.2 * (upright.cy - upright.top - 0.5));
}

void TstSprites::outOfRangeThrows()
{
    for (int f = 0; f < SpriteFactorCount; ++f) {
        for (int bad : {-1, SpriteFactorSizes[f]}) {
            SpriteFactors factors {1, 2, 3, 4, 5};
            factors.setIndex(SpriteFactor(f), bad);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderSprite(factors, 32));
            std::vector<std::uint8_t> buffer(64 * 64);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderSpriteInto(factors, 64, buffer.data()));
        }
    }
    for (int resolution : {0, 16, 48, 128})
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderSprite(SpriteFactors {}, resolution));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spriteScale(6));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spriteOrientation(-1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spritePosition(32));
}

void TstSprites::renderingASweepDrawsSprites()
{
    // Speed is measured in tests/bench (bench_datasets), not asserted here; this renders a long sweep of factor tuples
    // into one reused buffer and checks that the sweep drew real sprites at the centre.
    constexpr int Count = 10000;
    for (int resolution : {32, 64}) {
        std::vector<std::uint8_t> buffer(std::size_t(resolution) * resolution);
        long long foreground = 0;
        QElapsedTimer timer;
        timer.start();
        for (int k = 0; k < Count; ++k) {
            const SpriteFactors factors {k % 3, (k / 3) % 6, (k / 18) % 40, (k * 7) % 32, (k * 13) % 32};
            renderSpriteInto(factors, resolution, buffer.data());
            foreground += buffer[std::size_t(resolution / 2) * resolution + std::size_t(resolution / 2)]; // the centre
        }
        const qint64 elapsed = timer.elapsed();
        qInfo("%d sprites at %dx%d: %lld ms", Count, resolution, resolution, elapsed);
        QVERIFY(foreground > 0); // some sprites of the sweep cover the centre pixel (a sum of bytes: > 0, not >= 0)
    }
}

void TstSprites::datasetLayout()
{
    for (int resolution : {32, 64}) {
        ColoringOptions options;
        options.ratio = 0.01;
        options.seed = 7;
        const BiasedDataset data = buildBiasedSprites(options, resolution);
        QCOMPARE(data.name, std::string("sprites"));
        QVERIFY(data.description.find("1%") != std::string::npos);
        QVERIFY(data.description.find("seed 7") != std::string::npos);
        QCOMPARE(data.targetNames, (std::vector<std::string> {"square", "ellipse", "heart"}));
        QCOMPARE(data.biasNames, (std::vector<std::string> {"left", "centre", "right"}));
        QVERIFY(data.warnings.empty());
        QCOMPARE(data.train.count, NumShapes * TrainPerShape);
        QCOMPARE(data.valid.count, NumShapes * 3 * EvalPerCell);
        QCOMPARE(data.test.count, NumShapes * 3 * EvalPerCell);
        for (const LabeledImages *split : {&data.train, &data.valid, &data.test}) {
            QCOMPARE(split->width, resolution);
            QCOMPARE(split->height, resolution);
            QCOMPARE(split->channels, 3);
            QCOMPARE(split->pixels.size(), split->imageBytes() * split->count);
            // Grey replicated: the three channels agree, and every pixel is 0 or 255.
            for (std::size_t p = 0; p < split->pixels.size(); p += 3) {
                const std::uint8_t v = split->pixels[p];
                if (v != split->pixels[p + 1] || v != split->pixels[p + 2] || (v != 0 && v != 255))
                    QFAIL("not a binary grey image");
            }
            for (int i = 0; i < split->count; ++i)
                if (measure(split->imageData(i), resolution, resolution, 3).area == 0)
                    QFAIL("empty sprite image");
        }
    }
}

void TstSprites::trainConflictingCountsFollowTheProtocol()
{
    for (double ratio : {0.0, 0.01, 0.05, 0.2, 1.0}) {
        ColoringOptions options;
        options.ratio = ratio;
        options.seed = 3;
        const LabeledImages train = buildBiasedSprites(options, 32).train;
        std::vector<std::array<int, 3>> cells(NumShapes, {0, 0, 0});
        for (int i = 0; i < train.count; ++i) {
            QVERIFY(train.targets[i] >= 0 && train.targets[i] < NumShapes);
            QVERIFY(train.biases[i] >= 0 && train.biases[i] < 3);
            ++cells[train.targets[i]][train.biases[i]];
        }
        for (int shape = 0; shape < NumShapes; ++shape) {
            const auto &row = cells[shape];
            QCOMPARE(row[0] + row[1] + row[2], TrainPerShape);
            const int conflicting = TrainPerShape - row[shape];
            QCOMPARE(conflicting, TrainPerShape - alignedCount(TrainPerShape, ratio));
            // Conflicting samples take the other two bands in turn.
            const int other1 = row[(shape + 1) % 3], other2 = row[(shape + 2) % 3];
            QVERIFY(other1 - other2 == 0 || other1 - other2 == 1);
        }
    }
}

void TstSprites::evalSplitsAreBalancedAndTestIsShared()
{
    ColoringOptions a;
    a.ratio = 0.01;
    a.seed = 0;
    ColoringOptions b;
    b.ratio = 0.05;
    b.seed = 1;
    const BiasedDataset first = buildBiasedSprites(a, 32);
    const BiasedDataset second = buildBiasedSprites(b, 32);
    for (const LabeledImages *split : {&first.valid, &first.test}) {
        int cells[3][3] = {};
        for (int i = 0; i < split->count; ++i)
            ++cells[split->targets[i]][split->biases[i]];
        for (auto &row : cells)
            for (int count : row)
                QCOMPARE(count, EvalPerCell);
    }
    QVERIFY(sameBytes(first.test, second.test)); // one test set for every run
    QVERIFY(!sameBytes(first.valid, second.valid)); // valid follows the seed
    QVERIFY(first.valid.pixels != first.test.pixels);
}

void TstSprites::spritesSitInTheirBiasBand()
{
    constexpr int Resolution = 32;
    constexpr double Tolerance = 1.25; // px at 32: worst centroid offset of a small, turned sprite is ~1 px
    // The band's horizontal extent in pixels, from the centroids of axis-aligned squares at its first and last x.
    double lo[3], hi[3];
    for (int band = 0; band < 3; ++band) {
        lo[band] = render(0, 5, 0, BandFirst[band], 16, Resolution).cx - Tolerance;
        hi[band] = render(0, 5, 0, BandLast[band], 16, Resolution).cx + Tolerance;
    }
    QVERIFY(hi[0] < lo[2]); // the outer bands are far apart even with the tolerance

    ColoringOptions options;
    options.ratio = 0.05;
    options.seed = 11;
    const BiasedDataset data = buildBiasedSprites(options, Resolution);
    for (const LabeledImages *split : {&data.train, &data.valid, &data.test}) {
        double meanX[3] = {}, count[3] = {};
        for (int i = 0; i < split->count; ++i) {
            const Blob blob = measure(split->imageData(i), Resolution, Resolution, 3);
            const int band = int(split->biases[i]);
            if (blob.cx < lo[band] || blob.cx > hi[band])
                QFAIL(qPrintable(QString("image %1 (aligned %2): centroid x %3 outside band %4 [%5, %6]")
                                     .arg(i)
                                     .arg(split->isAligned(i))
                                     .arg(blob.cx)
                                     .arg(band)
                                     .arg(lo[band])
                                     .arg(hi[band])));
            meanX[band] += blob.cx;
            count[band] += 1;
        }
        QVERIFY(meanX[0] / count[0] < meanX[1] / count[1]);
        QVERIFY(meanX[1] / count[1] < meanX[2] / count[2]);
    }
}

void TstSprites::targetIsTheShape()
{
    // Averaged over random scales and turns the shapes' areas keep their order: ellipse (pi/8 of the square) < heart
    // (0.70) < square, so the target label really names the shape drawn.
    ColoringOptions options;
    options.seed = 5;
    const BiasedDataset data = buildBiasedSprites(options, 64);
    for (const LabeledImages *split : {&data.train, &data.test}) {
        double area[3] = {}, count[3] = {};
        for (int i = 0; i < split->count; ++i) {
            area[split->targets[i]] += measure(split->imageData(i), 64, 64, 3).area;
            count[split->targets[i]] += 1;
        }
        const double square = area[0] / count[0], ellipse = area[1] / count[1], heart = area[2] / count[2];
        QVERIFY(ellipse < 0.5 * square);
        QVERIFY(heart > ellipse * 1.4 && heart < square * 0.85);
    }
}

void TstSprites::sameSeedSameBytes()
{
    ColoringOptions options;
    options.ratio = 0.02;
    options.seed = 42;
    const BiasedDataset a = buildBiasedSprites(options, 32);
    const BiasedDataset b = buildBiasedSprites(options, 32);
    QVERIFY(sameBytes(a.train, b.train));
    QVERIFY(sameBytes(a.valid, b.valid));
    QVERIFY(sameBytes(a.test, b.test));

    options.seed = 43;
    const BiasedDataset c = buildBiasedSprites(options, 32);
    QVERIFY(a.train.pixels != c.train.pixels);
    QVERIFY(a.train.biases != c.train.biases);
    QVERIFY(a.valid.pixels != c.valid.pixels);
}

void TstSprites::badDatasetOptionsThrow()
{
    ColoringOptions options;
    for (int resolution : {0, 16, 28, 48, 128})
        QVERIFY_THROWS_EXCEPTION(DataError, buildBiasedSprites(options, resolution));
    for (double ratio : {-0.1, 1.5})
        QVERIFY_THROWS_EXCEPTION(DataError, buildBiasedSprites(ColoringOptions {ratio, 0.0, 0}, 32));
}

QTEST_GUILESS_MAIN(TstSprites)
#include "tst_sprites.moc"
