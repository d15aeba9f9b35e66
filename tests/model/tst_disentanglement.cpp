// The disentanglement metrics (MIG, DCI, FactorVAE, beta-VAE) against hand computations and synthetic generative
// processes whose answers are known: a code that copies each factor into one dimension, a code that mixes every
// factor into every dimension, and Gaussian codes that know nothing.
#include "evaluation/disentanglement.h"
#include "seededrandom.h"

#include <QtTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <memory>
#include <stdexcept>

using namespace untangle;

namespace {

constexpr double Exact = 1e-12; // sums of a few logs of small integers
constexpr double EntropySmoothing = 1e-8; // DCI adds 1e-11 to every importance before its entropies
constexpr double CodeNoise = 0.01; // informative dimensions: far below the spacing of factor values
constexpr double ChanceMargin = 0.08; // ~5 binomial standard deviations at 1000 evaluations and p = 1/3

/**
 * A synthetic generative process: factors drawn uniformly, code_j = sum_k M[j][k] u_k + sigma_j eps with
 * u_k = value_k / (size_k - 1) in [0, 1] and eps ~ N(0, 1).
 */
struct Process {
    std::vector<int> sizes;
    int codeDim = 0;
    std::vector<double> mixing; // codeDim x F
    std::vector<double> sigma; // codeDim

    int factorCount() const { return int(sizes.size()); }

    void encode(const std::vector<int> &factors, SeededRandom &random, double *out) const
    {
        for (int j = 0; j < codeDim; ++j) {
            double v = sigma[std::size_t(j)] * random.normal();
            for (int k = 0; k < factorCount(); ++k)
                v += mixing[std::size_t(j) * sizes.size() + std::size_t(k)] * factors[std::size_t(k)]
                    / (sizes[std::size_t(k)] - 1);
            out[j] = v;
        }
    }

    void draw(int rows, std::uint64_t seed, CodeMatrix &codes, FactorMatrix &factors) const
    {
        SeededRandom random(seed);
        codes = CodeMatrix {rows, codeDim, std::vector<double>(std::size_t(rows) * std::size_t(codeDim))};
        factors = FactorMatrix {rows, sizes, {}};
        std::vector<int> f(sizes.size());
        for (int i = 0; i < rows; ++i) {
            for (int k = 0; k < factorCount(); ++k)
                f[std::size_t(k)] = random.below(sizes[std::size_t(k)]);
            factors.values.insert(factors.values.end(), f.begin(), f.end());
            encode(f, random, &codes.values[std::size_t(i) * std::size_t(codeDim)]);
        }
    }

    /** Uniform factors; with `withPairs`, also a native pair callback (otherwise beta-VAE builds pairs itself). */
    FactorSampler sampler(std::uint64_t seed, bool withPairs = false) const
    {
        auto random = std::make_shared<SeededRandom>(seed);
        const Process self = *this;
        // Codes of `batch` samples; factor `fixedFactor` (if >= 0) set to values[i] for sample i.
        auto encodeBatch = [random, self](int fixedFactor, const std::vector<int> &values, std::vector<double> &out) {
            const int batch = int(values.size());
            out.resize(std::size_t(batch) * std::size_t(self.codeDim));
            std::vector<int> f(self.sizes.size());
            for (int i = 0; i < batch; ++i) {
                for (int k = 0; k < self.factorCount(); ++k)
                    f[std::size_t(k)] = random->below(self.sizes[std::size_t(k)]);
                if (fixedFactor >= 0)
                    f[std::size_t(fixedFactor)] = values[std::size_t(i)];
                self.encode(f, *random, &out[std::size_t(i) * std::size_t(self.codeDim)]);
            }
        };
        FactorSampler s;
        s.factorSizes = sizes;
        s.codeDim = codeDim;
        s.sample = [encodeBatch](int batch, std::vector<double> &out) {
            encodeBatch(-1, std::vector<int>(std::size_t(batch)), out);
        };
        s.sampleWithFactorFixed = [encodeBatch](int factor, int value, int batch, std::vector<double> &out) {
            encodeBatch(factor, std::vector<int>(std::size_t(batch), value), out);
        };
        if (withPairs)
            s.samplePairs = [encodeBatch, random, self](
                                int factor, int batch, std::vector<double> &first, std::vector<double> &second) {
                std::vector<int> values(static_cast<std::size_t>(batch));
                for (int &v : values)
                    v = random->below(self.sizes[std::size_t(factor)]);
                encodeBatch(factor, values, first);
                encodeBatch(factor, values, second);
            };
        return s;
    }
};

/** Factor k lands in code dimension placement[k] (scaled by 1 + k / 2), plus `noiseDims` pure N(0, 1) dimensions. */
Process disentangled(const std::vector<int> &sizes, const std::vector<int> &placement, int noiseDims)
{
    Process p;
    p.sizes = sizes;
    p.codeDim = int(sizes.size()) + noiseDims;
    p.mixing.assign(std::size_t(p.codeDim) * sizes.size(), 0.0);
    p.sigma.assign(std::size_t(p.codeDim), 1.0);
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        p.mixing[std::size_t(placement[k]) * sizes.size() + k] = 1.0 + 0.5 * double(k);
        p.sigma[std::size_t(placement[k])] = CodeNoise;
    }
    return p;
}

