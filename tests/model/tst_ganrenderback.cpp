// The render-back pull (GanConfig::renderBack): each generated image pulled toward what its world's factor reader
// reads in it, drawn by the world's renderer. Checked: the target of a real render is that render (but for the reader's
// few misreadings) and not another; the loss is the shapes' mismatch and its gradient reaches a white pixel past +1;
// a pulled run differs from a plain one, repeatably, with the weight recorded and logged; bad weights and a world
// without a renderer are refused by name.
#include "selfcheck/latentselfcheck.h"
#include "tinygan.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace untangle;
using untangle::test::bytesOf;
using untangle::test::invalidArgumentOf;
using untangle::test::jsonLines;
using untangle::test::tinyGanConfig;

namespace {

/** count seeded Sprites renders as the GAN stream holds them: (count, 1, R, R) floats in [-1, 1]. */
std::vector<float> spriteRenders(int resolution, int count)
{
    std::vector<float> values;
    for (int i = 0; i < count; ++i) {
        SpriteFactors factors;
        factors.shape = i % 3;
        factors.scale = (i * 5) % SpriteFactorSizes[int(SpriteFactor::Scale)];
        factors.orientation = (i * 7) % SpriteFactorSizes[int(SpriteFactor::Orientation)];
        factors.x = (i * 11) % SpriteFactorSizes[int(SpriteFactor::PositionX)];
        factors.y = (i * 13) % SpriteFactorSizes[int(SpriteFactor::PositionY)];
        for (const std::uint8_t byte : renderSprite(factors, resolution).bytes)
            values.push_back(float(byte) / 127.5f - 1.0f);
    }
    return values;
}

/** Mean |a_i - b_j| over images, where image i of a is compared with image (i + shift) % count of b. */
double meanDistance(const std::vector<float> &a, const std::vector<float> &b, int count, int shift)
{
    const std::size_t size = a.size() / std::size_t(count);
    double sum = 0.0;
    for (int i = 0; i < count; ++i)
        for (std::size_t p = 0; p < size; ++p)
            sum += std::abs(a[std::size_t(i) * size + p] - b[std::size_t((i + shift) % count) * size + p]);
    return sum / double(a.size());
}

/** Real images' targets are themselves: far nearer each image than another image's target is. */
void checkTargetsOfRealImages(const GanConfig &config, const std::vector<float> &images, int count)
{
    const auto targets = selfcheck::renderBackTargets(config, images, count);
    QCOMPARE(targets.size(), images.size());
    const double own = meanDistance(images, targets, count, 0), other = meanDistance(images, targets, count, 1);
    qInfo("render-back distance of real images: own target %.4f, another image's %.4f", own, other);
    QVERIFY2(own < 0.2 * other, qPrintable(QString("own %1, other %2").arg(own).arg(other)));
}

} // namespace

class TstGanRenderBack : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theTargetOfARenderIsThatRender()
    {
        GanConfig sprites = tinyGanConfig(1); // 32 px: the shipped Sprites factor model reads it
        checkTargetsOfRealImages(sprites, spriteRenders(sprites.resolution, 48), 48);
        GanConfig scenes = sprites;
        scenes.sprites = false;
        scenes.dataset.kind = DatasetKind::Scenes;
        scenes.resolution = 64; // the shipped Scenes reader's size
        checkTargetsOfRealImages(scenes, selfcheck::sceneStreamBatch(64, {}, 24, 3, 1), 24);
    }

    void theLossIsTheShapesMismatchAndReachesOvershootingPixels()
    {
        // A 4 x 4 image: the target's white 2 x 2 square in the corner; the sample draws it and one pixel more.
        std::vector<float> target(16, -1.0f), sample(16, -1.0f);
        for (const int p : {0, 1, 4, 5})
            target[std::size_t(p)] = 1.0f;
        QCOMPARE(selfcheck::renderBackLossAt(target, target, 1, 1).loss, 0.0);
        sample = target;
        sample[2] = 1.3f; // white, and past +1 as a linear generator output often is, where the target is black
        sample[15] = -1.3f; // black, past -1, where the target is black too
        const auto at = selfcheck::renderBackLossAt(sample, target, 1, 1);
        QVERIFY(std::abs(at.loss - (1.0 - 5.0 / 6.0)) < 1e-6); // IoU 4/5, with the +1 of two empty images: 5/6
        QVERIFY2(at.gradient[2] > 0.0f, "the extra white pixel is pushed down although its value is past +1");
        QCOMPARE(at.gradient[15], 0.0f); // already black enough: left alone, not pushed further from real values
        QVERIFY(at.gradient[0] < 0.0f); // the square's own pixels are held up
        // Scenes (three channels, every pixel part of the room): the mean absolute difference.
        const std::vector<float> room(48, 0.5f), drawn(48, 0.25f);
        QVERIFY(std::abs(selfcheck::renderBackLossAt(drawn, room, 1, 3).loss - 0.25) < 1e-6);
    }

    void aPulledRunChangesRepeatablyAndRecordsAndLogsItsWeight()
    {
        GanConfig plain = tinyGanConfig(6);
        plain.checkpointEvery = 6;
        GanConfig pulled = plain;
        pulled.renderBack = 5.0;
        const QString off = m_dir.filePath("off"), on = m_dir.filePath("on"), again = m_dir.filePath("again");
        trainGan(plain, {}, off.toStdString());
        trainGan(pulled, {}, on.toStdString());
        trainGan(pulled, {}, again.toStdString());
        const QString snapshot = "/snapshots/iter-000006.pt";
        QVERIFY(bytesOf(on + snapshot) != bytesOf(off + snapshot));
        QCOMPARE(bytesOf(on + snapshot), bytesOf(again + snapshot));
        QCOMPARE(readGanConfig(on.toStdString()).renderBack, 5.0);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(off + "/config.json")).object().contains("renderBack"));
        int logged = 0;
        for (const QJsonObject &line : jsonLines(on + "/metrics.jsonl"))
            if (line.contains("lossG")) {
                const double value = line.value("renderBack").toDouble(-1.0);
                QVERIFY2(value >= 0.0 && value <= 1.0, qPrintable(QString::number(value))); // one minus an IoU
                ++logged;
            }
        QVERIFY(logged > 0);
        for (const QJsonObject &line : jsonLines(off + "/metrics.jsonl"))
            QVERIFY(!line.contains("renderBack"));
    }

    void badWeightsAndWorldsWithoutARendererAreRefused()
    {
        GanConfig config = tinyGanConfig(2);
        for (const double bad : {-1.0, 1001.0, std::nan("")}) {
            config.renderBack = bad;
            const std::string refused = invalidArgumentOf([&] { config.validate(); });
            QVERIFY2(QString::fromStdString(refused).contains("render-back weight"), refused.c_str());
        }
        config.renderBack = 1.0;
        config.sprites = false;
        config.dataset.kind = DatasetKind::ColoredFashion;
        const std::string refused = invalidArgumentOf([&] { config.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("Sprites and Scenes worlds only"), refused.c_str());
    }
};

QTEST_GUILESS_MAIN(TstGanRenderBack)
#include "tst_ganrenderback.moc"
