// The Sprites rescoring matrix: the per-factor effect math on hand-made prediction tables, the summary of a known
// matrix, a hand-made generator whose directions each move one known factor, and bad input.
#include "dataerror.h"

#include "dataerrorof.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/spriteselfcheck.h"
#include "sprites/spritefactormodel.h"
#include "sprites/spriterescoring.h"

#include <QtTest>

#include <cmath>
#include <cstdio>

using namespace untangle;
using untangle::test::dataErrorOf;

namespace {

constexpr double Pi = 3.14159265358979323846;

/** One image per entry; each factor's row is one-hot at the given index. */
SpritePredictionTable oneHot(const std::vector<SpriteFactors> &sprites)
{
    SpritePredictionTable table;
    table.count = int(sprites.size());
    for (int f = 0; f < SpriteFactorCount; ++f) {
        table.probabilities[f].assign(sprites.size() * SpriteFactorSizes[f], 0.0);
        for (std::size_t i = 0; i < sprites.size(); ++i)
            table.probabilities[f][i * SpriteFactorSizes[f] + sprites[i].index(SpriteFactor(f))] = 1.0;
    }
    return table;
}

SpriteFactors sprite(int shape, int scale, int orientation, int x, int y)
{
    SpriteFactors s;
    s.shape = shape;
    s.scale = scale;
    s.orientation = orientation;
    s.x = x;
    s.y = y;
    return s;
}

double effect(const std::array<double, SpriteFactorCount> &e, SpriteFactor f)
{
    return e[int(f)];
}

} // namespace

class TstSpriteRescoring : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_folder;
    std::string m_modelPath;

