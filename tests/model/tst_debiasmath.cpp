// The debias engine's formulas against hand computations in plain double-precision C++: the Product-of-Experts sum,
// the distillation term, Adam's update, the cell-matrix summaries and the linear probe.
#include "groupaccuracy.h"
#include "selfcheck/debiasselfcheck.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace untangle;

namespace {

constexpr double LogitTolerance = 1e-5; // float32 logits, values of order 1
constexpr double LossTolerance = 1e-5; // float32 softmax of a 2 x 3 example
constexpr double AdamTolerance = 1e-5; // float32 FlatAdam after a few dozen steps vs double reference
constexpr double Exact = 1e-12; // ratios of small integers

std::vector<double> flattened(const std::vector<std::vector<double>> &groups)
{
    std::vector<double> out;
    for (const auto &group : groups)
        for (double v : group)
            out.push_back(v);
    return out;
}

/** torch.optim.Adam in double precision: coupled L2 weight decay, bias correction, eps after sqrt(v)/sqrt(bias2). */
std::vector<double> referenceAdam(const selfcheck::Quadratic &problem, const selfcheck::AdamSettings &s, int steps)
{
    std::vector<double> p = flattened(problem.start);
    struct Moments {
        double m = 0.0, v = 0.0;
    };
    std::vector<Moments> moments(p.size());
    for (int t = 1; t <= steps; ++t) {
        const double bias1 = 1.0 - std::pow(s.beta1, t), bias2 = 1.0 - std::pow(s.beta2, t);
        for (std::size_t i = 0; i < p.size(); ++i) {
            const double grad = problem.curvature[i] * (p[i] - problem.target[i]) + s.weightDecay * p[i];
            double &m = moments[i].m, &v = moments[i].v;
            m = s.beta1 * m + (1.0 - s.beta1) * grad;
            v = s.beta2 * v + (1.0 - s.beta2) * grad * grad;
            const double denom = std::sqrt(v) / std::sqrt(bias2) + s.eps;
            p[i] -= s.learningRate / bias1 * m / denom;
        }
    }
    return p;
}

std::vector<double> softmax(const double *z, int n, double tau)
{
    const double top = *std::max_element(z, z + n) / tau;
    std::vector<double> p(n);
    double sum = 0;
    for (int c = 0; c < n; ++c)
        sum += p[c] = std::exp(z[c] / tau - top);
    for (double &x : p)
        x /= sum;
    return p;
}

/** Features whose class shows in one coordinate each (plus noise), and labels drawn with a fixed seed. */
struct Features {
    std::vector<double> values;
    std::vector<std::int64_t> labels;
};

constexpr int ProbeDims = 6;
constexpr int ProbeClasses = 3;

Features separableFeatures(int count, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> label(0, ProbeClasses - 1);
    std::normal_distribution<double> noise(0.0, 0.1);
    Features f;
    for (int i = 0; i < count; ++i) {
        const int y = label(rng);
        f.labels.push_back(y);
        for (int d = 0; d < ProbeDims; ++d)
            f.values.push_back((d == y ? 2.0 : 0.0) + noise(rng));
    }
    return f;
}

Features noiseFeatures(int count, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> label(0, ProbeClasses - 1);
    std::normal_distribution<double> noise(0.0, 1.0);
    Features f;
    for (int i = 0; i < count; ++i) {
        f.labels.push_back(label(rng));
        for (int d = 0; d < ProbeDims; ++d)
            f.values.push_back(noise(rng));
    }
    return f;
}

/** Appends `count` samples of cell (target, bias), the first `correct` of them predicted right. */
void addCell(std::vector<std::int64_t> &predictions, std::vector<std::int64_t> &targets,
    std::vector<std::int64_t> &biases, int target, int bias, int count, int correct, int wrongClass)
{
    for (int i = 0; i < count; ++i) {
        predictions.push_back(i < correct ? target : wrongClass);
        targets.push_back(target);
        biases.push_back(bias);
    }
}

} // namespace

