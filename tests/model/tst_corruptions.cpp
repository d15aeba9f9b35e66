// The ten corruptions of Corrupted Fashion-MNIST and the dataset built from them.
// The test target gets no OpenCV include path, so the synthetic images and the statistics below are plain loops.

#include "biasassignment.h"
#include "corruptedtraintest.h"
#include "corruptions.h"
#include "dataerror.h"
#include "datalocations.h"
#include "datasetcounts.h"
#include "datasetfactory.h"
#include "datasetnaming.h"
#include "greysourcecache.h"
#include "seededrandom.h"
#include "splitplan.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <set>
#include <stdexcept>

using namespace untangle;

namespace {

constexpr int Side = 28; // Fashion-MNIST size

using Bytes = std::vector<std::uint8_t>;

/** A garment-like test image: black background, a bright filled rectangle and a mid-grey disc. */
Bytes shapesImage()
{
    Bytes grey(Side * Side, 0);
    for (int y = 4; y < 14; ++y)
        for (int x = 6; x < 22; ++x)
            grey[y * Side + x] = 200;
    for (int y = 0; y < Side; ++y)
        for (int x = 0; x < Side; ++x)
            if ((x - 14) * (x - 14) + (y - 20) * (y - 20) <= 25)
                grey[y * Side + x] = 120;
    return grey;
}

/** A gradient with a different value at every neighbour, so any run of equal pixels comes from the corruption. */
Bytes gradientImage()
{
    Bytes grey(Side * Side);
    for (int y = 0; y < Side; ++y)
        for (int x = 0; x < Side; ++x)
            grey[y * Side + x] = std::uint8_t(20 + 7 * x + 1 * y);
    return grey;
}

Bytes corrupt(Corruption corruption, const Bytes &grey, std::uint64_t seed, int height = Side, int width = Side)
{
    Bytes rgb(std::size_t(height) * width * 3);
    applyCorruption(corruption, grey.data(), height, width, seed, rgb.data());
    return rgb;
}

/** Channel 0 of an RGB image (the tests check separately that all three are equal). */
Bytes firstChannel(const Bytes &rgb)
{
    Bytes grey(rgb.size() / 3);
    for (std::size_t i = 0; i < grey.size(); ++i)
        grey[i] = rgb[3 * i];
    return grey;
}

Bytes replicated(const Bytes &grey)
{
    Bytes rgb(grey.size() * 3);
    for (std::size_t i = 0; i < grey.size(); ++i)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
    return rgb;
}

double mean(const Bytes &grey)
{
    double sum = 0.0;
    for (auto v : grey)
        sum += v;
    return sum / grey.size();
}

double stddev(const Bytes &grey)
{
    const double m = mean(grey);
    double sum = 0.0;
    for (auto v : grey)
        sum += (v - m) * (v - m);
    return std::sqrt(sum / grey.size());
}

double correlation(const Bytes &a, const Bytes &b)
{
    const double ma = mean(a), mb = mean(b);
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / std::sqrt(aa * bb);
}

/** Mean |4-neighbour Laplacian| over the interior: the image's high-frequency energy. */
double laplacianEnergy(const Bytes &grey)
{
    double sum = 0.0;
    for (int y = 1; y < Side - 1; ++y)
        for (int x = 1; x < Side - 1; ++x) {
            const int c = y * Side + x;
            sum += std::abs(grey[c - 1] + grey[c + 1] + grey[c - Side] + grey[c + Side] - 4 * grey[c]);
        }
    return sum / ((Side - 2) * (Side - 2));
}

/** Shortest run of equal neighbours along any row or column. */
int shortestRun(const Bytes &grey)
{
    int shortest = Side;
    for (int line = 0; line < Side; ++line)
        for (int horizontal = 0; horizontal < 2; ++horizontal) {
            auto at = [&](int i) { return horizontal ? grey[line * Side + i] : grey[i * Side + line]; };
            int run = 1;
            for (int i = 1; i <= Side; ++i) {
                if (i < Side && at(i) == at(i - 1)) {
                    ++run;
                } else {
                    shortest = std::min(shortest, run);
                    run = 1;
                }
            }
        }
    return shortest;
}

bool isRandom(Corruption corruption)
{
    switch (corruption) {
    case Corruption::GaussianNoise:
    case Corruption::ShotNoise:
    case Corruption::ImpulseNoise:
    case Corruption::MotionBlur:
    case Corruption::Elastic:
        return true;
    default:
        return false;
    }
}

/** 10 classes, perClass images each, classes interleaved (file order like the real files), seeded random pixels. */
GreyImages syntheticImages(int perClass, std::uint64_t seed)
{
    GreyImages images;
    images.count = 10 * perClass;
    images.height = images.width = Side;
    images.pixels.resize(std::size_t(images.count) * Side * Side);
    SeededRandom random(seed);
    for (auto &pixel : images.pixels)
        pixel = std::uint8_t(random.below(256));
    for (int i = 0; i < images.count; ++i)
        images.labels.push_back(i % 10);
    return images;
}

Bytes imageOf(const LabeledImages &split, int index)
{
    return Bytes(split.imageData(index), split.imageData(index) + split.imageBytes());
}

} // namespace

