// What a Scenes generator's samples cover, through the shipped reader (factors/worldcoverage.h): the report's
// per-value counts, the sharpness beside them, the truncation psi the samples are drawn at, and the room-view measure
// (factors/roomcommitment.h) that tells a drawn view from the room averaged over its orientations.
#include "factors/factorworld.h"
#include "factors/worldcoverage.h"
#include "selfcheck/roomviewselfcheck.h"
#include "shippedresources.h"
#include "tinygan.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace untangle;

namespace {

const FactorWorld &scenes()
{
    return FactorWorld::of(WorldKind::Scenes);
}

} // namespace

class TstWorldCoverage : public QObject {
    Q_OBJECT

    QTemporaryDir m_cache; // XDG_CACHE_HOME: no test may fill (or read) the user's reader cache

private slots:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
    }

    void coverageReportCountsEveryValue()
    {
        // The shipped Scenes generator through the shipped reader: the report lists, per factor, how many samples
        // show each value, so a missing value is read off the table. Counts sum to the samples; the coverage column is
        // the share of values at or above a quarter of the uniform share.
        const std::string generator = shippedResourcePath("generators/scenes-64/generator.pt");
        QVERIFY2(!generator.empty(), "resources/generators/scenes-64/generator.pt is not there");
        constexpr int Samples = 96;
        const auto coverage = measureWorldCoverage(generator, Samples, 1);
        const std::string report = coverage.report();
        QCOMPARE(int(coverage.factors.size()), scenes().factorCount());
        for (int f = 0; f < scenes().factorCount(); ++f) {
            const auto &factor = coverage.factors[std::size_t(f)];
            QCOMPARE(int(factor.histogram.size()), scenes().factors[std::size_t(f)].size);
            const std::size_t at = report.find("\n" + factor.name + " ");
            QVERIFY2(at != std::string::npos, report.c_str());
            const std::string line = report.substr(at + 1, report.find('\n', at + 1) - at - 1);
            // the last histogram.size() numbers of the row are the counts
            std::vector<long> numbers;
            std::istringstream words(line.substr(line.find(' ')));
            for (std::string word; words >> word;)
                numbers.push_back(std::lround(std::stod(word)));
            QVERIFY2(numbers.size() >= factor.histogram.size(), line.c_str());
            long total = 0, present = 0;
            for (std::size_t v = 0; v < factor.histogram.size(); ++v) {
                const long count = numbers[numbers.size() - factor.histogram.size() + v];
                QCOMPARE(count, std::lround(factor.histogram[v] * Samples));
                total += count;
                present += count * 4 * long(factor.histogram.size()) >= Samples;
            }
            QCOMPARE(total, long(Samples));
            QVERIFY(std::abs(factor.coverage - double(present) / double(factor.histogram.size())) < 1e-9);
        }
        // Sharpness is the samples' Laplacian energy over real renders'; the shipped generator's samples are
        // blurrier than the renders (about half their edge energy), and the report says so.
        const auto &sharpness = coverage.sharpness;
        QVERIFY(sharpness.realEnergy > 0.0);
        QVERIFY(std::abs(sharpness.ratio - sharpness.sampleEnergy / sharpness.realEnergy) < 1e-12);
        QVERIFY2(sharpness.ratio > 0.2 && sharpness.ratio < 0.9, report.c_str());
        QVERIFY2(report.find("sharpness") != std::string::npos, report.c_str());
        // One view: a share, and the reference beside it (renders blended with their mirror image) is far from 1.
        QVERIFY2(coverage.oneView >= 0.0 && coverage.oneView <= 1.0, report.c_str());
        QVERIFY2(coverage.mirrorBlendOneView > 0.1 && coverage.mirrorBlendOneView < 0.8, report.c_str());
        QVERIFY2(report.find("one view") != std::string::npos, report.c_str());
    }

    void oneViewTellsARoomFromItsAverageOverOrientations()
    {
        // With an exact reader (the true factors), every render is nearer to itself than to its room averaged over the
        // 15 orientations, no averaged room is nearer to any single view than to itself, and a render blended with its
        // mirror image (two views at once) falls between.
        std::mt19937 random(7);
        std::vector<SceneFactors> scenes(40);
        for (auto &scene : scenes)
            for (int f = 0; f < SceneFactorCount; ++f)
                scene.setIndex(SceneFactor(f), int(random() % unsigned(SceneFactorSizes[std::size_t(f)])));
        using selfcheck::RoomViewInput;
        QCOMPARE(selfcheck::roomViewShareOfScenes(scenes, RoomViewInput::Render), 1.0);
        QCOMPARE(selfcheck::roomViewShareOfScenes(scenes, RoomViewInput::AveragedRoom), 0.0);
        const double blends = selfcheck::roomViewShareOfScenes(scenes, RoomViewInput::MirrorBlend);
        QVERIFY2(blends > 0.1 && blends < 0.9, QByteArray::number(blends));
        // Bad input is named, not read: grey images, an empty batch.
        QVERIFY(selfcheck::roomViewShareProblem(4, 3).empty());
        QVERIFY2(selfcheck::roomViewShareProblem(4, 1).find("3-channel") != std::string::npos,
            selfcheck::roomViewShareProblem(4, 1).c_str());
        QVERIFY(!selfcheck::roomViewShareProblem(0, 3).empty());
    }

    void coverageHonoursTruncation()
    {
        // psi pulls every w toward the mean, so the samples show fewer distinct values: mean entropy falls, and the
        // report names the psi it was drawn at. (The Scenes path once ignored psi and printed psi 1 figures.)
        const std::string generator = shippedResourcePath("generators/scenes-64/generator.pt");
        QVERIFY2(!generator.empty(), "resources/generators/scenes-64/generator.pt is not there");
        constexpr int Samples = 96;
        const auto full = measureWorldCoverage(generator, Samples, 1, 1.0);
        const auto truncated = measureWorldCoverage(generator, Samples, 1, 0.3);
        QCOMPARE(truncated.truncation, 0.3);
        QVERIFY2(truncated.meanEntropy < full.meanEntropy - 0.05,
            qPrintable(QString("entropy psi 0.3 %1, psi 1 %2").arg(truncated.meanEntropy).arg(full.meanEntropy)));
        QVERIFY2(truncated.report().find("psi 0.30") != std::string::npos, truncated.report().c_str());
        QVERIFY2(full.report().find("psi") == std::string::npos, full.report().c_str());
        for (double psi : {0.0, -0.5, 1.5, std::nan("")}) {
            const std::string message
                = test::invalidArgumentOf([&] { measureWorldCoverage(generator, Samples, 1, psi); });
            QVERIFY2(message.find("psi") != std::string::npos, message.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TstWorldCoverage)
#include "tst_worldcoverage.moc"