/** Four factors rotated by the 4 x 4 Hadamard matrix / 2: every dimension carries every factor equally. */
Process hadamardMixed(const std::vector<int> &sizes)
{
    Process p;
    p.sizes = sizes;
    p.codeDim = 4;
    p.mixing = {1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1};
    for (double &m : p.mixing)
        m *= 0.5;
    p.sigma.assign(4, CodeNoise);
    return p;
}

double chance(const std::vector<int> &sizes)
{
    double sum = 0.0;
    for (int s : sizes)
        sum += 1.0 / s;
    return sum / double(sizes.size());
}

/** Runs `call` and returns the std::invalid_argument message it threw: "" if none, "<other exception>" otherwise. */
template <typename Call> QString invalidArgumentMessage(Call call)
{
    try {
        call();
    } catch (const std::invalid_argument &e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("<other exception>");
    }
    return QString();
}

const std::vector<int> Sizes3 = {4, 5, 6};
const std::vector<int> Placement3 = {3, 0, 2}; // a permutation: dimension order must not matter

} // namespace

class TestDisentanglement : public QObject {
    Q_OBJECT

private slots:
    void mutualInformationMatchesHandComputation()
    {
        // a: 2 bins, b: 2 classes, 4 samples. Joint counts (0,0)=1 (0,1)=1 (1,1)=2, marginals a 1/2 1/2, b 1/4 3/4:
        // I = 1/4 ln 2 + 1/4 ln(2/3) + 1/2 ln(4/3) = 3/2 ln 2 - 3/4 ln 3.
        const std::vector<int> a = {0, 0, 1, 1}, b = {0, 1, 1, 1};
        const double expected = 1.5 * std::log(2.0) - 0.75 * std::log(3.0);
        QVERIFY(std::abs(mutualInformation(a, b) - expected) < Exact);
        QVERIFY(std::abs(mutualInformation(b, a) - expected) < Exact);
        QVERIFY(std::abs(mutualInformation(a, a) - std::log(2.0)) < Exact); // I(a; a) = H(a)
        QVERIFY(std::abs(discreteEntropy(b) - -(0.25 * std::log(0.25) + 0.75 * std::log(0.75))) < Exact);
        QCOMPARE(mutualInformation({0, 1, 0, 1}, {0, 0, 1, 1}), 0.0); // independent: exactly 0 after clipping
    }

    void histogramDiscretizeMatchesNumpy()
    {
        // numpy.digitize(x, numpy.histogram(x, bins)[1][:-1]) - 1, worked by hand.
        QCOMPARE(histogramDiscretize({0.0, 0.25, 0.5, 0.75, 1.0}, 2), std::vector<int>({0, 0, 1, 1, 1}));
        const std::vector<int> twenty = histogramDiscretize({0.0, 0.5, 0.999, 1.0}, MigHistogramBins);
        QCOMPARE(twenty, std::vector<int>({0, 10, 19, 19})); // the maximum joins the last bin
        // A constant column: numpy widens the range to [c - 0.5, c + 0.5], so c sits on the 11th left edge.
        QCOMPARE(histogramDiscretize({3.0, 3.0, 3.0}, MigHistogramBins), std::vector<int>({10, 10, 10}));
    }

