// The critic's negatives (negative data augmentation): images no world draws, shown to the critic as fake. Mirror
// blends (any world), view averages (Scenes: a room seen from several values of a factor at once) and shape morphs
// (Sprites: a sprite halfway between two shapes). Each kind is checked for what it draws, that it changes a run
// repeatably and is recorded in config.json, and that a bad weight or the wrong world is refused by name.
#include "selfcheck/latentselfcheck.h"
#include "tinygan.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace untangle;
using untangle::test::bytesOf;
using untangle::test::invalidArgumentOf;
using untangle::test::sceneAsStream;
using untangle::test::tinyGanConfig;

namespace {

GanConfig tinyScenesConfig(int iterations)
{
    GanConfig config = tinyGanConfig(iterations);
    config.sprites = false;
    config.dataset.kind = DatasetKind::Scenes;
    return config;
}

/** Whether every value of `image` (one of `count` in `batch`) lies within the per-value range of `sources`. */
bool withinRangeOf(const std::vector<float> &batch, int image, const std::vector<std::vector<float>> &sources)
{
    const std::size_t size = sources.front().size();
    const float *values = batch.data() + std::size_t(image) * size;
    for (std::size_t p = 0; p < size; ++p) {
        float low = 1.0f, high = -1.0f;
        for (const auto &source : sources) {
            low = std::min(low, source[p]);
            high = std::max(high, source[p]);
        }
        if (values[p] < low - 1e-5f || values[p] > high + 1e-5f)
            return false;
    }
    return true;
}

/** Mean |difference| between `image` of `batch` and the nearest of `sources`. */
double distanceToNearest(const std::vector<float> &batch, int image, const std::vector<std::vector<float>> &sources)
{
    const std::size_t size = sources.front().size();
    double nearest = 1e30;
    for (const auto &source : sources) {
        double difference = 0.0;
        for (std::size_t p = 0; p < size; ++p)
            difference += std::abs(batch[std::size_t(image) * size + p] - source[p]);
        nearest = std::min(nearest, difference / double(size));
    }
    return nearest;
}

} // namespace