class TstDebiasMath : public QObject {
    Q_OBJECT

private slots:
    void poeLogitsCountTheHeadBiasOnce()
    {
        constexpr int Rows = 5, Classes = 3;
        const auto logits = selfcheck::stage1Logits(8, 3, 4, 4, Classes, 1, Rows);
        QCOMPARE(int(logits.poe.size()), Rows * Classes);
        QCOMPARE(int(logits.deep.size()), Rows * Classes);
        QCOMPARE(int(logits.shallow.size()), Rows * Classes);
        QCOMPARE(int(logits.headBias.size()), Classes);
        // A zero bias would make "counted once" and "counted twice" indistinguishable.
        QVERIFY(
            std::any_of(logits.headBias.begin(), logits.headBias.end(), [](double b) { return std::abs(b) > 1e-3; }));
        double twiceGap = 0;
        for (int r = 0; r < Rows; ++r)
            for (int c = 0; c < Classes; ++c) {
                const int i = r * Classes + c;
                const double expected = logits.deep[i] + logits.shallow[i] - logits.headBias[c];
                QVERIFY2(std::abs(logits.poe[i] - expected) < LogitTolerance,
                    qPrintable(QString("row %1 class %2: poe %3, deep + shallow - bias %4")
                                   .arg(r)
                                   .arg(c)
                                   .arg(logits.poe[i])
                                   .arg(expected)));
                twiceGap = std::max(twiceGap, std::abs(logits.poe[i] - (logits.deep[i] + logits.shallow[i])));
            }
        QVERIFY(twiceGap > 1e-3); // the PoE is not f(deep) + f(shallow) with the bias twice
    }

    void distillationLossMatchesHandComputation_data()
    {
        QTest::addColumn<double>("tau");
        QTest::newRow("tau 2 (paper)") << 2.0;
        QTest::newRow("tau 1") << 1.0;
        QTest::newRow("tau 4") << 4.0;
    }

    void distillationLossMatchesHandComputation()
    {
        QFETCH(double, tau);
        constexpr int Rows = 2, Classes = 3;
        const std::vector<double> teacher {2.0, -1.0, 0.5, -0.3, 0.8, 3.1};
        const std::vector<double> student {0.1, 1.7, -2.2, 1.0, 0.0, -0.5};
        double expected = 0;
        for (int i = 0; i < Rows; ++i) {
            const auto pT = softmax(&teacher[i * Classes], Classes, tau);
            const auto pS = softmax(&student[i * Classes], Classes, tau);
            for (int c = 0; c < Classes; ++c)
                expected -= pT[c] * std::log(pS[c]);
        }
        expected = expected / Rows * tau * tau;
        const double actual = selfcheck::distillationLoss(teacher, student, Rows, Classes, tau);
        QVERIFY2(std::abs(actual - expected) < LossTolerance,
            qPrintable(QString("engine %1, hand %2").arg(actual, 0, 'g', 10).arg(expected, 0, 'g', 10)));
        // Soft cross-entropy is KL + the teacher's entropy: distilling into the teacher itself leaves tau^2 * H(p_T) >
        // 0.
        double entropy = 0;
        for (int i = 0; i < Rows; ++i)
            for (double p : softmax(&teacher[i * Classes], Classes, tau))
                entropy -= p * std::log(p);
        const double self = selfcheck::distillationLoss(teacher, teacher, Rows, Classes, tau);
        QVERIFY(std::abs(self - entropy / Rows * tau * tau) < LossTolerance);
    }