    void migMatchesHandComputation()
    {
        // Two bins; dimension 0 = a from the MI test, dimension 1 copies the factor exactly.
        const CodeMatrix codes = CodeMatrix::fromRows({{0.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}, {1.0, 1.0}});
        const FactorMatrix factors = FactorMatrix::fromRows({{0}, {1}, {1}, {1}}, {2});
        const MigResult r = computeMig(codes, factors, 2);
        const double h = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75));
        const double partial = 1.5 * std::log(2.0) - 0.75 * std::log(3.0);
        QVERIFY(std::abs(r.factorEntropy[0] - h) < Exact);
        QVERIFY(std::abs(r.mi(0, 0) - partial) < Exact);
        QVERIFY(std::abs(r.mi(1, 0) - h) < Exact);
        QVERIFY(std::abs(r.mig - (h - partial) / h) < Exact);
        QCOMPARE(r.topCode[0], 1);
    }

    void migOfDisentangledCodeIsNearOne()
    {
        CodeMatrix codes;
        FactorMatrix factors;
        disentangled(Sizes3, Placement3, 2).draw(3000, 1, codes, factors);
        const MigResult r = computeMig(codes, factors);
        qInfo(
            "MIG disentangled %.4f (per factor %.4f %.4f %.4f)", r.mig, r.perFactor[0], r.perFactor[1], r.perFactor[2]);
        QVERIFY(r.mig > 0.95);
        for (int k = 0; k < 3; ++k) {
            QVERIFY(r.perFactor[std::size_t(k)] > 0.95);
            QCOMPARE(r.topCode[std::size_t(k)], Placement3[std::size_t(k)]);
        }
    }

    void migOfDuplicatedFactorIsNearZero()
    {
        // Dimensions 0 and 1 both copy factor 0: its gap vanishes while the other factors keep theirs.
        Process p;
        p.sizes = Sizes3;
        p.codeDim = 4;
        p.mixing = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
        p.sigma.assign(4, CodeNoise);
        CodeMatrix codes;
        FactorMatrix factors;
        p.draw(3000, 2, codes, factors);
        const MigResult r = computeMig(codes, factors);
        qInfo(
            "MIG with factor 0 duplicated: per factor %.4f %.4f %.4f", r.perFactor[0], r.perFactor[1], r.perFactor[2]);
        QVERIFY(r.perFactor[0] < 0.02);
        QVERIFY(r.perFactor[1] > 0.95);
        QVERIFY(r.perFactor[2] > 0.95);
    }

    void migOfRandomCodesIsNearZero()
    {
        CodeMatrix codes;
        FactorMatrix factors;
        disentangled(Sizes3, Placement3, 2).draw(3000, 3, codes, factors);
        const MigResult floor = migNoiseFloor(factors, codes.cols, 7);
        qInfo("MIG noise floor %.4f", floor.mig);
        QVERIFY(floor.mig < 0.1);
        // The floor is literally the metric on seeded Gaussian codes of the same shape.
        QCOMPARE(floor.mig, computeMig(gaussianCodes(codes.rows, codes.cols, 7), factors).mig);
    }

    void dciFormulaOnHandMadeImportances()
    {
        // Identity: each code explains one factor and vice versa.
        const DciResult identity = dciFromImportance({1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        QVERIFY(std::abs(identity.disentanglement - 1.0) < EntropySmoothing);
        QVERIFY(std::abs(identity.completeness - 1.0) < EntropySmoothing);
        // Uniform: nothing is disentangled or complete.
        const DciResult uniform = dciFromImportance(std::vector<double>(6, 0.5), 3, 2);
        QVERIFY(std::abs(uniform.disentanglement) < EntropySmoothing);
        QVERIFY(std::abs(uniform.completeness) < EntropySmoothing);
        // Two codes both explain factor 0 only: each code is perfectly disentangled (D = 1), but factor 0 is split
        // evenly over two codes (1 - H_2 = 0) and factor 1 has no weight, so C = 0.
        const DciResult split = dciFromImportance({1, 0, 1, 0}, 2, 2);
        QVERIFY(std::abs(split.disentanglement - 1.0) < EntropySmoothing);
        QVERIFY(std::abs(split.completeness) < EntropySmoothing);
        QCOMPARE(split.codeWeight, std::vector<double>({0.5, 0.5}));
        QCOMPARE(split.factorWeight, std::vector<double>({1.0, 0.0}));
        // One code explains both factors equally, the other nothing: D = rho_0 (1 - H_2(1/2, 1/2)) = 0.
        const DciResult shared = dciFromImportance({0.5, 0.5, 0, 0}, 2, 2);
        QVERIFY(std::abs(shared.disentanglement) < EntropySmoothing);
        QVERIFY(std::abs(shared.completeness - 1.0) < EntropySmoothing);
    }

    void dciOfDisentangledCodeIsNearOne()
    {
        CodeMatrix codes;
        FactorMatrix factors;
        disentangled(Sizes3, Placement3, 2).draw(2000, 4, codes, factors);
        const DciResult r = computeDci(codes, factors);
        qInfo("DCI disentangled D %.4f C %.4f I %.4f", r.disentanglement, r.completeness, r.informativeness);
        QVERIFY(r.disentanglement > 0.9);
        QVERIFY(r.completeness > 0.9);
        QVERIFY(r.informativeness > 0.95);
        QCOMPARE(int(r.importance.size()), 5 * 3);
        for (int k = 0; k < 3; ++k) {
            double column = 0.0;
            for (int j = 0; j < 5; ++j)
                column += r.r(j, k);
            QVERIFY(std::abs(column - 1.0) < 1e-9); // each forest's importances are normalised
            QVERIFY(r.r(Placement3[std::size_t(k)], k) > 0.9);
        }
    }

    void dciOfNoisyDisentangledCodeStaysHigh()
    {
        // Noise that costs accuracy must not move importance onto the pure-noise dimensions: the bounded trees keep
        // D and C high where fully grown trees, memorising the noise, lose several points.
        Process p = disentangled(Sizes3, Placement3, 2);
        for (int k = 0; k < 3; ++k)
            p.sigma[std::size_t(Placement3[std::size_t(k)])] = 0.1;
        CodeMatrix codes;
        FactorMatrix factors;
        p.draw(2000, 4, codes, factors);
        const DciResult r = computeDci(codes, factors);
        DciOptions unbounded;
        unbounded.maxDepth = 16;
        unbounded.minSplitSamples = 2;
        const DciResult grown = computeDci(codes, factors, unbounded);
        qInfo("DCI noisy disentangled D %.4f C %.4f I %.4f; fully grown trees D %.4f C %.4f", r.disentanglement,
            r.completeness, r.informativeness, grown.disentanglement, grown.completeness);
        QVERIFY(r.informativeness < 0.97);
        QVERIFY(r.disentanglement > 0.9);
        QVERIFY(r.completeness > 0.9);
        QVERIFY(grown.disentanglement < r.disentanglement - 0.03);
    }

    void dciOfMixedCodeIsLow()
    {
        const std::vector<int> sizes = {3, 4, 5, 6};
        CodeMatrix codes;
        FactorMatrix factors;
        hadamardMixed(sizes).draw(2000, 5, codes, factors);
        const DciResult r = computeDci(codes, factors);
        qInfo("DCI mixed D %.4f C %.4f I %.4f", r.disentanglement, r.completeness, r.informativeness);
        QVERIFY(r.disentanglement < 0.3);
        QVERIFY(r.completeness < 0.3);
        QVERIFY(r.informativeness > 0.6); // the information is all there, just rotated
    }

    void dciOfRandomCodesIsAtChance()
    {
        CodeMatrix codes;
        FactorMatrix factors;
        disentangled(Sizes3, Placement3, 2).draw(2000, 6, codes, factors);
        const DciResult floor = dciNoiseFloor(factors, codes.cols);
        qInfo("DCI noise floor D %.4f C %.4f I %.4f (chance %.4f)", floor.disentanglement, floor.completeness,
            floor.informativeness, chance(Sizes3));
        QVERIFY(std::abs(floor.informativeness - chance(Sizes3)) < ChanceMargin);
        QVERIFY(floor.disentanglement < 0.2);
        QVERIFY(floor.completeness < 0.2);
    }

    void dciIsDeterministicForASeed()
    {
        // Noisy enough that the forests are not trivially identical whatever the seed.
        Process p = disentangled(Sizes3, Placement3, 2);
        for (int k = 0; k < 3; ++k)
            p.sigma[std::size_t(Placement3[std::size_t(k)])] = 0.2;
        CodeMatrix codes;
        FactorMatrix factors;
        p.draw(1000, 8, codes, factors);
        DciOptions options;
        options.seed = 42;
        cv::theRNG().state = 12345;
        const DciResult first = computeDci(codes, factors, options);
        QCOMPARE(cv::theRNG().state, std::uint64_t(12345)); // the caller's OpenCV RNG is left as it was
        cv::theRNG().state = 999; // and its state does not leak into the result
        const DciResult second = computeDci(codes, factors, options);
        QCOMPARE(first.importance, second.importance);
        QCOMPARE(first.disentanglement, second.disentanglement);
        QCOMPARE(first.completeness, second.completeness);
        QCOMPARE(first.informativeness, second.informativeness);
        QCOMPARE(first.testAccuracy, second.testAccuracy);
        options.seed = 43; // the seed is really used: another split and other bootstraps
        QVERIFY(computeDci(codes, factors, options).importance != first.importance);
    }

    void factorVaeSeparatesDisentangledFromRandom()
    {
        const Process p = disentangled(Sizes3, Placement3, 2);
        const FactorVaeResult r = computeFactorVae(p.sampler(11));
        const FactorVaeResult floor = factorVaeNoiseFloor(Sizes3, p.codeDim);
        qInfo("FactorVAE disentangled train %.4f eval %.4f; noise floor train %.4f eval %.4f", r.trainAccuracy,
            r.evalAccuracy, floor.trainAccuracy, floor.evalAccuracy);
        QVERIFY(r.trainAccuracy > 0.99);
        QVERIFY(r.evalAccuracy > 0.99);
        QCOMPARE(r.activeDims, 5);
        for (int k = 0; k < 3; ++k)
            QCOMPARE(r.dimToFactor[std::size_t(Placement3[std::size_t(k)])], k);
        QVERIFY(std::abs(floor.evalAccuracy - 1.0 / 3.0) < ChanceMargin);
    }

    void factorVaePrunesCollapsedDimensions()
    {
        Process p = disentangled(Sizes3, Placement3, 2);
        p.sigma[1] = 0.01; // dimension 1 was pure noise; now it is nearly constant (std 0.01 < 0.05)
        const FactorVaeResult r = computeFactorVae(p.sampler(12));
        QCOMPARE(r.activeDims, 4);
        QCOMPARE(r.dimToFactor[1], -1);
        QCOMPARE(r.votes[1 * 3 + 0] + r.votes[1 * 3 + 1] + r.votes[1 * 3 + 2], 0);
        QVERIFY(r.evalAccuracy > 0.99);
    }

    void betaVaeSeparatesDisentangledFromRandom()
    {
        const Process p = disentangled(Sizes3, Placement3, 2);
        const BetaVaeResult r = computeBetaVae(p.sampler(13));
        const BetaVaeResult floor = betaVaeNoiseFloor(Sizes3, p.codeDim);
        qInfo("beta-VAE disentangled train %.4f eval %.4f; noise floor train %.4f eval %.4f", r.trainAccuracy,
            r.evalAccuracy, floor.trainAccuracy, floor.evalAccuracy);
        QVERIFY(r.trainAccuracy > 0.99);
        QVERIFY(r.evalAccuracy > 0.99);
        QVERIFY(std::abs(floor.evalAccuracy - 1.0 / 3.0) < ChanceMargin);
    }

    void betaVaeUsesNativePairsWhenGiven()
    {
        // The test above builds pairs from sampleWithFactorFixed; a sampler's own pair callback must agree.
        const Process p = disentangled(Sizes3, Placement3, 2);
        const BetaVaeResult r = computeBetaVae(p.sampler(14, true));
        QVERIFY(r.trainAccuracy > 0.99);
        QVERIFY(r.evalAccuracy > 0.99);
    }

    void noiseFloorIsPrintedBesideTheScore()
    {
        QCOMPARE(QString::fromStdString(withNoiseFloor("MIG", 0.41249, 0.0213)),
            QStringLiteral("MIG 0.412 (noise floor 0.021)"));
    }

    void badInputThrowsInvalidArgument()
    {
        CodeMatrix codes;
        FactorMatrix factors;
        disentangled(Sizes3, Placement3, 2).draw(200, 9, codes, factors);

        CodeMatrix shortCodes = codes;
        shortCodes.rows = 100;
        shortCodes.values.resize(100 * 5);
        QVERIFY(invalidArgumentMessage([&] { computeMig(shortCodes, factors); }).contains("rows"));
        QVERIFY(invalidArgumentMessage([&] { computeDci(shortCodes, factors); }).contains("rows"));
        QVERIFY(invalidArgumentMessage([&] { computeMig(CodeMatrix {}, factors); }).contains("empty"));
        QVERIFY(invalidArgumentMessage([&] { computeDci(codes, FactorMatrix {}); }).contains("empty"));

        CodeMatrix ragged = codes;
        ragged.values.pop_back();
        QVERIFY(invalidArgumentMessage([&] { computeMig(ragged, factors); }).contains("claims"));
        CodeMatrix notFinite = codes;
        notFinite.values[7] = std::nan("");
        QVERIFY(invalidArgumentMessage([&] { computeMig(notFinite, factors); }).contains("non-finite"));
        FactorMatrix outOfRange = factors;
        outOfRange.values[4] = 9;
        QVERIFY(invalidArgumentMessage([&] { computeDci(codes, outOfRange); }).contains("outside"));
        FactorMatrix constant = factors;
        for (int i = 0; i < constant.rows; ++i)
            constant.values[std::size_t(i) * 3] = 0;
        QVERIFY(invalidArgumentMessage([&] { computeMig(codes, constant); }).contains("single value"));
        QVERIFY(invalidArgumentMessage([&] { computeDci(codes, constant); }).contains("single value"));
        QVERIFY(invalidArgumentMessage([&] { CodeMatrix::fromRows({{1.0, 2.0}, {3.0}}); }).contains("row 1"));
        QVERIFY(invalidArgumentMessage([&] { mutualInformation({0, 1}, {0}); }).contains("equally long"));
        QVERIFY(invalidArgumentMessage([&] { dciFromImportance({1, 0, 0}, 2, 2); }).contains("expected"));

        DciOptions badSplit;
        badSplit.trainFraction = 1.0;
        QVERIFY(invalidArgumentMessage([&] { computeDci(codes, factors, badSplit); }).contains("trainFraction"));

        const Process p = disentangled(Sizes3, Placement3, 2);
        FactorSampler noCallback = p.sampler(1);
        noCallback.sampleWithFactorFixed = nullptr;
        QVERIFY(invalidArgumentMessage([&] { computeFactorVae(noCallback); }).contains("sampleWithFactorFixed"));
        QVERIFY(invalidArgumentMessage([&] { computeBetaVae(noCallback); }).contains("sampleWithFactorFixed"));
        FactorSampler wrongSize = p.sampler(1);
        wrongSize.sampleWithFactorFixed = [](int, int, int batch, std::vector<double> &out) {
            out.assign(std::size_t(batch) * 3, 0.0); // 3 values per row instead of 5
        };
        QVERIFY(invalidArgumentMessage([&] { computeFactorVae(wrongSize); }).contains("expected batch x codeDim"));
        FactorSampler noFactors = p.sampler(1);
        noFactors.factorSizes.clear();
        QVERIFY(invalidArgumentMessage([&] { computeBetaVae(noFactors); }).contains("no factors"));
    }
};

QTEST_GUILESS_MAIN(TestDisentanglement)
#include "tst_disentanglement.moc"
