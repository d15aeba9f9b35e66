// Factor worlds (Sprites and Scenes behind one description), the world-generic factor effects and matched rescoring on
// hand-made prediction tables, the renderer sanity check (a tiny Scenes reader trained here in seconds, and the
// shipped 64 px reader), and bad input: reader files that are not readers, training options that make no sense.
#include "dataerror.h"

#include "dataerrorof.h"
#include "factors/factorlabels.h"
#include "factors/factorreader.h"
#include "factors/factorrescoring.h"
#include "factors/factorworld.h"
#include "factors/oraclerescoring.h"
#include "factors/readingpairs.h"
#include "seededrandom.h"
#include "shippedresources.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

using namespace untangle;
using untangle::test::dataErrorOf;

namespace {

constexpr int TinyResolution = 16;
constexpr int ShippedResolution = 64;
constexpr int OracleSamples = 256;

const FactorWorld &scenes()
{
    return FactorWorld::of(WorldKind::Scenes);
}

const FactorWorld &sprites()
{
    return FactorWorld::of(WorldKind::Sprites);
}

/** One image per tuple; each factor's row is one-hot at the tuple's index. */
FactorPredictions oneHot(const FactorWorld &world, const std::vector<std::vector<int>> &tuples)
{
    FactorPredictions table;
    table.count = int(tuples.size());
    for (int f = 0; f < world.factorCount(); ++f) {
        const int n = world.factors[std::size_t(f)].size;
        std::vector<double> rows(tuples.size() * std::size_t(n), 0.0);
        for (std::size_t i = 0; i < tuples.size(); ++i)
            rows[i * std::size_t(n) + std::size_t(tuples[i][std::size_t(f)])] = 1.0;
        table.probabilities.push_back(rows);
    }
    return table;
}

/** count images of soft, seeded rows (every row a distribution, no class at 0 or 1). */
FactorPredictions softTable(const FactorWorld &world, int count, std::uint64_t seed)
{
    SeededRandom random(seed);
    FactorPredictions table;
    table.count = count;
    for (const auto &factor : world.factors) {
        std::vector<double> rows;
        for (int i = 0; i < count; ++i) {
            std::vector<double> row;
            double sum = 0.0;
            for (int c = 0; c < factor.size; ++c) {
                row.push_back(1.0 + random.below(100));
                sum += row.back();
            }
            for (double p : row)
                rows.push_back(p / sum);
        }
        table.probabilities.push_back(rows);
    }
    return table;
}

/** The message of the std::invalid_argument fn throws; "no exception" or "wrong exception ..." otherwise. */
QString invalidArgumentOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const std::invalid_argument &error) {
        return QString::fromUtf8(error.what());
    } catch (const std::exception &error) {
        return QStringLiteral("wrong exception type: ") + error.what();
    }
    return QStringLiteral("no exception");
}

bool isInvalidArgument(const QString &message)
{
    return message != "no exception" && !message.startsWith("wrong exception type");
}