class TstGanNegatives : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString runDir(const QString &name) const { return m_dir.filePath(name); }

    /** `plain` for 3 iterations, and `plain` with `weight` in `field` twice: the negatives change the critic's step,
     *  hence the generator's next one; they come from (seed, iteration), so the same run twice is the same to the
     *  bit (a resumed run repeats them), and config.json records the weight under `key`, only when it is set. Then
     *  -1, 101 and NaN are refused, naming `what`. */
    void checkNegativesInARun(
        const GanConfig &plain, double GanConfig::*field, double weight, const QString &key, const QString &what)
    {
        GanConfig negated = plain;
        negated.checkpointEvery = 3;
        negated.*field = weight;
        GanConfig without = negated;
        without.*field = 0.0;
        const QString off = runDir(key + "-off"), on = runDir(key + "-on"), again = runDir(key + "-again");
        trainGan(without, {}, off.toStdString());
        trainGan(negated, {}, on.toStdString());
        trainGan(negated, {}, again.toStdString());
        QVERIFY(bytesOf(on + "/snapshots/iter-000003.pt") != bytesOf(off + "/snapshots/iter-000003.pt"));
        QCOMPARE(bytesOf(on + "/snapshots/iter-000003.pt"), bytesOf(again + "/snapshots/iter-000003.pt"));
        QCOMPARE(readGanConfig(on.toStdString()).*field, weight);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(off + "/config.json")).object().contains(key));
        for (const double bad : {-1.0, 101.0, std::nan("")}) {
            negated.*field = bad;
            const std::string refused = invalidArgumentOf([&] { negated.validate(); });
            QVERIFY2(QString::fromStdString(refused).contains(what), refused.c_str());
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void mirrorNegativesTrainTheCriticRepeatablyAndAreRecorded()
    {
        checkNegativesInARun(tinyGanConfig(3), &GanConfig::mirrorNegatives, 3.0, "mirrorNegatives", "mirror negatives");
    }

    void viewNegativesAverageViewsOfOneRoomAndTrainTheCritic()
    {
        // Only orientation varies, so every view negative is the held room seen from k of its 15 orientations and
        // averaged: per pixel within the range of the 15 renders, and never one of them (at least two views, all
        // different). The same (seed, iteration) gives the same negatives; another iteration others.
        constexpr int Side = 16, Count = 12;
        const std::vector<std::string> orientation {"orientation"};
        const auto averages = selfcheck::sceneViewAverages(Side, orientation, Count, 3, 7);
        QCOMPARE(selfcheck::sceneViewAverages(Side, orientation, Count, 3, 7), averages);
        QCOMPARE(selfcheck::sceneViewAverages(Side, orientation, Count, 3, 7, orientation), averages);
        QVERIFY(selfcheck::sceneViewAverages(Side, orientation, Count, 3, 8) != averages);
        std::vector<std::vector<float>> views;
        for (int o = 0; o < SceneFactorSizes[int(SceneFactor::Orientation)]; ++o)
            views.push_back(
                sceneAsStream({/*floor*/ 0, /*wall*/ 3, /*object*/ 6, /*scale*/ 4, int(SceneShape::Cube), o}, Side));
        for (int i = 0; i < Count; ++i) {
            QVERIFY(withinRangeOf(averages, i, views));
            QVERIFY(distanceToNearest(averages, i, views) > 1e-3);
        }
        checkNegativesInARun(tinyScenesConfig(3), &GanConfig::viewNegatives, 2.0, "viewNegatives", "view negatives");
        GanConfig sprites = tinyGanConfig(2);
        sprites.viewNegatives = 1.0;
        const std::string refused = invalidArgumentOf([&] { sprites.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("Scenes world only"), refused.c_str());
    }

    void viewNegativesAverageOverTheFactorsTheyName()
    {
        // Averaged over shape in a world where only shape varies, each negative is the held room with k of its four
        // objects blended in: within the range of the four renders, none of them. Averaged over shape or scale with
        // both varying, some rooms blend objects of one scale and others one object at several scales.
        constexpr int Side = 16, Count = 12;
        const std::vector<std::string> shape {"shape"};
        const auto blends = selfcheck::sceneViewAverages(Side, shape, Count, 3, 7, shape);
        std::vector<std::vector<float>> objects;
        for (int s = 0; s < SceneFactorSizes[int(SceneFactor::Shape)]; ++s)
            objects.push_back(
                sceneAsStream({0, 3, 6, 4, s, SceneFactorSizes[int(SceneFactor::Orientation)] / 2}, Side));
        for (int i = 0; i < Count; ++i) {
            QVERIFY(withinRangeOf(blends, i, objects));
            QVERIFY(distanceToNearest(blends, i, objects) > 1e-3);
        }
        QVERIFY(blends != selfcheck::sceneViewAverages(Side, shape, Count, 3, 7));

        // In a run: recorded in config.json; a factor list without a weight, or a name no factor has, is refused.
        GanConfig config = tinyScenesConfig(2);
        config.viewNegatives = 1.0;
        config.viewNegativeFactors = {"orientation", "shape", "scale"};
        const QString dir = runDir("view-factors");
        trainGan(config, {}, dir.toStdString());
        QCOMPARE(readGanConfig(dir.toStdString()).viewNegativeFactors, config.viewNegativeFactors);
        config.viewNegatives = 0.0;
        QString refused = QString::fromStdString(invalidArgumentOf([&] { config.validate(); }));
        QVERIFY2(refused.contains("need view negatives"), qPrintable(refused));
        config.viewNegatives = 1.0;
        config.viewNegativeFactors = {"orientation", "colour"};
        refused = QString::fromStdString(invalidArgumentOf([&] { config.validate(); }));
        QVERIFY2(refused.contains("colour"), qPrintable(refused));
        // A factor the world holds (--vary) is refused by name, orientation too when it is the default list.
        config.variedSceneFactors = shape;
        config.viewNegativeFactors = {};
        refused = QString::fromStdString(invalidArgumentOf([&] { config.validate(); }));
        QVERIFY2(refused.contains("orientation") && refused.contains("holds"), qPrintable(refused));
        config.viewNegativeFactors = {"shape", "scale"};
        refused = QString::fromStdString(invalidArgumentOf([&] { config.validate(); }));
        QVERIFY2(refused.contains("scale") && !refused.contains("over shape"), qPrintable(refused));
        config.viewNegativeFactors = shape;
        config.validate();
    }

    void shapeNegativesDrawASpriteBetweenTwoShapes()
    {
        // The morph's two ends are the two shapes' renders; halfway it holds every pixel both shapes cover and none
        // that neither covers (the mixed signed distance is negative where both are), and it is neither shape.
        constexpr int Side = 64;
        int between = 0;
        for (const SpriteFactors pose : {SpriteFactors {2, 5, 0, 16, 16}, SpriteFactors {2, 2, 13, 5, 27},
                 SpriteFactors {0, 4, 7, 20, 9}, SpriteFactors {1, 0, 31, 30, 1}}) {
            for (int other = 0; other < 3; ++other) {
                if (other == pose.shape)
                    continue;
                SpriteFactors otherPose = pose;
                otherPose.shape = other;
                const auto first = renderSprite(pose, Side).bytes, second = renderSprite(otherPose, Side).bytes;
                QCOMPARE(selfcheck::spriteMorph(pose, other, 1.0, Side), first);
                QCOMPARE(selfcheck::spriteMorph(pose, other, 0.0, Side), second);
                const auto half = selfcheck::spriteMorph(pose, other, 0.5, Side);
                QCOMPARE(selfcheck::spriteMorph(otherPose, pose.shape, 0.5, Side), half);
                for (std::size_t p = 0; p < half.size(); ++p) {
                    QVERIFY(half[p] == 0 || half[p] == 255);
                    if (first[p] && second[p])
                        QCOMPARE(int(half[p]), 255);
                    if (!first[p] && !second[p])
                        QCOMPARE(int(half[p]), 0);
                }
                between += half != first && half != second;
            }
        }
        QCOMPARE(between, 8); // every pair, at every scale tried, halfway is a third shape

        // The stream: binary, from (seed, iteration), drawn in Sprites only.
        const auto morphs = selfcheck::spriteShapeMorphs(32, 16, 3, 7);
        QCOMPARE(selfcheck::spriteShapeMorphs(32, 16, 3, 7), morphs);
        QVERIFY(selfcheck::spriteShapeMorphs(32, 16, 3, 8) != morphs);
        QVERIFY(std::all_of(morphs.begin(), morphs.end(), [](float v) { return v == -1.0f || v == 1.0f; }));
        QVERIFY(std::count(morphs.begin(), morphs.end(), 1.0f) > 16 * 10); // each draws some pixels
        checkNegativesInARun(tinyGanConfig(3), &GanConfig::shapeNegatives, 2.0, "shapeNegatives", "shape negatives");
        GanConfig scenes = tinyScenesConfig(2);
        scenes.shapeNegatives = 1.0;
        const std::string refused = invalidArgumentOf([&] { scenes.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("Sprites world only"), refused.c_str());
    }
};

QTEST_GUILESS_MAIN(TstGanNegatives)
#include "tst_gannegatives.moc"