class TstCorruptions : public QObject {
    Q_OBJECT

private:
    void addCorruptionRows()
    {
        QTest::addColumn<int>("corruption");
        for (int k = 0; k < CorruptionCount; ++k)
            QTest::newRow(corruptionNames()[k].c_str()) << k;
    }

private slots:
    void namesAreTenUniqueEntries()
    {
        const auto &names = corruptionNames();
        QCOMPARE(int(names.size()), CorruptionCount);
        QCOMPARE(int(std::set<std::string>(names.begin(), names.end()).size()), CorruptionCount);
        for (const auto &name : names)
            QVERIFY(!name.empty());
        QCOMPARE(names[int(Corruption::GaussianNoise)], std::string("Gaussian noise"));
        QCOMPARE(names[int(Corruption::Elastic)], std::string("elastic"));
    }

    void changesTheImage_data() { addCorruptionRows(); }
    void changesTheImage()
    {
        QFETCH(int, corruption);
        const Bytes grey = shapesImage();
        const Bytes out = corrupt(Corruption(corruption), grey, 7);
        QVERIFY(out != replicated(grey));
        // Strong but not destructive: the shapes are still the main thing in the picture.
        const double r = correlation(firstChannel(out), grey);
        QVERIFY2(r > 0.6, qPrintable(QString("correlation with the clean image %1").arg(r)));
    }

    void outputHasThreeEqualChannels_data() { addCorruptionRows(); }
    void outputHasThreeEqualChannels()
    {
        QFETCH(int, corruption);
        const Bytes out = corrupt(Corruption(corruption), shapesImage(), 11);
        QCOMPARE(out.size(), std::size_t(Side * Side * 3));
        for (std::size_t i = 0; i < out.size(); i += 3) {
            QCOMPARE(out[i + 1], out[i]);
            QCOMPARE(out[i + 2], out[i]);
        }
    }

    void seedDeterminesBytes_data() { addCorruptionRows(); }
    void seedDeterminesBytes()
    {
        QFETCH(int, corruption);
        const Corruption c = Corruption(corruption);
        const Bytes grey = gradientImage();
        QCOMPARE(corrupt(c, grey, 42), corrupt(c, grey, 42));
        std::set<Bytes> distinct;
        for (std::uint64_t seed = 1; seed <= 8; ++seed)
            distinct.insert(corrupt(c, grey, seed));
        if (isRandom(c))
            QVERIFY2(distinct.size() >= 4, "different seeds should mostly give different images");
        else
            QCOMPARE(int(distinct.size()), 1); // no hidden randomness in the fixed transforms
    }

    void worksOnNonSquareImages_data() { addCorruptionRows(); }
    void worksOnNonSquareImages()
    {
        QFETCH(int, corruption);
        constexpr int height = 20, width = 36;
        Bytes grey(height * width);
        for (int i = 0; i < height * width; ++i)
            grey[i] = std::uint8_t((i % width) * 5 + (i / width) * 3);
        Bytes rgb(height * width * 3 + 4, 0xAB); // guard bytes after the image must stay untouched
        applyCorruption(Corruption(corruption), grey.data(), height, width, 3, rgb.data());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(rgb[height * width * 3 + i], std::uint8_t(0xAB));
    }