    void flatAdamMatchesTorchAdam_data()
    {
        QTest::addColumn<double>("weightDecay");
        QTest::addColumn<double>("learningRate");
        QTest::addColumn<int>("steps");
        QTest::addColumn<double>("eps");
        QTest::newRow("no decay") << 0.0 << 0.05 << 30 << 1e-8;
        QTest::newRow("decay 1e-3 (paper stage 1)") << 1e-3 << 0.05 << 30 << 1e-8;
        QTest::newRow("strong decay") << 0.5 << 0.02 << 40 << 1e-8;
        // A large eps makes its place visible: sqrt(v)/sqrt(bias2) + eps, not (sqrt(v) + eps)/sqrt(bias2).
        QTest::newRow("large eps") << 1e-3 << 0.05 << 5 << 0.05;
    }

    void flatAdamMatchesTorchAdam()
    {
        QFETCH(double, weightDecay);
        QFETCH(double, learningRate);
        QFETCH(int, steps);
        QFETCH(double, eps);
        selfcheck::Quadratic problem;
        problem.start = {{0.5, -1.25, 2.0, 0.0}, {3.0, -0.75}, {1e-3}}; // three tensors, one flat buffer
        problem.curvature = {1.0, 4.0, 0.25, 2.0, 0.5, 8.0, 1.5};
        problem.target = {-1.0, 0.5, 1.0, 0.3, -2.0, 0.0, 0.7};
        selfcheck::AdamSettings settings;
        settings.learningRate = learningRate;
        settings.weightDecay = weightDecay;
        settings.eps = eps;

        const auto reference = referenceAdam(problem, settings, steps);
        const auto flat = selfcheck::flatAdamOnQuadratic(problem, settings, steps);
        const auto stock = selfcheck::stockAdamOnQuadratic(problem, settings, steps);
        QCOMPARE(flat.size(), reference.size());
        QCOMPARE(stock.size(), reference.size());
        const std::vector<double> start = flattened(problem.start);
        double moved = 0;
        for (std::size_t i = 0; i < reference.size(); ++i) {
            QVERIFY2(std::abs(flat[i] - reference[i]) < AdamTolerance,
                qPrintable(QString("p[%1]: FlatAdam %2, reference %3")
                               .arg(i)
                               .arg(flat[i], 0, 'g', 10)
                               .arg(reference[i], 0, 'g', 10)));
            // The hand reference is itself checked against LibTorch's Adam, so it encodes torch's semantics.
            QVERIFY2(std::abs(stock[i] - reference[i]) < AdamTolerance,
                qPrintable(QString("p[%1]: torch Adam %2, reference %3")
                               .arg(i)
                               .arg(stock[i], 0, 'g', 10)
                               .arg(reference[i], 0, 'g', 10)));
            moved = std::max(moved, std::abs(reference[i] - start[i]));
        }
        QVERIFY(moved > 0.1); // the steps did something worth comparing
    }