private slots:
    void ordinalFactorsMoveByTheirExpectedIndex()
    {
        const auto base = oneHot({sprite(0, 1, 5, 10, 20), sprite(1, 2, 5, 12, 20)});
        const auto shifted = oneHot({sprite(0, 1, 5, 14, 20), sprite(1, 2, 5, 16, 20)}); // x + 4 on both
        const auto e = spriteFactorEffects(base, shifted);
        QVERIFY(std::abs(effect(e, SpriteFactor::PositionX) - 4.0 / 31.0) < 1e-12);
        for (SpriteFactor f :
            {SpriteFactor::Shape, SpriteFactor::Scale, SpriteFactor::Orientation, SpriteFactor::PositionY})
            QCOMPARE(effect(e, f), 0.0);
        // The sign is kept (docs/methods/sre.md, pitfall 15): back again is negative.
        QVERIFY(std::abs(effect(spriteFactorEffects(shifted, base), SpriteFactor::PositionX) + 4.0 / 31.0) < 1e-12);
        // Expected value, not argmax: half the mass two scale steps up moves scale by 1 step = 1/5.
        auto soft = base;
        for (int i = 0; i < 2; ++i) {
            auto *row = soft.probabilities[int(SpriteFactor::Scale)].data() + i * 6;
            const int at = i == 0 ? 1 : 2;
            row[at] = 0.5;
            row[at + 2] = 0.5;
        }
        QVERIFY(std::abs(effect(spriteFactorEffects(base, soft), SpriteFactor::Scale) - 0.2) < 1e-12);
    }

    void shapeChangeIsADistanceBetweenMeanDistributions()
    {
        // Everything turns into a heart: mean (1/3, 1/3, 1/3) -> (0, 0, 1), total variation 2/3.
        const auto base = oneHot({sprite(0, 0, 0, 0, 0), sprite(1, 0, 0, 0, 0), sprite(2, 0, 0, 0, 0)});
        const auto hearts = oneHot({sprite(2, 0, 0, 0, 0), sprite(2, 0, 0, 0, 0), sprite(2, 0, 0, 0, 0)});
        QVERIFY(std::abs(effect(spriteFactorEffects(base, hearts), SpriteFactor::Shape) - 2.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(effect(spriteFactorEffects(hearts, base), SpriteFactor::Shape) - 2.0 / 3.0) < 1e-12);
        // The documented blind spot: a cyclic swap keeps the proportions, so it reads as no change.
        const auto swapped = oneHot({sprite(1, 0, 0, 0, 0), sprite(2, 0, 0, 0, 0), sprite(0, 0, 0, 0, 0)});
        QVERIFY(std::abs(effect(spriteFactorEffects(base, swapped), SpriteFactor::Shape)) < 1e-12);
    }

    void orientationRespectsEachShapesSymmetry()
    {
        const double step = 2.0 * Pi / 39.0;
        // A heart (no symmetry) turned 3 steps: 3 step / pi of the largest distinguishable turn (pi).
        auto e = spriteFactorEffects(oneHot({sprite(2, 0, 10, 0, 0)}), oneHot({sprite(2, 0, 13, 0, 0)}));
        QVERIFY(std::abs(effect(e, SpriteFactor::Orientation) - 3.0 * step / Pi) < 1e-9);
        // A square turned by the same 3 steps: 4x that, its period being a quarter turn.
        e = spriteFactorEffects(oneHot({sprite(0, 0, 10, 0, 0)}), oneHot({sprite(0, 0, 13, 0, 0)}));
        QVERIFY(std::abs(effect(e, SpriteFactor::Orientation) - 4.0 * 3.0 * step / Pi) < 1e-9);
        // A square turned 10 steps (a quarter turn and a quarter step) looks the same: only the quarter step remains.
        e = spriteFactorEffects(oneHot({sprite(0, 0, 10, 0, 0)}), oneHot({sprite(0, 0, 20, 0, 0)}));
        QVERIFY(std::abs(effect(e, SpriteFactor::Orientation) - (4.0 * 10.0 * step - 2.0 * Pi) / Pi) < 1e-9);
        // Turning the other way is negative; index 39 (2 pi) is index 0.
        e = spriteFactorEffects(oneHot({sprite(2, 0, 13, 0, 0)}), oneHot({sprite(2, 0, 10, 0, 0)}));
        QVERIFY(effect(e, SpriteFactor::Orientation) < 0.0);
        e = spriteFactorEffects(oneHot({sprite(2, 0, 0, 0, 0)}), oneHot({sprite(2, 0, 39, 0, 0)}));
        QVERIFY(std::abs(effect(e, SpriteFactor::Orientation)) < 1e-9);
    }

    void badPredictionTablesAreRejected()
    {
        auto base = oneHot({sprite(0, 0, 0, 0, 0)});
        auto two = oneHot({sprite(0, 0, 0, 0, 0), sprite(1, 0, 0, 0, 0)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spriteFactorEffects(base, two));
        auto notADistribution = base;
        notADistribution.probabilities[int(SpriteFactor::Scale)][0] = 0.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spriteFactorEffects(base, notADistribution));
        auto ragged = base;
        ragged.probabilities[int(SpriteFactor::PositionY)].pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spriteFactorEffects(ragged, base));
    }

    void summaryOfAKnownMatrix()
    {
        // Three directions: one clean x mover, one that moves scale but spills onto shape, one weak y mover.
        const auto r
            = Matrix::fromRows({{0.0, 0.0, 0.0, 0.8, 0.0}, {0.4, 0.6, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.1, 0.0, 0.3}});
        const auto s = summariseRescoring(r);
        QCOMPARE(s.dominantFactor, (std::vector<int> {3, 1, 4}));
        QCOMPARE(s.onTarget, (std::vector<double> {0.8, 0.6, 0.3}));
        QVERIFY(std::abs(s.spillOver[0]) < 1e-12);
        QVERIFY(std::abs(s.spillOver[1] - 0.1) < 1e-12);
        QVERIFY(std::abs(s.spillOver[2] - 0.025) < 1e-12);
        QVERIFY(std::abs(s.meanSpillOver - 0.125 / 3.0) < 1e-12);
        // Matched view: shape's best direction is 1, scale 1, orientation 2, x 0, y 2.
        QCOMPARE(s.matchedDirection, (std::vector<int> {1, 1, 2, 0, 2}));
        QVERIFY(std::abs(s.matchedDiagonal - (0.4 + 0.6 + 0.1 + 0.8 + 0.3) / 5.0) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, summariseRescoring(Matrix::fromRows({{1.0}})));
    }

    void authorsMatchedStatisticOfHandMadePredictions()
    {
        // Four images; direction 0 moves x by +6, direction 1 moves scale by +1 and y by +4 (spill-over), direction 2
        // turns every shape into the next one. Orientation moves under none of them.
        const std::vector<SpriteFactors> base {
            sprite(0, 2, 0, 10, 10), sprite(1, 3, 0, 12, 20), sprite(2, 1, 0, 5, 5), sprite(0, 4, 0, 20, 8)};
        std::vector<SpriteFactors> xMoved = base, scaleMoved = base, shapeMoved = base;
        for (std::size_t i = 0; i < base.size(); ++i) {
            xMoved[i].x += 6;
            scaleMoved[i].scale += 1;
            scaleMoved[i].y += 4;
            shapeMoved[i].shape = (base[i].shape + 1) % 3;
        }
        BootstrapOptions bootstrap;
        bootstrap.resamples = 200;
        const auto r
            = matchedRescoring(oneHot(base), {oneHot(xMoved), oneHot(scaleMoved), oneHot(shapeMoved)}, bootstrap);
        QCOMPARE(r.cells.rows, 3);
        const int shape = int(SpriteFactor::Shape), scale = int(SpriteFactor::Scale), x = int(SpriteFactor::PositionX),
                  y = int(SpriteFactor::PositionY);
        QVERIFY(std::abs(r.cells.at(0, x) - 6.0 / 31.0) < 1e-12);
        QVERIFY(std::abs(r.cells.at(1, scale) - 0.2) < 1e-12);
        QVERIFY(std::abs(r.cells.at(1, y) - 4.0 / 31.0) < 1e-12);
        // Mean shape distribution (0.5, 0.25, 0.25) -> (0.25, 0.5, 0.25): total variation 0.25.
        QVERIFY(std::abs(r.cells.at(2, shape) - 0.25) < 1e-12);
        // Each factor's best direction (orientation: all zero, the first one).
        QCOMPARE(r.matchedDirection, (std::vector<int> {2, 1, 0, 0, 1}));
        QCOMPARE(r.matched.rows, SpriteFactorCount);
        QVERIFY(std::abs(r.matched.at(y, scale) - 0.2) < 1e-12); // y's row is direction 1's: its scale spill-over
        const double diagonal = (0.25 + 0.2 + 0.0 + 6.0 / 31.0 + 4.0 / 31.0) / 5.0;
        const double offDiagonal = (4.0 / 31.0 + 6.0 / 31.0 + 0.2) / 20.0;
        QVERIFY2(std::abs(r.diagonal.mean - diagonal) < 1e-12, qPrintable(QString::number(r.diagonal.mean)));
        QVERIFY2(std::abs(r.offDiagonal.mean - offDiagonal) < 1e-12, qPrintable(QString::number(r.offDiagonal.mean)));
        // The moves are the same on every image, so the off-diagonal cannot vary over resamples of z; the shape cell
        // depends on which shapes were drawn, so the diagonal's interval has width and holds the mean.
        QVERIFY(
            std::abs(r.offDiagonal.low - offDiagonal) < 1e-12 && std::abs(r.offDiagonal.high - offDiagonal) < 1e-12);
        QVERIFY(r.diagonal.low < r.diagonal.high);
        QVERIFY(r.diagonal.low <= diagonal && diagonal <= r.diagonal.high);
        // Bad input: no direction, a table over other images.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matchedRescoring(oneHot(base), {}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, matchedRescoring(oneHot(base), {oneHot({sprite(0, 0, 0, 0, 0)})}));
        SpriteRescoringOptions options;
        options.bootstrapResamples = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, options.validate());
    }

    void axisGeneratorDirectionsMoveTheirOwnFactor()
    {
        // The shipped 64 px factor model (resources/models): what every user's rescoring reads with, no training here.
        m_modelPath = shippedSpriteFactorModelPath(64);
        QVERIFY2(!m_modelPath.empty(), "resources/models/sprite-factors-r64-*.pt is missing");

        SpriteRescoringOptions options;
        options.samples = 256;
        options.factorModelPath = m_modelPath;
        const auto r = selfcheck::rescoreAxisSpriteGenerator(64, options);
        std::printf("%s\n", r.report().c_str());
        QCOMPARE(r.magnitude.rows, SpriteFactorCount);
        QCOMPARE(r.floorMagnitude.rows, SpriteFactorCount);
        // Sigma was measured (the set has none): ~1 for standard-normal axes.
        for (double sigma : r.sigma)
            QVERIFY(sigma > 0.8 && sigma < 1.2);
        // The x and y directions move their own factor by the designed amount: +-1.5 sigma = +-10.5 positions of 31,
        // less what the clamp at the image border takes away (~0.3). Shape's direction moves shape most.
        // (Scale and orientation are not asserted: a 600-step model reads small sprites' shape badly, so scale also
        // shifts its shape predictions, and it reads orientation barely above chance.)
        for (SpriteFactor f : {SpriteFactor::Shape, SpriteFactor::PositionX, SpriteFactor::PositionY})
            QCOMPARE(r.summary.dominantFactor[int(f)], int(f));
        for (SpriteFactor f : {SpriteFactor::PositionX, SpriteFactor::PositionY}) {
            const double onTarget = r.magnitude.at(int(f), int(f));
            QVERIFY2(onTarget > 0.22 && onTarget < 0.38, qPrintable(QString::number(onTarget)));
        }
        // x grows along +x and shrinks along -x: signed effects keep the direction (docs/methods/sre.md, pitfall 15).
        const int x = int(SpriteFactor::PositionX);
        QVERIFY(r.plus.at(x, x) > 0.1 && r.minus.at(x, x) < -0.1);
        // Axis directions spill far less than random orthonormal mixtures of the same axes.
        QVERIFY(r.summary.meanSpillOver < 0.5 * r.floor.meanSpillOver);
        // The authors' statistic is computed beside ours, for the directions and the floor, with intervals.
        QCOMPARE(r.authors.cells.rows, SpriteFactorCount);
        QCOMPARE(r.authorsFloor.cells.rows, SpriteFactorCount);
        for (SpriteFactor f : {SpriteFactor::PositionX, SpriteFactor::PositionY})
            QCOMPARE(r.authors.matchedDirection[int(f)], int(f));
        QVERIFY(
            r.authors.diagonal.low <= r.authors.diagonal.mean && r.authors.diagonal.mean <= r.authors.diagonal.high);
        QVERIFY(r.authors.offDiagonal.mean < r.authors.diagonal.mean);
    }

    void badInputFailsClearly()
    {
        QVERIFY(!m_modelPath.empty());
        const auto tiny = m_folder.filePath("tiny.pt").toStdString(); // 16 x 16, style size 8
        selfcheck::writeRandomStyleGenerator(tiny);
        const auto directions = DirectionSet::fromMatrix("test", Matrix::fromRows({{1, 0, 0, 0, 0, 0, 0, 0}}), {1.0});
        SpriteRescoringOptions options;
        options.factorModelPath = m_modelPath;
        QString message = dataErrorOf([&] { rescoreSpriteDirections(tiny, directions, options); });
        QVERIFY2(message.contains("16x16"), qPrintable(message));
        // Directions of another style size.
        selfcheck::TinyGenerator settings;
        settings.resolution = 64;
        const auto generator = m_folder.filePath("g64.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(generator, settings);
        const auto wrong = DirectionSet::fromMatrix("test", Matrix::fromRows({{1, 0, 0}}), {1.0});
        message = dataErrorOf([&] { rescoreSpriteDirections(generator, wrong, options); });
        QVERIFY2(message.contains("cannot rescore"), qPrintable(message));
        message = dataErrorOf(
            [&] { rescoreSpriteDirections(m_folder.filePath("none.pt").toStdString(), directions, options); });
        QVERIFY2(message.contains("does not exist"), qPrintable(message));
        options.epsilon = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rescoreSpriteDirections(generator, directions, options));
        // A real (random) generator of the right size runs and keeps the sign convention: plus and minus differ.
        options.epsilon = RescoringEpsilon;
        options.samples = 64;
        const auto r = rescoreSpriteDirections(generator, directions, options);
        QCOMPARE(r.magnitude.rows, 1);
        QVERIFY(r.sigma[0] > 0.0);
    }
};

QTEST_GUILESS_MAIN(TstSpriteRescoring)
#include "tst_spriterescoring.moc"