    void rejectsBadArguments()
    {
        const Bytes grey = shapesImage();
        Bytes rgb(grey.size() * 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            applyCorruption(Corruption(CorruptionCount), grey.data(), Side, Side, 0, rgb.data()));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, applyCorruption(Corruption::Jpeg, grey.data(), 0, Side, 0, rgb.data()));
    }

    void noiseRaisesHighFrequencyEnergy_data()
    {
        QTest::addColumn<int>("corruption");
        QTest::newRow("gaussian") << int(Corruption::GaussianNoise);
        QTest::newRow("shot") << int(Corruption::ShotNoise);
        QTest::newRow("impulse") << int(Corruption::ImpulseNoise);
    }
    void noiseRaisesHighFrequencyEnergy()
    {
        QFETCH(int, corruption);
        const Bytes grey = shapesImage();
        const double before = laplacianEnergy(grey);
        const double after = laplacianEnergy(firstChannel(corrupt(Corruption(corruption), grey, 5)));
        QVERIFY2(after > 2.0 * before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
    }

    void blursLowerHighFrequencyEnergy_data()
    {
        QTest::addColumn<int>("corruption");
        QTest::newRow("defocus") << int(Corruption::DefocusBlur);
        QTest::newRow("motion") << int(Corruption::MotionBlur);
    }
    void blursLowerHighFrequencyEnergy()
    {
        QFETCH(int, corruption);
        const Bytes grey = shapesImage();
        const double before = laplacianEnergy(grey);
        for (std::uint64_t seed = 0; seed < 4; ++seed) { // every motion direction blurs
            const double after = laplacianEnergy(firstChannel(corrupt(Corruption(corruption), grey, seed)));
            QVERIFY2(after < 0.7 * before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
        }
    }

    void contrastLowersStdAndKeepsMean()
    {
        const Bytes grey = shapesImage();
        const Bytes out = firstChannel(corrupt(Corruption::Contrast, grey, 0));
        QVERIFY(stddev(out) < 0.5 * stddev(grey));
        QVERIFY(std::abs(mean(out) - mean(grey)) < 1.0);
    }

    void brightnessRaisesMean()
    {
        const Bytes grey = shapesImage();
        const Bytes out = firstChannel(corrupt(Corruption::Brightness, grey, 0));
        QVERIFY(mean(out) > mean(grey) + 50.0);
        QVERIFY(out[0] > 60); // the black background is lifted to grey
        QCOMPARE(int(out[5 * Side + 10]), 255); // the bright rectangle saturates
    }

    void pixelateMakesConstantBlocks()
    {
        const Bytes grey = gradientImage();
        QCOMPARE(shortestRun(grey), 1);
        const Bytes out = firstChannel(corrupt(Corruption::Pixelate, grey, 0));
        QVERIFY(shortestRun(out) >= 2);
        // Whole rows and columns repeat: at most half as many distinct ones as the gradient's 28.
        std::set<Bytes> rows, columns;
        for (int i = 0; i < Side; ++i) {
            rows.insert(Bytes(out.begin() + i * Side, out.begin() + (i + 1) * Side));
            Bytes column(Side);
            for (int y = 0; y < Side; ++y)
                column[y] = out[y * Side + i];
            columns.insert(column);
        }
        QVERIFY(int(rows.size()) <= Side / 2);
        QVERIFY(int(columns.size()) <= Side / 2);
    }

    void jpegStaysCloseButLossy()
    {
        const Bytes grey = shapesImage();
        const Bytes out = firstChannel(corrupt(Corruption::Jpeg, grey, 0));
        double error = 0.0;
        for (std::size_t i = 0; i < grey.size(); ++i)
            error += std::abs(int(out[i]) - int(grey[i]));
        error /= grey.size();
        QVERIFY2(error > 1.0 && error < 40.0, qPrintable(QString("mean abs error %1").arg(error)));
    }

    void elasticMovesPixelsWithinRange()
    {
        const Bytes grey = shapesImage();
        const Bytes out = firstChannel(corrupt(Corruption::Elastic, grey, 9));
        int moved = 0;
        for (std::size_t i = 0; i < grey.size(); ++i) {
            QVERIFY(out[i] <= 200); // resampling interpolates, it never invents brighter values
            moved += out[i] != grey[i];
        }
        QVERIFY2(moved > 20, qPrintable(QString("%1 pixels changed").arg(moved)));
    }

    void datasetFollowsThePlan()
    {
        const GreyImages train = syntheticImages(200, 1), test = syntheticImages(10, 2);
        const ColoringOptions options {0.05, DefaultColorNoise, 3};
        const BiasedDataset dataset = buildCorruptedTrainTest(train, test, options, "corrupted-fmnist", fashionNames());

        QCOMPARE(dataset.name, std::string("corrupted-fmnist"));
        QCOMPARE(dataset.description, std::string("Corrupted Fashion-MNIST, 5% conflicting, seed 3"));
        QCOMPARE(dataset.targetNames, fashionNames());
        QCOMPARE(dataset.biasNames, corruptionNames());
        QCOMPARE(dataset.train.count, 10 * 180); // 90% of each class
        QCOMPARE(dataset.valid.count, 10 * 20);
        QCOMPARE(dataset.test.count, 100);
        for (const LabeledImages *split : {&dataset.train, &dataset.valid, &dataset.test}) {
            QCOMPARE(split->height, Side);
            QCOMPARE(split->width, Side);
            QCOMPARE(split->channels, 3);
            QCOMPARE(split->pixels.size(), split->count * split->imageBytes());
        }

        const SplitCounts trainCounts = countSplit(dataset.train, 10, CorruptionCount);
        const int conflicting = 180 - alignedCount(180, options.ratio);
        QCOMPARE(conflicting, 9);
        for (int c = 0; c < 10; ++c) {
            QCOMPARE(trainCounts.conflictingPerTarget[c], conflicting);
            for (int b = 0; b < CorruptionCount; ++b) // nine conflicting: each other corruption exactly once
                QCOMPARE(trainCounts.cells[c][b], b == c ? 180 - conflicting : 1);
        }
        const SplitCounts validCounts = countSplit(dataset.valid, 10, CorruptionCount);
        for (int c = 0; c < 10; ++c)
            for (int b = 0; b < CorruptionCount; ++b)
                QCOMPARE(validCounts.cells[c][b], 2);

        // Labels are the plan's, and an image under a fixed corruption is exactly that corruption of its source.
        const TrainTestPlan plan = planTrainTest(train, test, 10, CorruptionCount, options.ratio, options.seed);
        int checked = 0;
        for (int k = 0; k < plan.train.size(); ++k) {
            QCOMPARE(int(dataset.train.targets[k]), plan.train.target[k]);
            QCOMPARE(int(dataset.train.biases[k]), plan.train.bias[k]);
            const Corruption corruption = Corruption(plan.train.bias[k]);
            if (isRandom(corruption))
                continue;
            const std::uint8_t *source = train.pixels.data() + std::size_t(Side * Side) * plan.train.sourceIndex[k];
            QCOMPARE(imageOf(dataset.train, k), corrupt(corruption, Bytes(source, source + Side * Side), 0));
            ++checked;
        }
        QVERIFY(checked > 500);
        for (int k = 0; k < plan.test.size(); ++k)
            QCOMPARE(int(dataset.test.biases[k]), plan.test.bias[k]);
    }

    void datasetIsDeterministic()
    {
        const GreyImages train = syntheticImages(60, 4), test = syntheticImages(10, 5);
        const std::vector<std::string> names = digitNames();
        const BiasedDataset a = buildCorruptedTrainTest(train, test, {0.02, 0.0, 0}, "corrupted-mnist", names);
        const BiasedDataset b = buildCorruptedTrainTest(train, test, {0.02, 0.0, 0}, "corrupted-mnist", names);
        const BiasedDataset other = buildCorruptedTrainTest(train, test, {0.02, 0.0, 1}, "corrupted-mnist", names);
        QCOMPARE(a.description, std::string("Corrupted corrupted-mnist, 2% conflicting, seed 0"));
        QCOMPARE(a.train.pixels, b.train.pixels);
        QCOMPARE(a.valid.pixels, b.valid.pixels);
        QCOMPARE(a.test.pixels, b.test.pixels);
        QVERIFY(a.train.pixels != other.train.pixels);
        // Evaluation images do not depend on the seed, so every seed's run is scored on the same pictures.
        QCOMPARE(a.valid.pixels, other.valid.pixels);
        QCOMPARE(a.test.pixels, other.test.pixels);
    }

    void progressReportsAndCancels()
    {
        const GreyImages train = syntheticImages(600, 6), test = syntheticImages(100, 7); // > one progress chunk
        std::vector<double> fractions;
        buildCorruptedTrainTest(train, test, {}, "x", digitNames(), [&](double fraction, const std::string &what) {
            fractions.push_back(fraction);
            return !what.empty();
        });
        QVERIFY(fractions.size() >= 3);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QVERIFY(fractions.front() >= 0.0 && fractions.back() < 1.0);

        int calls = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled,
            buildCorruptedTrainTest(
                train, test, {}, "x", digitNames(), [&](double, const std::string &) { return ++calls < 2; }));
        QCOMPARE(calls, 2);
    }

    void rejectsBadRatio()
    {
        const GreyImages train = syntheticImages(20, 8), test = syntheticImages(2, 9);
        QVERIFY_THROWS_EXCEPTION(DataError, buildCorruptedTrainTest(train, test, {1.5, 0.0, 0}, "x", digitNames()));
    }

    void realFashionMnistThroughFactory()
    {
        const std::string dir = fashionMnistDir();
        if (!std::filesystem::is_directory(dir))
            QSKIP("Fashion-MNIST is not installed (sudo apt-get install dataset-fashion-mnist)");
        // Read the files into the factory's cache first, so the timing below is the corrupting alone.
        const IdxPairPaths paths = findIdxPair(dir, FetchFashionCommand);
        loadGreyImagesCached(paths.trainImages, paths.trainLabels);
        loadGreyImagesCached(paths.testImages, paths.testLabels);

        DatasetSpec spec;
        spec.kind = DatasetKind::CorruptedFashion;
        double lastFraction = -1.0;
        bool monotonic = true;
        QElapsedTimer timer;
        timer.start();
        const BiasedDataset dataset = buildDataset(spec, [&](double fraction, const std::string &) {
            monotonic = monotonic && fraction >= lastFraction;
            lastFraction = fraction;
            return true;
        });
        qInfo("built Corrupted Fashion-MNIST (70,000 corrupted images) in %lld ms", timer.elapsed());

        QVERIFY(monotonic);
        QCOMPARE(lastFraction, 1.0);
        QCOMPARE(dataset.name, std::string("corrupted-fmnist"));
        QCOMPARE(dataset.description, std::string("Corrupted Fashion-MNIST, 1% conflicting, seed 0"));
        QCOMPARE(dataset.biasNames, corruptionNames());
        QCOMPARE(dataset.targetNames, fashionNames());
        QCOMPARE(dataset.train.count, 54000);
        QCOMPARE(dataset.valid.count, 6000);
        QCOMPARE(dataset.test.count, 10000);
        QCOMPARE(dataset.train.channels, 3);
        const SplitCounts counts = countSplit(dataset.train, 10, CorruptionCount);
        for (int c = 0; c < 10; ++c)
            QCOMPARE(counts.conflictingPerTarget[c], 5400 - alignedCount(5400, 0.01)); // 54 per class
        const SplitCounts valid = countSplit(dataset.valid, 10, CorruptionCount);
        for (int c = 0; c < 10; ++c)
            for (int b = 0; b < CorruptionCount; ++b)
                QCOMPARE(valid.cells[c][b], 60);
        const SplitCounts testCounts = countSplit(dataset.test, 10, CorruptionCount);
        for (int b = 0; b < CorruptionCount; ++b) // uniform draw: about 1,000 per corruption
            QVERIFY(std::abs(std::accumulate(testCounts.cells.begin(), testCounts.cells.end(), 0,
                                 [b](int sum, const std::vector<int> &row) { return sum + row[b]; })
                        - 1000)
                < 150);
    }
};

QTEST_GUILESS_MAIN(TstCorruptions)
#include "tst_corruptions.moc"