    void lffStepsMatchTheOfficialUpdateByHand()
    {
        // alinlab/LfF train.py, by hand: each model's per-sample CE enters an EMA (alpha 0.7, the first loss taken
        // whole), the EMA is divided by its class maximum over the training set, the debiased model's weight is
        // l_b / (l_b + l_d + 1e-8); the biased model trains on CE * p_y^0.7 * 0.7, the debiased one on CE * w, both
        // averaged over the batch. Batches overlap so the EMA's blending and the class maxima are exercised.
        selfcheck::LffSteps setup;
        for (int i = 0; i < 12; ++i)
            setup.targets.push_back(i % 3);
        setup.batches = {{0, 1, 2, 3, 4, 5, 6, 7}, {4, 5, 6, 7, 8, 9, 10, 11}, {0, 1, 2, 3, 8, 9}};
        const auto traces = selfcheck::lffSteps(setup);
        QCOMPARE(int(traces.size()), 3);
        std::vector<double> emaB(12, 0.0), emaD(12, 0.0), seen(12, 0.0);
        const double alpha = 0.7, q = 0.7;
        for (std::size_t step = 0; step < traces.size(); ++step) {
            const auto &t = traces[step];
            const auto &batch = setup.batches[step];
            for (std::size_t r = 0; r < batch.size(); ++r) {
                const auto s = std::size_t(batch[r]);
                emaB[s] = alpha * emaB[s] * seen[s] + (1.0 - alpha * seen[s]) * t.ceBiased[r];
                emaD[s] = alpha * emaD[s] * seen[s] + (1.0 - alpha * seen[s]) * t.ceDebiased[r];
                seen[s] = 1.0;
            }
            auto classMax = [&](const std::vector<double> &ema, std::int64_t c) {
                double m = 0.0;
                for (std::size_t s = 0; s < ema.size(); ++s)
                    if (setup.targets[s] == c)
                        m = std::max(m, ema[s]);
                return m;
            };
            double gce = 0.0, weighted = 0.0;
            for (std::size_t r = 0; r < batch.size(); ++r) {
                const auto s = std::size_t(batch[r]);
                const double lb = emaB[s] / classMax(emaB, setup.targets[s]);
                const double ld = emaD[s] / classMax(emaD, setup.targets[s]);
                gce += t.ceBiased[r] * std::pow(t.pBiased[r], q) * q;
                weighted += t.ceDebiased[r] * lb / (lb + ld + 1e-8);
            }
            gce /= double(batch.size());
            weighted /= double(batch.size());
            const QString where = QString("step %1").arg(step + 1);
            QVERIFY2(std::abs(t.gce - gce) < 1e-5 * std::max(1.0, gce), qPrintable(where + " gce"));
            QVERIFY2(std::abs(t.weighted - weighted) < 1e-5 * std::max(1.0, weighted), qPrintable(where + " weighted"));
            QVERIFY2(std::abs(t.loss - (gce + weighted)) < 1e-5 * std::max(1.0, gce + weighted), qPrintable(where));
            for (std::size_t s = 0; s < emaB.size(); ++s) {
                QVERIFY2(std::abs(t.emaBiased[s] - emaB[s]) < 1e-5, qPrintable(where + " ema_b " + QString::number(s)));
                QVERIFY2(
                    std::abs(t.emaDebiased[s] - emaD[s]) < 1e-5, qPrintable(where + " ema_d " + QString::number(s)));
            }
        }
        // The models learn between steps: the second visit of samples 4-7 sees other losses than the first.
        QVERIFY(std::abs(traces[1].ceBiased[0] - traces[0].ceBiased[4]) > 1e-7);
    }

    void lffOfficialRecipeIsThreeHiddenLayers()
    {
        // module/mlp.py: 2352 -> 100 -> 100 -> 100 -> 10 (three hidden layers; ours has four).
        const auto official = selfcheck::lffBiasedLayers(true);
        const std::vector<std::pair<int, int>> expected {{100, 2352}, {100, 100}, {100, 100}, {10, 100}};
        QCOMPARE(official, expected);
        QCOMPARE(int(selfcheck::lffBiasedLayers(false).size()), 5);
    }

    void cellMetricsAreGroupBalanced()
    {
        std::vector<std::int64_t> predictions, targets, biases;
        addCell(predictions, targets, biases, 0, 0, 4, 3, 1); // aligned, 3/4
        addCell(predictions, targets, biases, 0, 1, 1, 0, 1); // conflicting, 0/1
        addCell(predictions, targets, biases, 1, 0, 2, 1, 0); // conflicting, 1/2
        addCell(predictions, targets, biases, 1, 1, 3, 3, 0); // aligned, 3/3
        const GroupAccuracy g = groupAccuracy(predictions, targets, biases, 2, 2);

        QCOMPARE(g.cellCounts, (std::vector<std::vector<int>> {{4, 1}, {2, 3}}));
        QVERIFY(std::abs(g.cells[0][0] - 0.75) < Exact);
        QVERIFY(std::abs(g.cells[0][1] - 0.0) < Exact);
        QVERIFY(std::abs(g.cells[1][0] - 0.5) < Exact);
        QVERIFY(std::abs(g.cells[1][1] - 1.0) < Exact);
        QVERIFY(std::abs(g.aligned - (0.75 + 1.0) / 2) < Exact);
        QVERIFY(std::abs(g.conflicting - (0.0 + 0.5) / 2) < Exact);
        QVERIFY(std::abs(g.unbiased - (0.75 + 0.0 + 0.5 + 1.0) / 4) < Exact);
        QVERIFY(std::abs(g.sampleAccuracy - 7.0 / 10.0) < Exact);
        QVERIFY(std::abs(g.unbiased - g.sampleAccuracy) > 0.1); // cell sizes differ, so the two means must too
        QVERIFY(std::abs(g.worstGroup - 0.0) < Exact);
    }

