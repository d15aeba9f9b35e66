// The study's intervals (issue 12): the percentile bootstrap and the t-interval on samples whose answer is known,
// and the study table's random-direction row and authors' rescoring columns on hand-made scores.
#include "confidenceinterval.h"
#include "study/latentstudy.h"

#include <QtTest>

#include <cmath>
#include <numeric>
#include <random>

using namespace untangle;

class TstStudyStatistics : public QObject {
    Q_OBJECT

private slots:
    void bootstrapOfAConstantIsZeroWidth()
    {
        const auto interval = bootstrapMeanInterval(std::vector<double>(50, 0.25));
        QCOMPARE(interval.mean, 0.25);
        QCOMPARE(interval.low, 0.25);
        QCOMPARE(interval.high, 0.25);
        QCOMPARE(interval.halfWidth(), 0.0);
    }

    void bootstrapOfANormalSampleCoversItsMeanWithTheRightWidth()
    {
        // n = 400 draws of N(2, 1): the 95% interval of the mean is about 2 +- 1.96 / sqrt(400) = 2 +- 0.098.
        std::mt19937_64 engine(11);
        std::normal_distribution<double> normal(2.0, 1.0);
        std::vector<double> samples(400);
        for (double &x : samples)
            x = normal(engine);
        BootstrapOptions options;
        options.seed = 3;
        const auto interval = bootstrapMeanInterval(samples, options);
        QVERIFY(interval.low < interval.mean && interval.mean < interval.high);
        QVERIFY2(interval.low < 2.0 && interval.high > 2.0, qPrintable(QString::fromStdString(interval.format())));
        const double sampleMean = std::accumulate(samples.begin(), samples.end(), 0.0) / 400.0;
        QVERIFY(std::abs(interval.mean - sampleMean) < 1e-12);
        QVERIFY2(interval.halfWidth() > 0.08 && interval.halfWidth() < 0.12,
            qPrintable(QString::number(interval.halfWidth())));
        // Deterministic per seed; another seed moves the limits a little, not the mean.
        const auto again = bootstrapMeanInterval(samples, options);
        QCOMPARE(again.low, interval.low);
        QCOMPARE(again.high, interval.high);
        options.seed = 4;
        options.resamples = 200;
        const auto other = bootstrapMeanInterval(samples, options);
        QCOMPARE(other.mean, interval.mean);
        QVERIFY(other.low != interval.low);
        QVERIFY(std::abs(other.low - interval.low) < 0.03);
    }

    void tIntervalOverSeeds()
    {
        // {1, 2, 3}: mean 2, s = 1, se = 1 / sqrt(3), t(0.975, 2) = 4.303.
        const auto interval = meanInterval({1.0, 2.0, 3.0});
        QVERIFY(std::abs(interval.mean - 2.0) < 1e-12);
        QVERIFY(std::abs(interval.halfWidth() - 4.303 / std::sqrt(3.0)) < 1e-9);
        // Many values: mean +- 1.96 se.
        std::vector<double> many(100);
        for (std::size_t i = 0; i < many.size(); ++i)
            many[i] = i % 2 ? 1.0 : -1.0;
        const double se = std::sqrt(100.0 / 99.0) / 10.0;
        QVERIFY(std::abs(meanInterval(many).halfWidth() - 1.96 * se) < 1e-9);
        QCOMPARE(meanInterval({0.5}).halfWidth(), 0.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanInterval({}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanInterval({}));
        BootstrapOptions bad;
        bad.resamples = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanInterval({1.0, 2.0}, bad));
    }

    void intervalsOrderOnlyWhenTheyDoNotOverlap()
    {
        const ConfidenceInterval start {0.080, 0.075, 0.091};
        QCOMPARE(intervalOrder({0.060, 0.052, 0.068}, start), IntervalOrder::Below);
        QCOMPARE(intervalOrder({0.076, 0.070, 0.084}, start), IntervalOrder::Overlapping); // means differ, ranges not
        QCOMPARE(intervalOrder({0.096, 0.092, 0.100}, start), IntervalOrder::Above);
        QCOMPARE(intervalOrder({0.100, 0.091, 0.110}, start), IntervalOrder::Overlapping); // touching ends overlap
        QCOMPARE(intervalOrder(start, start), IntervalOrder::Overlapping);
    }

    void studyTableHasTheRandomRowAndTheAuthorsColumns()
    {
        const auto run = [](double diagonal, double offDiagonal) {
            return StudyScores {{"mig", 0.1}, {"migFloor", 0.01}, {"authorsDiagonal", diagonal},
                {"authorsDiagonalLow", diagonal - 0.05}, {"authorsDiagonalHigh", diagonal + 0.05},
                {"authorsOffDiagonal", offDiagonal}, {"authorsOffDiagonalLow", offDiagonal - 0.01},
                {"authorsOffDiagonalHigh", offDiagonal + 0.01}, {"authorsDiagonalFloor", 0.2},
                {"authorsOffDiagonalFloor", 0.1}};
        };
        const std::vector<StudyCell> cells {
            {"random", false, {run(0.3, 0.1)}}, {"random", true, {run(0.3, 0.1), run(0.4, 0.2), run(0.5, 0.3)}}};
        const QString table = QString::fromStdString(formatStudyTable(cells, {}));
        QVERIFY2(table.contains("| Random orthonormal | 1 |"), qPrintable(table));
        QVERIFY(table.contains("| Random orthonormal + SRE | 3 |"));
        QVERIFY(table.contains("matched diagonal (+eps, authors')"));
        QVERIFY(table.contains("matched off-diagonal (+eps, authors'"));
        // One run: its own bootstrap interval; three runs: the t-interval over them (0.4 +- 4.303 * 0.1 / sqrt 3).
        QVERIFY2(table.contains("0.300 [0.250, 0.350]"), qPrintable(table));
        QVERIFY2(table.contains("0.400 [0.152, 0.648]"), qPrintable(table));
    }
};

QTEST_GUILESS_MAIN(TstStudyStatistics)
#include "tst_studystatistics.moc"