bool near(double a, double b, double tolerance = 1e-12)
{
    return std::abs(a - b) <= tolerance;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TstFactorWorld : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_cache; // XDG_CACHE_HOME: no test may fill (or read) the user's reader cache
    std::string m_tinyReader; // a Scenes reader at 16 px trained in initTestCase

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid() && m_cache.isValid());
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
        FactorReaderTrainingOptions options;
        options.world = "scenes";
        options.resolution = TinyResolution;
        options.steps = 150;
        options.batchSize = 32;
        options.heldOut = 128;
        options.seed = 5;
        m_tinyReader = m_dir.filePath("tiny-scenes-r16.pt").toStdString();
        QElapsedTimer timer;
        timer.start();
        const auto info = trainFactorReaderModel(options, m_tinyReader);
        qInfo("tiny Scenes reader (%d px, %d steps of %d): %lld ms", TinyResolution, options.steps, options.batchSize,
            timer.elapsed());
        QCOMPARE(info.world, std::string("scenes"));
        QCOMPARE(info.resolution, TinyResolution);
        QCOMPARE(info.path, m_tinyReader);
        QCOMPARE(int(info.accuracy.size()), 6);
        QVERIFY(QFile::exists(QString::fromStdString(m_tinyReader)));
    }

    // --- the worlds -------------------------------------------------------------------------------------------------

    void scenesHasSixFactors()
    {
        const auto &world = scenes();
        QCOMPARE(world.kind, WorldKind::Scenes);
        QCOMPARE(world.key, std::string("scenes"));
        QCOMPARE(world.channels, 3);
        QCOMPARE(world.factorCount(), 6);
        QCOMPARE(world.sizes(), (std::vector<int> {10, 10, 10, 8, 4, 15}));
        QCOMPARE(world.names(),
            (std::vector<std::string> {"floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"}));
        const FactorKind kinds[] = {FactorKind::Circular, FactorKind::Circular, FactorKind::Circular,
            FactorKind::Ordinal, FactorKind::Categorical, FactorKind::Ordinal};
        for (int f = 0; f < 6; ++f)
            QCOMPARE(world.factors[std::size_t(f)].kind, kinds[f]);
        QCOMPARE(world.imageBytes(64), std::size_t(64 * 64 * 3));
    }

    void spritesHasFiveFactors()
    {
        const auto &world = sprites();
        QCOMPARE(world.kind, WorldKind::Sprites);
        QCOMPARE(world.key, std::string("sprites"));
        QCOMPARE(world.channels, 1);
        QCOMPARE(world.factorCount(), 5);
        QCOMPARE(world.names(), (std::vector<std::string> {"shape", "scale", "orientation", "x", "y"}));
        QCOMPARE(world.sizes(), (std::vector<int> {3, 6, 40, 32, 32}));
        QCOMPARE(world.factors[0].kind, FactorKind::Categorical);
        QCOMPARE(world.factors[2].kind, FactorKind::Circular);
    }

    void lookupByKeyAndByImages()
    {
        QCOMPARE(FactorWorld::byKey("scenes"), &scenes());
        QCOMPARE(FactorWorld::byKey("sprites"), &sprites());
        QVERIFY(FactorWorld::byKey("nope") == nullptr);
        QVERIFY(FactorWorld::byKey("") == nullptr);
        QCOMPARE(FactorWorld::forImages(3, 64), &scenes());
        QCOMPARE(FactorWorld::forImages(3, 16), &scenes());
        QCOMPARE(FactorWorld::forImages(1, 32), &sprites());
        QCOMPARE(FactorWorld::forImages(1, 64), &sprites());
        QVERIFY(FactorWorld::forImages(2, 64) == nullptr);
        QVERIFY(FactorWorld::forImages(1, 48) == nullptr);
        QVERIFY(FactorWorld::forImages(3, 8) == nullptr);
        QVERIFY(FactorWorld::forImages(3, 512) == nullptr);
    }

    void factorIndexNamesTheKnownFactors()
    {
        QCOMPARE(scenes().factorIndex("floor_hue"), 0);
        QCOMPARE(scenes().factorIndex("shape"), 4);
        QCOMPARE(sprites().factorIndex("y"), 4);
        const QString message = invalidArgumentOf([] { scenes().factorIndex("nope"); });
        QVERIFY2(isInvalidArgument(message), qPrintable(message));
        QVERIFY2(message.contains("'nope'"), qPrintable(message));
        for (const auto &name : scenes().names())
            QVERIFY2(message.contains(QString::fromStdString(name)), qPrintable(message));
    }

    void randomTuplesAreSeededAndInRange()
    {
        SeededRandom a(11), b(11);
        const auto first = scenes().randomTuples(50, a);
        QCOMPARE(first.size(), std::size_t(50 * 6));
        QCOMPARE(scenes().randomTuples(50, b), first);
        for (std::size_t i = 0; i < first.size(); ++i)
            QVERIFY(first[i] >= 0 && first[i] < scenes().factors[i % 6].size);
    }

    void renderIsDeterministic()
    {
        for (const FactorWorld *world : {&scenes(), &sprites()}) {
            const int resolution = 32;
            SeededRandom random(3);
            const auto tuples = world->randomTuples(6, random);
            const std::size_t bytes = 6 * world->imageBytes(resolution);
            std::vector<std::uint8_t> first(bytes, 0), second(bytes, 0xff);
            world->render(tuples, resolution, first.data());
            world->render(tuples, resolution, second.data());
            QVERIFY2(first == second, world->key.c_str());
            // A different tuple draws a different image (the first factor moved by one class).
            auto moved = tuples;
            moved[0] = (moved[0] + 1) % world->factors[0].size;
            std::vector<std::uint8_t> third(bytes);
            world->render(moved, resolution, third.data());
            QVERIFY(!std::equal(first.begin(), first.begin() + long(world->imageBytes(resolution)), third.begin()));
            QVERIFY(std::equal(first.begin() + long(world->imageBytes(resolution)), first.end(),
                third.begin() + long(world->imageBytes(resolution))));
        }
    }

    void readingPairsTileSamplesOverTheirRenders()
    {
        // Three Scenes "samples" (renders of random tuples) read as themselves: each render row repeats its sample row.
        const FactorWorld &world = scenes();
        const int resolution = 16, columns = 2;
        SeededRandom random(5);
        const auto read = world.randomTuples(3, random);
        std::vector<ImageU8> images;
        for (int i = 0; i < 3; ++i) {
            ImageU8 image {
                resolution, resolution, world.channels, std::vector<std::uint8_t>(world.imageBytes(resolution))};
            world.render(
                std::vector<int>(read.begin() + i * world.factorCount(), read.begin() + (i + 1) * world.factorCount()),
                resolution, image.bytes.data());
            images.push_back(image);
        }
        const auto rows = firstSampleRows(3, columns);
        QCOMPARE(rows, (std::vector<std::vector<int>> {{0, 1}, {2}}));
        const ImageU8 pairs = readingPairs(world, resolution, images, read, rows, columns);
        const int cell = resolution + 2; // 2 px gaps
        QCOMPARE(pairs.width, columns * cell - 2);
        QCOMPARE(pairs.height, 4 * cell - 2);
        const auto at = [&](int row, int column, int x, int y, int c) {
            return pairs.bytes[std::size_t(((row * cell + y) * pairs.width + column * cell + x) * pairs.channels + c)];
        };
        int differing = 0;
        for (int y = 0; y < resolution; ++y)
            for (int x = 0; x < resolution; ++x)
                for (int c = 0; c < pairs.channels; ++c) {
                    differing += at(0, 0, x, y, c) != at(1, 0, x, y, c); // sample 0 over its render
                    differing += at(2, 0, x, y, c) != at(3, 0, x, y, c); // sample 2 over its render
                    QCOMPARE(at(3, 1, x, y, c), std::uint8_t(0)); // the short row's empty cell stays black
                }
        QCOMPARE(differing, 0);
        // Bad input is named, nothing drawn: read values that do not fit the samples, an index past them, a long row.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            readingPairs(world, resolution, images, std::vector<int>(read.begin(), read.end() - 1), rows, columns));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, readingPairs(world, resolution, images, read, {{0, 3}}, columns));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, readingPairs(world, resolution, images, read, {{0, 1, 2}}, columns));
    }

    void renderRefusesBadTuplesBeforeDrawing()
    {
        const auto &world = scenes();
        SeededRandom random(4);
        const auto good = world.randomTuples(3, random);
        std::vector<std::uint8_t> out(3 * world.imageBytes(32), 0xab);
        const auto untouched = out;
        struct Case {
            const char *what;
            int at; // position in the tuples of the bad index
            int value;
            const char *named; // the factor the message names
        };
        for (const Case &c :
            {Case {"scale 8", 2 * 6 + 3, 8, "scale"}, Case {"orientation -1", 2 * 6 + 5, -1, "orientation"},
                Case {"shape 4", 1 * 6 + 4, 4, "shape"}, Case {"floor hue 10", 2 * 6 + 0, 10, "floor_hue"}}) {
            auto bad = good;
            bad[std::size_t(c.at)] = c.value;
            const QString message = invalidArgumentOf([&] { world.render(bad, 32, out.data()); });
            QVERIFY2(isInvalidArgument(message), c.what);
            QVERIFY2(message.contains(c.named), qPrintable(message));
            QVERIFY2(out == untouched, c.what); // every tuple is checked before the first image is drawn
        }
        auto ragged = good;
        ragged.pop_back();
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] { world.render(ragged, 32, out.data()); })));
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] { world.render(good, 8, out.data()); })));
        SeededRandom spriteRandom(4);
        const auto spriteTuples = sprites().randomTuples(1, spriteRandom);
        const QString message = invalidArgumentOf([&] { sprites().render(spriteTuples, 48, out.data()); });
        QVERIFY2(isInvalidArgument(message) && message.contains("48"), qPrintable(message));
        QVERIFY(out == untouched);
    }

    // --- factor effects on hand-made tables -------------------------------------------------------------------------

    void ordinalShiftOfOneClass()
    {
        const auto &world = scenes();
        // scale (8 classes) 3 -> 4 and 0 -> 1; everything else unchanged.
        const auto base = oneHot(world, {{1, 2, 3, 3, 1, 7}, {4, 5, 6, 0, 2, 0}});
        const auto shifted = oneHot(world, {{1, 2, 3, 4, 1, 7}, {4, 5, 6, 1, 2, 0}});
        const auto e = factorEffects(world, base, shifted);
        QCOMPARE(int(e.size()), 6);
        QVERIFY2(near(e[3], 1.0 / 7.0), qPrintable(QString::number(e[3])));
        for (int f : {0, 1, 2, 4, 5})
            QCOMPARE(e[std::size_t(f)], 0.0);
        // The sign is kept: back again is negative.
        QVERIFY(near(factorEffects(world, shifted, base)[3], -1.0 / 7.0));
        // orientation (15 classes, a line) 14 -> 13 on one image, 0 -> 1 on the other: no wrap, mean 0.
        const auto turned = oneHot(world, {{1, 2, 3, 3, 1, 6}, {4, 5, 6, 0, 2, 1}});
        QVERIFY(near(factorEffects(world, base, turned)[5], 0.0));
        const auto up = oneHot(world, {{1, 2, 3, 3, 1, 8}, {4, 5, 6, 0, 2, 1}});
        QVERIFY(near(factorEffects(world, base, up)[5], 1.0 / 14.0));
        // Sprites x (32 classes) by one class.
        const auto spriteBase = oneHot(sprites(), {{0, 1, 5, 10, 20}});
        const auto spriteShifted = oneHot(sprites(), {{0, 1, 5, 11, 20}});
        QVERIFY(near(factorEffects(sprites(), spriteBase, spriteShifted)[3], 1.0 / 31.0));
    }

    void circularShiftOfOneClass()
    {
        const auto &world = scenes();
        // floor hue 3 -> 4, wall hue 9 -> 0 (across the wrap), object hue 0 -> 9 (backwards across it).
        const auto base = oneHot(world, {{3, 9, 0, 2, 1, 7}});
        const auto shifted = oneHot(world, {{4, 0, 9, 2, 1, 7}});
        const auto e = factorEffects(world, base, shifted);
        QVERIFY2(near(e[0], 2.0 / 10.0), qPrintable(QString::number(e[0])));
        QVERIFY2(near(e[1], 2.0 / 10.0), qPrintable(QString::number(e[1])));
        QVERIFY2(near(e[2], -2.0 / 10.0), qPrintable(QString::number(e[2])));
        for (int f : {3, 4, 5})
            QCOMPARE(e[std::size_t(f)], 0.0);
        // Half a turn reads 1 in magnitude.
        const auto half = oneHot(world, {{8, 9, 0, 2, 1, 7}});
        QVERIFY(near(std::abs(factorEffects(world, base, half)[0]), 1.0));
        // Sprites orientation (40 classes, circular): 39 -> 0 is 2/40.
        const auto spriteBase = oneHot(sprites(), {{0, 1, 39, 10, 20}});
        const auto spriteShifted = oneHot(sprites(), {{0, 1, 0, 10, 20}});
        QVERIFY(near(factorEffects(sprites(), spriteBase, spriteShifted)[2], 2.0 / 40.0));
    }

    void categoricalEffectIsTheDistanceOfMeanDistributions()
    {
        const auto &world = scenes();
        // Shapes 0..3, one image each: uniform proportions.
        const auto base
            = oneHot(world, {{0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2}, {3, 3, 3, 3, 3, 3}});
        const auto permuted
            = oneHot(world, {{0, 0, 0, 0, 1, 0}, {1, 1, 1, 1, 2, 1}, {2, 2, 2, 2, 3, 2}, {3, 3, 3, 3, 0, 3}});
        const auto e = factorEffects(world, base, permuted);
        for (int f = 0; f < 6; ++f)
            QCOMPARE(e[std::size_t(f)], 0.0); // a permutation keeps the proportions: 0 by definition
        // Every image to class 0: mean (1/4 each) -> (1, 0, 0, 0): TV = 0.5 (3/4 + 3 * 1/4) = 3/4.
        const auto allZero
            = oneHot(world, {{0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 0, 1}, {2, 2, 2, 2, 0, 2}, {3, 3, 3, 3, 0, 3}});
        const auto z = factorEffects(world, base, allZero);
        QVERIFY2(near(z[4], 0.75), qPrintable(QString::number(z[4])));
        for (int f : {0, 1, 2, 3, 5})
            QCOMPARE(z[std::size_t(f)], 0.0);
        // From classes 1..3 to class 0 (what the renderer check does): TV = 1.
        const auto fromOthers = oneHot(world, {{0, 0, 0, 0, 1, 0}, {1, 1, 1, 1, 2, 1}, {2, 2, 2, 2, 3, 2}});
        const auto toZero = oneHot(world, {{0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 0, 1}, {2, 2, 2, 2, 0, 2}});
        QVERIFY(near(factorEffects(world, fromOthers, toZero)[4], 1.0));
    }

    void unchangedFactorsReadZero()
    {
        const auto table = softTable(scenes(), 20, 9);
        for (double e : factorEffects(scenes(), table, table))
            QCOMPARE(e, 0.0);
        const auto spriteTable = softTable(sprites(), 20, 9);
        for (double e : factorEffects(sprites(), spriteTable, spriteTable))
            QCOMPARE(e, 0.0);
    }

    void validateRejectsBadTables()
    {
        const auto &world = scenes();
        const auto good = softTable(world, 3, 1);
        good.validate(world, "good"); // does not throw
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] { good.validate(sprites(), "other world"); })));
        struct Case {
            const char *what;
            std::function<void(FactorPredictions &)> spoil;
        };
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const std::vector<Case> cases = {{"no images", [](FactorPredictions &t) { t.count = 0; }},
            {"count larger than the tables", [](FactorPredictions &t) { t.count = 4; }},
            {"a factor table missing", [](FactorPredictions &t) { t.probabilities.pop_back(); }},
            {"a factor table too many", [](FactorPredictions &t) { t.probabilities.push_back({1.0}); }},
            {"a table one value short", [](FactorPredictions &t) { t.probabilities[3].pop_back(); }},
            {"a negative probability",
                [](FactorPredictions &t) {
                    t.probabilities[4][0] += 0.5 + t.probabilities[4][1];
                    t.probabilities[4][1] = -0.5;
                }},
            {"NaN", [nan](FactorPredictions &t) { t.probabilities[0][5] = nan; }},
            {"infinity", [](FactorPredictions &t) { t.probabilities[5][2] = std::numeric_limits<double>::infinity(); }},
            {"a row summing to 0.9", [](FactorPredictions &t) { t.probabilities[2][10] -= 0.1 * 1.0; }},
            {"a row summing to 0", [](FactorPredictions &t) {
                 std::fill(t.probabilities[1].begin(), t.probabilities[1].begin() + 10, 0.0);
             }}};
        for (const auto &c : cases) {
            auto bad = good;
            c.spoil(bad);
            const QString message = invalidArgumentOf([&] { bad.validate(world, "the table"); });
            QVERIFY2(isInvalidArgument(message), qPrintable(QString(c.what) + ": " + message));
            QVERIFY2(message.contains("the table"), qPrintable(message));
            // The effects and the matched rescoring check their tables the same way (no crash, no garbage).
            QVERIFY2(isInvalidArgument(invalidArgumentOf([&] { factorEffects(world, good, bad); })), c.what);
            QVERIFY2(isInvalidArgument(invalidArgumentOf([&] { factorEffects(world, bad, good); })), c.what);
            QVERIFY2(isInvalidArgument(invalidArgumentOf([&] {
                matchedFactorRescoring(world, good, {good, bad});
            })),
                c.what);
        }
        // Valid tables of different image counts do not pair.
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] { factorEffects(world, good, softTable(world, 4, 1)); })));
    }

    // --- the matched statistic ---------------------------------------------------------------------------------------

    void identicalTablesGiveZeroWithZeroWidthIntervals()
    {
        const auto &world = scenes();
        const auto base = softTable(world, 40, 2);
        BootstrapOptions bootstrap;
        bootstrap.resamples = 200;
        bootstrap.seed = 3;
        const auto result = matchedFactorRescoring(world, base, {base, base, base}, bootstrap);
        QCOMPARE(result.cells.rows, 3);
        QCOMPARE(result.cells.cols, 6);
        for (double v : result.cells.values)
            QCOMPARE(v, 0.0);
        QCOMPARE(result.matched.rows, 6);
        for (double v : result.matched.values)
            QCOMPARE(v, 0.0);
        for (const auto *interval : {&result.diagonal, &result.offDiagonal}) {
            QCOMPARE(interval->mean, 0.0);
            QCOMPARE(interval->low, 0.0);
            QCOMPARE(interval->high, 0.0);
        }
    }

    void fixedMatchingIsHonoured()
    {
        const auto &world = scenes();
        // Six images; direction d moves factor d by one class (hues and ordinals) or moves shape to class 0.
        const std::vector<std::vector<int>> tuples
            = {{0, 1, 2, 3, 1, 4}, {5, 6, 7, 0, 2, 9}, {9, 0, 4, 6, 3, 13}, {2, 2, 2, 2, 1, 2}};
        const auto base = oneHot(world, tuples);
        std::vector<FactorPredictions> moved;
        for (int d = 0; d < 6; ++d) {
            auto edited = tuples;
            for (auto &t : edited)
                t[std::size_t(d)] = d == 4 ? 0 : (t[std::size_t(d)] + 1) % world.factors[std::size_t(d)].size;
            moved.push_back(oneHot(world, edited));
        }
        BootstrapOptions bootstrap;
        bootstrap.resamples = 100;
        const auto free = matchedFactorRescoring(world, base, moved, bootstrap);
        QCOMPARE(free.matchedDirection, (std::vector<int> {0, 1, 2, 3, 4, 5}));
        QVERIFY(free.diagonal.mean > 0.1);
        QCOMPARE(free.offDiagonal.mean, 0.0);
        QVERIFY2(near(free.cells.at(3, 3), 1.0 / 7.0), qPrintable(QString::number(free.cells.at(3, 3))));
        QVERIFY(near(free.cells.at(0, 0), 0.2));
        QVERIFY(near(free.cells.at(4, 4), 1.0)); // classes 1..3 -> 0
        // A fixed matching is used as given, even when it is the worst one.
        const std::vector<int> reversed {5, 4, 3, 2, 1, 0};
        const auto fixed = matchedFactorRescoring(world, base, moved, bootstrap, reversed);
        QCOMPARE(fixed.matchedDirection, reversed);
        for (int g = 0; g < 6; ++g)
            for (int h = 0; h < 6; ++h)
                QCOMPARE(fixed.matched.at(g, h), fixed.cells.at(reversed[std::size_t(g)], h));
        QCOMPARE(fixed.diagonal.mean, 0.0); // no factor is matched with the direction that moves it
        QVERIFY(fixed.offDiagonal.mean > 0.0);
        // A matching of the wrong length or naming a direction that does not exist is refused.
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] {
            matchedFactorRescoring(world, base, moved, bootstrap, {0, 1, 2});
        })));
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] {
            matchedFactorRescoring(world, base, moved, bootstrap, {0, 1, 2, 3, 4, 6});
        })));
        QVERIFY(isInvalidArgument(invalidArgumentOf([&] {
            matchedFactorRescoring(world, base, moved, bootstrap, {0, 1, 2, 3, -1, 5});
        })));
    }

    void bootstrapMatchesAgainOnEachResample()
    {
        // Two directions tie on factor 0 over all images: direction 0 moves it on the even images, direction 1 on
        // the odd ones (mean 0.5 each); only direction 0 moves factor 1 (0.2 on every image). On a resample the
        // better of the two is the one whose images were drawn more often, so a statistic that matches again never
        // reads factor 0 below 0.5, while the full sample's choice (direction 0) does on half the resamples.
        const int n = 40;
        std::vector<std::vector<std::vector<double>>> changes(2);
        for (int i = 0; i < n; ++i) {
            changes[0].push_back({i % 2 == 0 ? 1.0 : 0.0, 0.2});
            changes[1].push_back({i % 2 == 1 ? 1.0 : 0.0, 0.0});
        }
        const auto identity = [](const std::vector<double> &mean) { return mean; };
        BootstrapOptions bootstrap;
        bootstrap.resamples = 400;
        const auto free = matchedRescoringFromChanges(changes, 2, identity, bootstrap);
        const auto fixed = matchedRescoringFromChanges(changes, 2, identity, bootstrap, free.matchedDirection);
        QCOMPARE(free.matchedDirection, (std::vector<int> {0, 0}));
        const double floor = (0.5 + 0.2) / 2;
        QVERIFY(near(free.diagonal.mean, floor)); // the full sample ties: both statistics read the same there
        QVERIFY(near(fixed.diagonal.mean, floor));
        QVERIFY2(free.diagonal.low >= floor - 1e-12, qPrintable(QString::number(free.diagonal.low)));
        QVERIFY2(fixed.diagonal.low < floor - 0.02, qPrintable(QString::number(fixed.diagonal.low)));
        QVERIFY(free.diagonal.high >= fixed.diagonal.high - 1e-12);
    }

    void noDirectionsIsRefused()
    {
        const auto base = softTable(scenes(), 5, 1);
        const QString message = invalidArgumentOf([&] { matchedFactorRescoring(scenes(), base, {}); });
        QVERIFY2(isInvalidArgument(message) && message.contains("direction"), qPrintable(message));
        QVERIFY(isInvalidArgument(invalidArgumentOf([] {
            matchedRescoringFromChanges(
                {}, 6, [](const std::vector<double> &m) { return m; }, BootstrapOptions {});
        })));
    }

    void oraclePassRule()
    {
        OracleRescoring oracle;
        oracle.authors.diagonal.mean = 0.2;
        oracle.authors.offDiagonal.mean = 0.0199;
        QVERIFY(oracle.passes());
        oracle.authors.offDiagonal.mean = 0.0201;
        QVERIFY(!oracle.passes());
    }

    // --- the renderer sanity check ----------------------------------------------------------------------------------

    void tinyReaderSeesTheHues()
    {
        QElapsedTimer timer;
        timer.start();
        const auto oracle = oracleRescoring(scenes(), TinyResolution, OracleSamples, RescoringSeed, m_tinyReader);
        qInfo("renderer check with the tiny reader: %lld ms\n%s", timer.elapsed(), oracle.report().c_str());
        QCOMPARE(oracle.world, std::string("scenes"));
        QCOMPARE(oracle.resolution, TinyResolution);
        QCOMPARE(oracle.samples, OracleSamples);
        QCOMPARE(oracle.reader, m_tinyReader);
        QCOMPARE(oracle.authors.cells.rows, 6);
        QCOMPARE(oracle.authors.cells.cols, 6);
        QCOMPARE(oracle.authors.matchedDirection, (std::vector<int> {0, 1, 2, 3, 4, 5}));
        const std::vector<double> expected {0.2, 0.2, 0.2, 1.0 / 7.0, 1.0, 1.0 / 14.0};
        QCOMPARE(int(oracle.expectedDiagonal.size()), 6);
        for (int f = 0; f < 6; ++f)
            QVERIFY(near(oracle.expectedDiagonal[std::size_t(f)], expected[std::size_t(f)]));
        // Hues are learned almost at once: each hue edit moves its own hue well beyond any other factor's reading,
        // and no other edit moves that hue's reading much (geometry is not asserted for a reader this weak).
        const auto &cells = oracle.authors.cells;
        for (int h = 0; h < 3; ++h) {
            QVERIFY2(cells.at(h, h) > 0.1, qPrintable(QString("hue %1 reads %2").arg(h).arg(cells.at(h, h))));
            for (int g = 0; g < 6; ++g) {
                if (g == h)
                    continue;
                QVERIFY2(cells.at(h, h) > 5.0 * cells.at(h, g),
                    qPrintable(QString("edit %1 moves factor %2 by %3").arg(h).arg(g).arg(cells.at(h, g))));
                QVERIFY2(cells.at(h, h) > 5.0 * cells.at(g, h),
                    qPrintable(QString("edit %1 moves hue %2 by %3").arg(g).arg(h).arg(cells.at(g, h))));
            }
        }
        // Deterministic for a seed.
        const auto again = oracleRescoring(scenes(), TinyResolution, OracleSamples, RescoringSeed, m_tinyReader);
        QCOMPARE(again.authors.cells.values, oracle.authors.cells.values);
    }

    void oracleRefusesBadInput()
    {
        QVERIFY(isInvalidArgument(
            invalidArgumentOf([&] { oracleRescoring(scenes(), TinyResolution, 1, RescoringSeed, m_tinyReader); })));
        // The tiny reader reads 16 px images, not 32.
        const QString other = dataErrorOf([&] { oracleRescoring(scenes(), 32, 8, RescoringSeed, m_tinyReader); });
        QVERIFY2(other.contains(QString::fromStdString(m_tinyReader)) && other.contains("16"), qPrintable(other));
        const QString missing = dataErrorOf([&] {
            oracleRescoring(scenes(), TinyResolution, 8, RescoringSeed, m_dir.filePath("none.pt").toStdString());
        });
        QVERIFY2(missing.contains("none.pt"), qPrintable(missing));
    }

    void shippedReaderPassesTheOracle()
    {
        const std::string shipped = shippedFactorReaderPath("scenes", ShippedResolution);
        QVERIFY2(!shipped.empty(), "resources/models/scenes-factors-r64-v1.pt is not there");
        QElapsedTimer timer;
        timer.start();
        const auto oracle = oracleRescoring(scenes(), ShippedResolution, OracleSamples, RescoringSeed, shipped);
        qInfo("renderer check with the shipped reader: %lld ms\n%s", timer.elapsed(), oracle.report().c_str());
        QCOMPARE(oracle.reader, shipped);
        QVERIFY2(oracle.passes(), oracle.report().c_str());
        // passes() compares means only: one well-read factor can carry five unread ones (a reader trained for two
        // steps passes it). A reader worth shipping also reads every factor's own edit at half what a perfect
        // reader would.
        for (int f = 0; f < oracle.authors.cells.rows; ++f)
            QVERIFY2(oracle.authors.cells.at(f, f) >= 0.5 * oracle.expectedDiagonal[std::size_t(f)],
                qPrintable(QString("%1 reads %2 of its edit, a perfect reader %3")
                               .arg(QString::fromStdString(oracle.factorNames[std::size_t(f)]))
                               .arg(oracle.authors.cells.at(f, f))
                               .arg(oracle.expectedDiagonal[std::size_t(f)])));
    }

    // --- bad input ----------------------------------------------------------------------------------------------

    void readerFileDescribesItself()
    {
        const auto info = readFactorReaderModel(m_tinyReader);
        QCOMPARE(info.world, std::string("scenes"));
        QCOMPARE(info.resolution, TinyResolution);
        QCOMPARE(info.steps, 150);
        QCOMPARE(info.batchSize, 32);
        QCOMPARE(info.heldOut, 128);
        QCOMPARE(info.seed, std::uint64_t(5));
        QCOMPARE(info.path, m_tinyReader);
        QCOMPARE(int(info.accuracy.size()), 6);
        for (const auto &a : info.accuracy) {
            QVERIFY(a.exact >= 0.0 && a.exact <= 1.0);
            QVERIFY(a.withinOne >= a.exact);
            QVERIFY(a.confidence > 0.0 && a.confidence <= 1.0);
        }
        QVERIFY(info.summary().find("floor_hue") != std::string::npos);
    }

    void badReaderFilesAreDataErrors()
    {
        const QByteArray real = readAll(QString::fromStdString(m_tinyReader));
        QVERIFY(real.size() > 1000);
        struct Case {
            const char *name;
            QByteArray bytes;
            bool write;
        };
        const std::vector<Case> cases = {{"missing.pt", {}, false}, {"empty.pt", {}, true},
            {"text.pt", "this is not a factor reader\n", true}, {"half.pt", real.left(real.size() / 2), true},
            {"head.pt", real.left(200), true}, {"no-tail.pt", real.left(real.size() - 30), true}};
        for (const auto &c : cases) {
            const QString path = m_dir.filePath(c.name);
            if (c.write)
                QVERIFY(writeAll(path, c.bytes));
            const QString message = dataErrorOf([&] { readFactorReaderModel(path.toStdString()); });
            QVERIFY2(message.contains(path), qPrintable(QString(c.name) + ": " + message));
        }
        // A folder is not a file.
        const QString folder = dataErrorOf([&] { readFactorReaderModel(m_dir.path().toStdString()); });
        QVERIFY2(folder.contains(m_dir.path()), qPrintable(folder));
    }

    void directionsAreNamedAfterTheirDominantFactor()
    {
        const std::vector<std::string> names = {"floor_hue", "wall_hue", "scale"};
        const Matrix magnitude = Matrix::fromRows({{0.1, 0.4, 0.0}, {0.0, 0.0, 0.0}, {0.3, 0.1, 0.6}});
        const auto labels = factorLabels(magnitude, names);
        QCOMPARE(int(labels.size()), 3);
        QCOMPARE(labels[0].factor, 1);
        QCOMPARE(labels[0].text, std::string("wall hue 0.80")); // 0.4 of 0.5
        QCOMPARE(labels[1].factor, -1); // moves nothing
        QCOMPARE(labels[1].text, std::string("no factor"));
        QCOMPARE(labels[2].factor, 2);
        QVERIFY(std::abs(labels[2].share - 0.6) < 1e-12);

        DirectionSet set;
        set.method = "sefa";
        set.styleSize = 2;
        for (int k = 0; k < 3; ++k)
            set.directions.push_back(
                {"sefa " + std::to_string(k + 1), k == 2 ? "moves the box" : "", 1, 0.0, 1.0, {1.0, 0.0}});
        const auto labelled = labelledByFactors(set, magnitude, names);
        QCOMPARE(labelled.directions[0].name, std::string("wall hue 0.80"));
        QCOMPARE(labelled.directions[0].note, std::string("was: sefa 1"));
        QCOMPARE(labelled.directions[2].note, std::string("was: sefa 3; moves the box"));
        QCOMPARE(labelled.directions[0].vector, set.directions[0].vector); // only the names change
        // Labelling again keeps the method's name in the note instead of stacking "was: wall hue 0.80".
        const auto twice = labelledByFactors(labelled, magnitude, names);
        QCOMPARE(twice.directions[0].note, std::string("was: sefa 1"));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, factorLabels(magnitude, {"one", "two"}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, labelledByFactors(set, Matrix::fromRows({{1.0, 0.0, 0.0}}), names));
    }

    void labelsReadCellsAgainstRandomDirections()
    {
        // Random directions move the shape reading a lot (0.06) and a hue little (0.01): a direction that moves the
        // floor hue 0.12 and the shape 0.13 is a floor-hue direction (12x vs 2.2x), though its largest cell is shape.
        const std::vector<std::string> names = {"floor_hue", "scale", "shape"};
        const Matrix random = Matrix::fromRows({{0.02, 0.03, 0.05}, {0.0, 0.01, 0.07}});
        const auto floor = randomDirectionFloor(random);
        QCOMPARE(int(floor.size()), 3);
        QVERIFY(std::abs(floor[0] - 0.01) < 1e-12 && std::abs(floor[1] - 0.02) < 1e-12);
        QVERIFY(std::abs(floor[2] - 0.06) < 1e-12);
        const Matrix magnitude = Matrix::fromRows({{0.12, 0.01, 0.13}, {0.0, 0.01, 0.30}, {0.0, 0.0, 0.0}});
        const auto plain = factorLabels(magnitude, names);
        QCOMPARE(plain[0].factor, 2); // the largest cell
        const auto labels = factorLabels(magnitude, names, floor);
        QCOMPARE(labels[0].factor, 0);
        QVERIFY(std::abs(labels[0].timesRandom - 12.0) < 1e-9);
        QCOMPARE(labels[0].text, std::string("floor hue 12x"));
        QVERIFY(std::abs(labels[0].strength - 0.12) < 1e-12); // the cell itself
        QVERIFY(std::abs(labels[0].share - 12.0 / (12.0 + 0.5 + 0.13 / 0.06)) < 1e-9);
        QCOMPARE(labels[1].factor, 2); // 5x shape beats 0.5x scale
        QCOMPARE(labels[1].text, std::string("shape 5.0x"));
        QCOMPARE(labels[2].text, std::string("no factor"));
        // Moving every factor less than a random direction does, it is not named after one (its best in brackets).
        const auto weak = factorLabels(Matrix::fromRows({{0.004, 0.01, 0.042}}), names, floor); // 0.4x, 0.5x, 0.7x
        QCOMPARE(weak[0].factor, 2);
        QCOMPARE(weak[0].text, std::string("weak (shape 0.7x)"));
        QCOMPARE(factorDisplayName("object_hue"), std::string("object hue")); // how every page writes a factor
        // A factor no random direction moved: read against a small floor, not divided by zero.
        const auto still = factorLabels(Matrix::fromRows({{0.001, 0.0, 0.0}}), names, {0.0, 0.02, 0.06});
        QCOMPARE(still[0].factor, 0);
        QVERIFY(std::isfinite(still[0].timesRandom));
        QVERIFY(randomDirectionFloor(Matrix {}).empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, factorLabels(magnitude, names, {0.01, 0.02}));
    }

    void trainingOptionsAreValidated()
    {
        struct Case {
            const char *what;
            std::function<void(FactorReaderTrainingOptions &)> spoil;
            const char *named;
        };
        const std::vector<Case> cases = {
            {"world nope", [](FactorReaderTrainingOptions &o) { o.world = "nope"; }, "nope"},
            {"sprites at 48 px",
                [](FactorReaderTrainingOptions &o) {
                    o.world = "sprites";
                    o.resolution = 48;
                },
                "48"},
            {"scenes at 48 px (the reader needs a power of two)",
                [](FactorReaderTrainingOptions &o) { o.resolution = 48; }, "48"},
            {"scenes at 8 px", [](FactorReaderTrainingOptions &o) { o.resolution = 8; }, "8"},
            {"steps 0", [](FactorReaderTrainingOptions &o) { o.steps = 0; }, "steps"},
            {"batch 0", [](FactorReaderTrainingOptions &o) { o.batchSize = 0; }, "batch"},
            {"held-out 0", [](FactorReaderTrainingOptions &o) { o.heldOut = 0; }, "held-out"},
            {"augmentation 2", [](FactorReaderTrainingOptions &o) { o.augmentation = 2.0; }, "augmentation"},
            {"augmentation -0.1", [](FactorReaderTrainingOptions &o) { o.augmentation = -0.1; }, "augmentation"},
            {"learning rate 0", [](FactorReaderTrainingOptions &o) { o.learningRate = 0.0; }, "learning rate"},
            {"learning rate NaN",
                [](FactorReaderTrainingOptions &o) { o.learningRate = std::numeric_limits<double>::quiet_NaN(); },
                "learning rate"},
        };
        FactorReaderTrainingOptions good;
        good.validate(); // the defaults are valid, and so is every power of two the Scenes renderer draws
        for (int resolution : {16, 32, 128, 256}) {
            auto options = good;
            options.resolution = resolution;
            options.validate();
        }
        for (const auto &c : cases) {
            auto options = good;
            c.spoil(options);
            const QString message = invalidArgumentOf([&] { options.validate(); });
            QVERIFY2(isInvalidArgument(message), qPrintable(QString(c.what) + ": " + message));
            QVERIFY2(message.contains(c.named), qPrintable(QString(c.what) + ": " + message));
            // Training refuses the same options before it writes anything.
            const QString path = m_dir.filePath("refused.pt");
            QVERIFY2(isInvalidArgument(invalidArgumentOf([&] { trainFactorReaderModel(options, path.toStdString()); })),
                c.what);
            QVERIFY(!QFile::exists(path));
        }
    }
};

QTEST_GUILESS_MAIN(TstFactorWorld)
#include "tst_factorworld.moc"