    void emptyCellsAreNanAndLeftOutOfTheMeans()
    {
        std::vector<std::int64_t> predictions, targets, biases;
        addCell(predictions, targets, biases, 0, 0, 2, 2, 1); // 1.0
        addCell(predictions, targets, biases, 0, 1, 4, 1, 1); // 0.25
        addCell(predictions, targets, biases, 1, 1, 5, 4, 0); // 0.8
        addCell(predictions, targets, biases, 2, 2, 1, 0, 0); // 0.0
        addCell(predictions, targets, biases, 2, 0, 2, 1, 1); // 0.5
        // (0,2), (1,0), (1,2), (2,1) stay empty.
        const GroupAccuracy g = groupAccuracy(predictions, targets, biases, 3, 3);

        QVERIFY(std::isnan(g.cells[0][2]));
        QVERIFY(std::isnan(g.cells[1][0]));
        QVERIFY(std::isnan(g.cells[1][2]));
        QVERIFY(std::isnan(g.cells[2][1]));
        QCOMPARE(g.cellCounts[1][0], 0);
        QVERIFY(std::abs(g.aligned - (1.0 + 0.8 + 0.0) / 3) < Exact);
        QVERIFY(std::abs(g.conflicting - (0.25 + 0.5) / 2) < Exact);
        QVERIFY(std::abs(g.unbiased - (1.0 + 0.25 + 0.8 + 0.0 + 0.5) / 5) < Exact);
        QVERIFY(std::abs(g.worstGroup - 0.0) < Exact);
        QVERIFY(std::abs(g.sampleAccuracy - 8.0 / 14.0) < Exact);

        // A split with no conflicting samples at all has no conflicting mean (NaN, not 0).
        const GroupAccuracy alignedOnly = groupAccuracy({0, 1, 1}, {0, 1, 1}, {0, 1, 1}, 2, 2);
        QVERIFY(std::isnan(alignedOnly.conflicting));
        QVERIFY(std::abs(alignedOnly.aligned - 1.0) < Exact);
    }

    void linearProbeSeparatesSeparableFeatures()
    {
        const Features fit = separableFeatures(300, 11), score = separableFeatures(300, 12);
        const double accuracy = selfcheck::linearDecodability(
            fit.values, fit.labels, score.values, score.labels, ProbeDims, ProbeClasses);
        QVERIFY2(accuracy > 0.99, qPrintable(QString::number(accuracy)));
    }

    void linearProbeIsAtChanceOnRandomLabels()
    {
        const Features fit = noiseFeatures(600, 21), score = noiseFeatures(600, 22);
        const double accuracy = selfcheck::linearDecodability(
            fit.values, fit.labels, score.values, score.labels, ProbeDims, ProbeClasses);
        // Chance is 1/3; with 600 scored samples the standard error is about 0.02.
        QVERIFY2(accuracy > 1.0 / ProbeClasses - 0.08 && accuracy < 1.0 / ProbeClasses + 0.08,
            qPrintable(QString::number(accuracy)));
    }
};

QTEST_GUILESS_MAIN(TstDebiasMath)
#include "tst_debiasmath.moc"
