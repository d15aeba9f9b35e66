// The built-in GAN's network options on a tiny Sprites GAN (tinygan.h): StyleGAN's two convolutions per stage, the
// styled input, ProGAN's synthesis with the logistic loss, a critic without spectral norm or with two convolutions per
// resolution, and growing from a smaller generator. Each is recorded in config.json and the generator file, trains to
// finite images in range, and a file or setting that does not fit is a DataError that names it (the run folder
// itself: tst_ganrunner.cpp).
#include "dataerrorof.h"
#include "directions/directionfinder.h"
#include "selfcheck/latentselfcheck.h"
#include "tinygan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace untangle;
using untangle::test::bytesOf;
using untangle::test::dataErrorOf;
using untangle::test::folderDigest;
using untangle::test::invalidArgumentOf;
using untangle::test::jsonLines;
using untangle::test::tinyGanConfig;

namespace {
constexpr int Resolution = untangle::test::TinyGanResolution;

/** Pearson correlation of two pictures' pixels (two renders of the same latents). */
double pixelCorrelation(const std::vector<float> &a, const std::vector<float> &b)
{
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        ma += a[i] / a.size(), mb += b[i] / b.size();
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
    return ab / std::sqrt(aa * bb + 1e-30);
}
} // namespace

class TstGanNetworks : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString runDir(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void twoConvsPerStageTrainAndOneKeepsTheOlderFileFormat()
    {
        // StyleGAN's stage: a second 3x3 conv at each stage's own resolution from 8 x 8 on.
        GanConfig config = tinyGanConfig(2);
        config.convsPerStage = 2;
        const QString dir = runDir("two-convs");
        const GanResult result = trainGan(config, {}, dir.toStdString());
        QCOMPARE(result.iterations, 2);
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        // 32 px: stages 4, 8, 16 and 32, so 1 + 3 x 2 convolutions, and the 8th stored value says so.
        QCOMPARE(selfcheck::styleGeneratorConvCount(generator), 7);
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 8);
        QCOMPARE(values.back(), std::int64_t(2));
        const auto pixels = selfcheck::renderFromGenerator(generator, 2, 3);
        QCOMPARE(int(pixels.size()), 2 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        QCOMPARE(
            QJsonDocument::fromJson(bytesOf(QDir(dir).filePath("config.json"))).object()["convsPerStage"].toInt(), 2);
        QCOMPARE(readGanConfig(dir.toStdString()).convsPerStage, 2);
        // Resuming it with one conv names the setting and changes nothing.
        const auto before = folderDigest(dir);
        GanConfig one = tinyGanConfig(4);
        const QString message = dataErrorOf([&] { trainGan(one, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("convsPerStage"), qPrintable(message));
        QCOMPARE(folderDigest(dir), before);

        // One conv per stage writes exactly the 7 values (and config.json keys) of files from before the option.
        const QString plain = runDir("one-conv");
        trainGan(tinyGanConfig(2), {}, plain.toStdString());
        const std::string plainGenerator = QDir(plain).filePath("generator.pt").toStdString();
        QCOMPARE(int(selfcheck::styleGeneratorConfigValues(plainGenerator).size()), 7);
        QCOMPARE(selfcheck::styleGeneratorConvCount(plainGenerator), 4);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(plain + "/config.json")).object().contains("convsPerStage"));
        QCOMPARE(readGanConfig(plain.toStdString()).convsPerStage, 1);

        // The FLOP bound counts the extra convolutions: per stage from 8 x 8 on, pixels x 9 x 4 x 4 + style 8 x 4
        // (channels 8 >> stage, at least 4), over 64 + 256 + 1024 pixels; 2 FLOPs per multiply-accumulate.
        const double extraMacs = (64 + 256 + 1024) * 9.0 * 4 * 4 + 3 * 8.0 * 4;
        QCOMPARE(ganGeneratorFlops(config) - ganGeneratorFlops(tinyGanConfig(2)), 2.0 * extraMacs);

        GanConfig three = tinyGanConfig(2);
        three.convsPerStage = 3;
        const std::string refused = invalidArgumentOf([&] { three.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("convolutions per stage"), refused.c_str());
    }

    void r1PenaltyIsLazyAndRecorded()
    {
        // R1 acts every 16th iteration only: 15 iterations with it equal 15 without it to the bit; the 16th differs.
        GanConfig plain = tinyGanConfig(16);
        plain.checkpointEvery = 15;
        GanConfig r1 = plain;
        r1.r1Gamma = 10.0;
        const QString without = runDir("r1-off"), with = runDir("r1-on");
        trainGan(plain, {}, without.toStdString());
        trainGan(r1, {}, with.toStdString());
        QCOMPARE(bytesOf(with + "/snapshots/iter-000015.pt"), bytesOf(without + "/snapshots/iter-000015.pt"));
        QVERIFY(bytesOf(with + "/snapshots/iter-000016.pt") != bytesOf(without + "/snapshots/iter-000016.pt"));
        // The penalty is logged on its iteration: a positive mean squared gradient norm.
        int logged = 0;
        for (const QJsonObject &line : jsonLines(with + "/metrics.jsonl"))
            if (line.contains("r1Penalty")) {
                QCOMPARE(line["iteration"].toInt(), 16);
                QVERIFY(line["r1Penalty"].toDouble() > 0);
                ++logged;
            }
        QCOMPARE(logged, 1);
        for (const QJsonObject &line : jsonLines(without + "/metrics.jsonl"))
            QVERIFY(!line.contains("r1Penalty"));
        QCOMPARE(readGanConfig(with.toStdString()).r1Gamma, 10.0);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(without + "/config.json")).object().contains("r1Gamma"));
        r1.r1Gamma = -1.0;
        const std::string refused = invalidArgumentOf([&] { r1.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("R1 gamma"), refused.c_str());
    }

    void styledInputTrainsIsRecordedAndGrows()
    {
        // w also feeds the 4 x 4 input through a linear map. The file then stores a 9th config value (older files
        // keep 7), the run records it, SeFa factorises it, and a 32 px run grows into a 64 px one of the same kind
        // but not into one without it.
        GanConfig config = tinyGanConfig(2);
        config.styledInput = true;
        const QString dir = runDir("styled-input");
        trainGan(config, {}, dir.toStdString());
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 9);
        QCOMPARE(values[7], std::int64_t(1)); // one conv per stage
        QCOMPARE(values[8], std::int64_t(1));
        QVERIFY(readGanConfig(dir.toStdString()).styledInput);
        const auto pixels = selfcheck::renderFromGenerator(generator, 3, 2);
        QCOMPARE(int(pixels.size()), 3 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        DirectionsRequest sefa;
        sefa.generatorPath = generator;
        sefa.count = 4;
        QCOMPARE(int(findDirections(sefa).directions.size()), 4);
        // SeFa's A gains the input's 4 x 4 x 8 rows (8 channels at 4 x 4) over a generator without it.
        const QString plainRun = runDir("styled-input-control");
        trainGan(tinyGanConfig(2), {}, plainRun.toStdString());
        QCOMPARE(selfcheck::sefaWeightRows(generator),
            selfcheck::sefaWeightRows(QDir(plainRun).filePath("generator.pt").toStdString()) + 16 * 8);

        GanConfig grown = config;
        grown.resolution = 64;
        grown.growFrom = generator;
        trainGan(grown, {}, runDir("styled-input-64").toStdString());
        QCOMPARE(selfcheck::styleGeneratorConfigValues(runDir("styled-input-64/generator.pt").toStdString()).size(),
            std::size_t(9));
        GanConfig plain = grown;
        plain.styledInput = false;
        const QString message = dataErrorOf([&] { trainGan(plain, {}, runDir("styled-input-plain").toStdString()); });
        QVERIFY2(message.contains("styled input"), qPrintable(message));
    }

    void proGanSynthesisTrainsIsRecordedAndDoesNotGrow()
    {
        // ProGAN's synthesis with StyleGAN2's logistic loss: the file stores a 10th config value, the run records
        // both settings, the images are finite and in range, SeFa factorises the input map alone (4 x 4 x 8 rows), and
        // the run differs from a style-synthesis run of the same seed. Growth, built for modulated convolutions,
        // refuses it; resuming with the other loss names the setting.
        GanConfig config = tinyGanConfig(4);
        config.synthesis = GanConfig::Synthesis::ProGan;
        config.loss = GanConfig::Loss::Logistic;
        config.convsPerStage = 2;
        const QString dir = runDir("progan");
        trainGan(config, {}, dir.toStdString());
        const std::string generator = QDir(dir).filePath("generator.pt").toStdString();
        const auto values = selfcheck::styleGeneratorConfigValues(generator);
        QCOMPARE(int(values.size()), 10);
        QCOMPARE(values[7], std::int64_t(2)); // convolutions per stage
        QCOMPARE(values[8], std::int64_t(0)); // no styled input
        QCOMPARE(values[9], std::int64_t(1)); // ProGAN
        const auto json = QJsonDocument::fromJson(bytesOf(dir + "/config.json")).object();
        QCOMPARE(json["synthesis"].toString(), QString("progan"));
        QCOMPARE(json["loss"].toString(), QString("logistic"));
        const GanConfig read = readGanConfig(dir.toStdString());
        QVERIFY(read.synthesis == GanConfig::Synthesis::ProGan && read.loss == GanConfig::Loss::Logistic);
        const auto pixels = selfcheck::renderFromGenerator(generator, 3, 2);
        QCOMPARE(int(pixels.size()), 3 * Resolution * Resolution);
        for (float p : pixels)
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        QCOMPARE(selfcheck::sefaWeightRows(generator), 16 * 8);
        DirectionsRequest sefa;
        sefa.generatorPath = generator;
        sefa.count = 4;
        QCOMPARE(int(findDirections(sefa).directions.size()), 4);

        GanConfig style = config;
        style.synthesis = GanConfig::Synthesis::Style;
        const QString styleDir = runDir("progan-control");
        trainGan(style, {}, styleDir.toStdString());
        QVERIFY(!QJsonDocument::fromJson(bytesOf(styleDir + "/config.json")).object().contains("synthesis"));
        QVERIFY(selfcheck::renderFromGenerator(generator, 3, 2)
            != selfcheck::renderFromGenerator((styleDir + "/generator.pt").toStdString(), 3, 2));
        GanConfig hinge = config;
        hinge.loss = GanConfig::Loss::Hinge;
        const QString hingeDir = runDir("progan-hinge");
        trainGan(hinge, {}, hingeDir.toStdString());
        QVERIFY(bytesOf(dir + "/snapshots/iter-000004.pt") != bytesOf(hingeDir + "/snapshots/iter-000004.pt"));

        GanConfig grown = config;
        grown.resolution = 64;
        grown.growFrom = generator;
        const QString refused = dataErrorOf([&] { trainGan(grown, {}, runDir("progan-64").toStdString()); });
        QVERIFY2(refused.contains("style synthesis only"), qPrintable(refused));
        QVERIFY(!QDir(runDir("progan-64")).exists()); // refused before the folder is claimed
        // One of its own size is fine-tuned as it is (a fresh critic): one step at the test's rate later the run still
        // draws nearly what the file draws, where a run from a random start draws something else.
        GanConfig tuned = config;
        tuned.iterations = 1;
        tuned.growFrom = generator;
        const QString tunedDir = runDir("progan-tuned");
        trainGan(tuned, {}, tunedDir.toStdString());
        QCOMPARE(
            QString::fromStdString(readGanConfig(tunedDir.toStdString()).growFrom), QString::fromStdString(generator));
        GanConfig fresh = tuned;
        fresh.growFrom.clear();
        fresh.seed = tuned.seed + 1; // the same seed would start from the weights the file's own run started from
        const QString freshDir = runDir("progan-fresh");
        trainGan(fresh, {}, freshDir.toStdString());
        const auto start = selfcheck::renderFromGenerator(generator, 4, 5);
        const double tunedCorrelation
            = pixelCorrelation(selfcheck::renderFromGenerator((tunedDir + "/generator.pt").toStdString(), 4, 5), start);
        const double freshCorrelation
            = pixelCorrelation(selfcheck::renderFromGenerator((freshDir + "/generator.pt").toStdString(), 4, 5), start);
        QVERIFY2(tunedCorrelation > 0.95 && freshCorrelation < 0.5,
            qPrintable(QString("tuned %1, fresh %2").arg(tunedCorrelation).arg(freshCorrelation)));
        GanConfig otherSynthesis = tuned; // a style network cannot start ProGAN's
        otherSynthesis.growFrom = (styleDir + "/generator.pt").toStdString();
        const QString mixed = dataErrorOf([&] { trainGan(otherSynthesis, {}, runDir("progan-mixed").toStdString()); });
        QVERIFY2(mixed.contains("style synthesis and the other ProGAN"), qPrintable(mixed));
        const QString message = dataErrorOf([&] {
            GanConfig other = hinge;
            other.iterations = 6;
            trainGan(other, {}, dir.toStdString(), true);
        });
        QVERIFY2(message.contains("loss"), qPrintable(message));
    }

    void hostileGanConfigSettingsAreNamed()
    {
        // config.json is the user's file too: an unknown synthesis or loss, or any setting of the wrong type, is a
        // DataError that names the setting.
        const QString dir = runDir("hostile-settings");
        trainGan(tinyGanConfig(2), {}, dir.toStdString());
        const QString path = dir + "/config.json";
        const QByteArray original = bytesOf(path);
        const QList<QPair<QString, QJsonValue>> edits {{"synthesis", QJsonValue("stylegan9")},
            {"loss", QJsonValue("wasserstein")}, {"loss", QJsonValue(5)}, {"batch", QJsonValue("64")},
            {"discriminatorConvsPerStage", QJsonValue("two")}, {"r1Gamma", QJsonValue(QJsonArray {1})},
            {"spectralNorm", QJsonValue(1)}};
        for (const auto &[key, value] : edits) {
            QJsonObject json = QJsonDocument::fromJson(original).object();
            json[key] = value;
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(json).toJson());
            file.close();
            const QString message = dataErrorOf([&] { readGanConfig(dir.toStdString()); });
            QVERIFY2(message.contains("does not describe a GAN run") && message.contains(key), qPrintable(message));
        }
    }

    void hostileGeneratorConfigValuesAreNamed_data()
    {
        QTest::addColumn<QList<qint64>>("values");
        QTest::addColumn<QString>("named");
        const QList<qint64> tiny {8, 8, 3, 16, 1, 16, 4};
        QTest::newRow("styled-input flag 2") << (tiny + QList<qint64> {1, 2}) << "styled-input flag of 2";
        QTest::newRow("eleven values") << (tiny + QList<qint64> {1, 0, 1, 1}) << "no valid style-generator config";
        QTest::newRow("synthesis 2") << (tiny + QList<qint64> {2, 0, 2}) << "unknown synthesis network 2";
        QTest::newRow("ProGAN with a styled input") << (tiny + QList<qint64> {2, 1, 1}) << "styled input belongs";
        QTest::newRow("six values") << tiny.mid(0, 6) << "no valid style-generator config";
        QTest::newRow("2^32 + 8 latents") << (QList<qint64> {4294967304LL} + tiny.mid(1)) << "out of range";
        QTest::newRow("three convs per stage") << (tiny + QList<qint64> {3}) << "convolutions per stage";
    }

    void hostileGeneratorConfigValuesAreNamed()
    {
        // A built-in generator file is read whole before a network is built: a bad stored setting is a DataError
        // that names it, never a crash or a network of another shape.
        QFETCH(QList<qint64>, values);
        QFETCH(QString, named);
        const std::string file = runDir(QString("hostile-%1.pt").arg(QTest::currentDataTag())).toStdString();
        selfcheck::writeStyleGeneratorWithConfigValues(file, std::vector<std::int64_t>(values.begin(), values.end()));
        const QString message = dataErrorOf([&] { selfcheck::renderFromGenerator(file, 1, 0); });
        QVERIFY2(message.contains(named), qPrintable(message));
    }

    void weightRecordShorterThanItsShapeIsRefused()
    {
        // A record cut short inside a well-formed file: torch took the bytes as they were and read past them
        // (directions from garbage, or a factor reader scoring 0.0). Now the file is refused, naming the tensor.
        const std::string file = runDir("short-record.pt").toStdString();
        selfcheck::TinyGenerator settings;
        settings.shortRecord = true;
        selfcheck::writeRandomStyleGenerator(file, settings);
        const QString message = dataErrorOf([&] { selfcheck::renderFromGenerator(file, 1, 0); });
        QVERIFY2(message.contains(QString::fromStdString(file)) && message.contains("bytes, the file stores")
                && message.contains("damaged"),
            qPrintable(message));
        // The same network stored whole reads.
        settings.shortRecord = false;
        selfcheck::writeRandomStyleGenerator(file, settings);
        QCOMPARE(int(selfcheck::renderFromGenerator(file, 1, 0).size()), 16 * 16);
    }

    void criticWithoutSpectralNormNeedsR1AndIsRecorded()
    {
        // StyleGAN2's critic: plain layers, the R1 penalty alone keeps it in check. It trains to a different
        // generator than the spectral-norm critic from the same seed, and config.json says which it was.
        GanConfig normed = tinyGanConfig(4);
        normed.r1Gamma = 1.0;
        GanConfig plain = normed;
        plain.spectralNorm = false;
        const QString withNorm = runDir("critic-sn"), without = runDir("critic-plain");
        trainGan(normed, {}, withNorm.toStdString());
        trainGan(plain, {}, without.toStdString());
        QVERIFY(bytesOf(withNorm + "/snapshots/iter-000004.pt") != bytesOf(without + "/snapshots/iter-000004.pt"));
        QCOMPARE(
            QJsonDocument::fromJson(bytesOf(without + "/config.json")).object()["spectralNorm"].toBool(true), false);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(withNorm + "/config.json")).object().contains("spectralNorm"));
        QVERIFY(!readGanConfig(without.toStdString()).spectralNorm);
        for (float p : selfcheck::renderFromGenerator((without + "/generator.pt").toStdString(), 2, 1))
            QVERIFY(std::isfinite(p));
        // Resuming with the other critic names the setting.
        const QString message = dataErrorOf([&] {
            GanConfig other = normed;
            other.iterations = 6;
            trainGan(other, {}, without.toStdString(), true);
        });
        QVERIFY2(message.contains("spectralNorm"), qPrintable(message));
        plain.r1Gamma = 0.0;
        const std::string refused = invalidArgumentOf([&] { plain.validate(); });
        QVERIFY2(QString::fromStdString(refused).contains("R1"), refused.c_str());
    }

    void deeperCriticTrainsIsRecordedAndResumes()
    {
        // Two convolutions per resolution in the critic: 3x3 ones before each halving. Its cost, counted by hand for
        // the tiny 32 px critic (widths 4, 8, 16): the 3x3 convolutions 1->4 at 32 px, 4->4 at 16 px, 8->8 at 8 px
        // (36,864 MACs each), and the first halving now reads 4 channels, not 1 (65,536 instead of 16,384): 159,744
        // more MACs per image, 9 critic passes' worth per image of an iteration (ganIterationFlops).
        GanConfig base = tinyGanConfig(4);
        GanConfig deep = base;
        deep.discriminatorConvsPerStage = 2;
        QCOMPARE(ganIterationFlops(deep) - ganIterationFlops(base), 2.0 * base.batch * 9.0 * 159744.0);

        const QString dir = runDir("critic-deep");
        trainGan(deep, {}, dir.toStdString());
        trainGan(base, {}, runDir("critic-base").toStdString());
        QVERIFY(
            bytesOf(dir + "/snapshots/iter-000004.pt") != bytesOf(runDir("critic-base") + "/snapshots/iter-000004.pt"));
        QCOMPARE(
            QJsonDocument::fromJson(bytesOf(dir + "/config.json")).object()["discriminatorConvsPerStage"].toInt(), 2);
        QVERIFY(!QJsonDocument::fromJson(bytesOf(runDir("critic-base") + "/config.json"))
                     .object()
                     .contains("discriminatorConvsPerStage")); // older runs' files stay as they were
        QCOMPARE(readGanConfig(dir.toStdString()).discriminatorConvsPerStage, 2);
        for (float p : selfcheck::renderFromGenerator((dir + "/generator.pt").toStdString(), 2, 1))
            QVERIFY(std::isfinite(p) && p >= -1.0f && p <= 1.0f);
        // It resumes from its own checkpoint (the deeper critic's weights load), and not with the other critic.
        GanConfig longer = deep;
        longer.iterations = 6;
        trainGan(longer, {}, dir.toStdString(), true);
        QVERIFY(QFileInfo::exists(dir + "/snapshots/iter-000006.pt"));
        const QString message = dataErrorOf([&] {
            GanConfig other = base;
            other.iterations = 8;
            trainGan(other, {}, dir.toStdString(), true);
        });
        QVERIFY2(message.contains("discriminatorConvsPerStage"), qPrintable(message));
        for (int bad : {0, 4}) {
            deep.discriminatorConvsPerStage = bad;
            const std::string refused = invalidArgumentOf([&] { deep.validate(); });
            QVERIFY2(QString::fromStdString(refused).contains("critic convolutions per stage"), refused.c_str());
        }
    }

    void grownGeneratorFirstDrawsTheSmallerOnesPicturesUpsampled()
    {
        // A random 16 px generator grown to 32 px: the copied stages and the identity start of the new one make it
        // draw nearly what the small one draws, upsampled (the double leaky slope on negative activations is the
        // only difference). A 32 px generator that was not grown is the control: it draws something else.
        const std::string small = runDir("grow-small.pt").toStdString();
        const std::string grown = runDir("grow-grown.pt").toStdString();
        const std::string unrelated = runDir("grow-unrelated.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(small);
        QCOMPARE(selfcheck::growStyleGeneratorFile(small, 32, grown), std::string());
        selfcheck::TinyGenerator control;
        control.resolution = 32;
        control.seed = 2;
        selfcheck::writeRandomStyleGenerator(unrelated, control);
        constexpr int Count = 6;
        const auto smallImages = selfcheck::renderFromGenerator(small, Count, 9);
        const auto upsampled = [&] {
            std::vector<float> out(std::size_t(Count) * 32 * 32);
            for (int n = 0; n < Count; ++n)
                for (int y = 0; y < 32; ++y)
                    for (int x = 0; x < 32; ++x)
                        out[std::size_t(n * 32 + y) * 32 + x] = smallImages[std::size_t(n * 16 + y / 2) * 16 + x / 2];
            return out;
        }();
        const double grownCorrelation = pixelCorrelation(selfcheck::renderFromGenerator(grown, Count, 9), upsampled);
        const double controlCorrelation
            = pixelCorrelation(selfcheck::renderFromGenerator(unrelated, Count, 9), upsampled);
        QVERIFY2(grownCorrelation > 0.9, qPrintable(QString::number(grownCorrelation)));
        QVERIFY2(std::abs(controlCorrelation) < 0.5, qPrintable(QString::number(controlCorrelation)));
        QCOMPARE(selfcheck::styleGeneratorConvCount(grown), selfcheck::styleGeneratorConvCount(small) + 1);

        // What does not fit is named, and nothing is written.
        const std::string refused = runDir("grow-refused.pt").toStdString();
        QVERIFY(selfcheck::growStyleGeneratorFile(grown, 16, refused).find("more than") != std::string::npos);
        // A generator of its own size starts as it is, every layer copied: it draws what the file draws, exactly.
        const std::string same = runDir("grow-same.pt").toStdString();
        QCOMPARE(selfcheck::growStyleGeneratorFile(small, 16, same), std::string());
        QCOMPARE(selfcheck::renderFromGenerator(same, Count, 9), smallImages);
        selfcheck::TinyGenerator halving; // 64, 32, 16 channels at 4, 8, 16 px: a 32 px stage would have 8
        halving.baseChannels = 64;
        const std::string halvingPath = runDir("grow-halving.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(halvingPath, halving);
        const std::string widths = selfcheck::growStyleGeneratorFile(halvingPath, 32, refused);
        QVERIFY2(widths.find("last stage channels 16") != std::string::npos, widths.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(refused)));
    }

    void widenedProGanGeneratorFirstDrawsWhatTheNarrowOneDraws()
    {
        // ProGAN's synthesis at 16 px, 16 channels at 4 x 4 halved to 4, widened to 32 halved to 8 (every stage
        // twice as wide): the new channels start at exactly 0 and the old ones are rescaled for pixel norm, so the
        // wide generator draws the narrow one's pictures. A random wide generator is the control.
        selfcheck::TinyGenerator narrowSettings;
        narrowSettings.proGan = true;
        const std::string narrow = runDir("widen-narrow.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(narrow, narrowSettings);
        const std::string wide = runDir("widen-wide.pt").toStdString();
        QCOMPARE(selfcheck::growStyleGeneratorFile(narrow, 16, wide, 32, 8), std::string());
        selfcheck::TinyGenerator wideSettings = narrowSettings;
        wideSettings.baseChannels = 32;
        wideSettings.minChannels = 8;
        wideSettings.seed = 2;
        const std::string unrelated = runDir("widen-unrelated.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(unrelated, wideSettings);
        constexpr int Count = 6;
        const auto narrowImages = selfcheck::renderFromGenerator(narrow, Count, 9);
        const auto wideImages = selfcheck::renderFromGenerator(wide, Count, 9);
        float largest = 0.0f;
        for (std::size_t i = 0; i < narrowImages.size(); ++i)
            largest = std::max(largest, std::abs(narrowImages[i] - wideImages[i]));
        QVERIFY2(largest < 1e-4f, qPrintable(QString::number(largest)));
        const double control = pixelCorrelation(selfcheck::renderFromGenerator(unrelated, Count, 9), narrowImages);
        QVERIFY2(std::abs(control) < 0.5, qPrintable(QString::number(control)));
        // The 8 px conv went from 8 to 16 output channels: the new ones have no incoming weights yet.
        const auto norms = selfcheck::proGanIncomingWeightNorms(wide, 0);
        QCOMPARE(int(norms.size()), 16);
        for (int c = 0; c < 16; ++c)
            QVERIFY2((norms[std::size_t(c)] > 0.0) == (c < 8), qPrintable(QString::number(c)));

        // A narrower generator, or another picture size, is refused by name and nothing is written.
        const std::string refused = runDir("widen-refused.pt").toStdString();
        const std::string narrower = selfcheck::growStyleGeneratorFile(wide, 16, refused, 16, 4);
        QVERIFY2(narrower.find("widened, not narrowed") != std::string::npos, narrower.c_str());
        QVERIFY(selfcheck::growStyleGeneratorFile(narrow, 32, refused, 32, 8).find("style synthesis only")
            != std::string::npos);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(refused)));
    }

    void runWidenedFromANarrowGeneratorTrainsItsNewChannels()
    {
        // A ProGAN run grown from a narrower ProGAN file: the new channels' incoming weights leave zero (their
        // outgoing weights' random start gives them a gradient), and the wide run records what it grew from.
        GanConfig narrowConfig = tinyGanConfig(2);
        narrowConfig.synthesis = GanConfig::Synthesis::ProGan;
        narrowConfig.loss = GanConfig::Loss::Logistic;
        const QString narrowRun = runDir("widen-run-narrow");
        trainGan(narrowConfig, {}, narrowRun.toStdString());
        GanConfig wideConfig = narrowConfig;
        wideConfig.baseChannels = narrowConfig.baseChannels * 2;
        wideConfig.minChannels = narrowConfig.minChannels * 2;
        wideConfig.iterations = 3;
        wideConfig.growFrom = (narrowRun + "/generator.pt").toStdString();
        const QString wideRun = runDir("widen-run-wide");
        trainGan(wideConfig, {}, wideRun.toStdString());
        const auto narrowNorms = selfcheck::proGanIncomingWeightNorms(wideConfig.growFrom, 0);
        const auto wideNorms = selfcheck::proGanIncomingWeightNorms((wideRun + "/generator.pt").toStdString(), 0);
        QCOMPARE(wideNorms.size(), 2 * narrowNorms.size());
        for (std::size_t c = narrowNorms.size(); c < wideNorms.size(); ++c)
            QVERIFY2(wideNorms[c] > 1e-6, qPrintable(QString::number(c)));
        QCOMPARE(QString::fromStdString(readGanConfig(wideRun.toStdString()).growFrom),
            QString::fromStdString(wideConfig.growFrom));
    }

    void runGrownFromASmallerRunRecordsItAndResumesWithoutIt()
    {
        // A 32 px run, then a 64 px run grown from its generator.
        const QString small = runDir("grow-run-32");
        trainGan(tinyGanConfig(2), {}, small.toStdString());
        const QString copy = runDir("grow-run-32-generator.pt");
        QVERIFY(QFile::copy(small + "/generator.pt", copy));
        GanConfig config = tinyGanConfig(2);
        config.resolution = 64;
        config.growFrom = copy.toStdString();
        const QString grown = runDir("grow-run-64");
        trainGan(config, {}, grown.toStdString());
        QCOMPARE(QString::fromStdString(readGanConfig(grown.toStdString()).growFrom), copy);
        QCOMPARE(int(selfcheck::renderFromGenerator((grown + "/generator.pt").toStdString(), 1, 0).size()), 64 * 64);
        // Resuming continues from the checkpoint: the smaller file is no longer needed.
        QVERIFY(QFile::remove(copy));
        config.iterations = 4;
        QCOMPARE(trainGan(config, {}, grown.toStdString(), true).iterations, 4);
        // Runs without it keep config.json as before the option.
        QVERIFY(!QJsonDocument::fromJson(bytesOf(small + "/config.json")).object().contains("growFrom"));

        // A file that is missing or does not fit is named before the folder exists.
        GanConfig missing = config;
        missing.growFrom = runDir("no-such-generator.pt").toStdString();
        const QString missingDir = runDir("grow-missing");
        QVERIFY(dataErrorOf([&] { trainGan(missing, {}, missingDir.toStdString()); }).contains("no-such-generator"));
        QVERIFY(!QFileInfo::exists(missingDir));
        GanConfig larger = tinyGanConfig(2); // 32 px from 64 px
        larger.growFrom = (grown + "/generator.pt").toStdString();
        const QString largerDir = runDir("grow-larger");
        const QString message = dataErrorOf([&] { trainGan(larger, {}, largerDir.toStdString()); });
        QVERIFY2(message.contains("cannot grow from") && message.contains("more than"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(largerDir));
        GanConfig foreign = config; // not a generator at all
        foreign.growFrom = (grown + "/config.json").toStdString();
        QVERIFY(!dataErrorOf([&] { trainGan(foreign, {}, runDir("grow-foreign").toStdString()); }).isEmpty());
        QVERIFY(!QFileInfo::exists(runDir("grow-foreign")));
    }

    void criticKeepsLearningAfterTheGeneratorPassFreezesIt()
    {
        // The generator pass turns the critic's requires_grad off (its weight gradients are not needed there); every
        // step must hand them back, or the critic would stop learning after its first step.
        for (const bool proGan : {false, true}) {
            GanConfig config = tinyGanConfig(3);
            config.synthesis = proGan ? GanConfig::Synthesis::ProGan : GanConfig::Synthesis::Style;
            config.loss = proGan ? GanConfig::Loss::Logistic : GanConfig::Loss::Hinge;
            const auto steps = selfcheck::criticSteps(config, 3);
            QCOMPARE(int(steps.size()), 3);
            for (const auto &step : steps) {
                QVERIFY2(step.trainable, proGan ? "ProGAN" : "style");
                QVERIFY2(step.weightChange > 1e-4, qPrintable(QString::number(step.weightChange)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstGanNetworks)
#include "tst_gannetworks.moc"
