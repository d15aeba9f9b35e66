// The paper's disentanglement protocol for a direction set (evaluateDirections): encoder distillation on a real
// held-out split, then MIG / DCI / FactorVAE / beta-VAE on rendered sprites, each with its noise floor. A tiny random
// generator at 32 x 32 and small counts keep every case to a few seconds.
#include "dataerror.h"
#include "dataerrorof.h"
#include "directions/latentdirections.h"
#include "evaluation/directionevaluation.h"
#include "evaluation/pooledfactorsampler.h"
#include "seededrandom.h"
#include "selfcheck/evaluationselfcheck.h"
#include "selfcheck/latentselfcheck.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>
#include <stdexcept>

using namespace untangle;

namespace {

constexpr int StyleSize = 8;
constexpr int DirectionCount = 3;

selfcheck::TinyGenerator tinyGenerator()
{
    selfcheck::TinyGenerator tiny;
    tiny.latentSize = StyleSize;
    tiny.styleSize = StyleSize;
    tiny.resolution = 32; // the renderer draws 32 or 64
    tiny.baseChannels = 16;
    tiny.minChannels = 4;
    tiny.seed = 3;
    return tiny;
}

/** Counts small enough for seconds, large enough that every metric has something to chew on. */
EvaluationOptions smallOptions()
{
    EvaluationOptions options;
    options.images = 600;
    options.epochs = 4;
    options.batchSize = 64;
    options.patience = 2;
    options.migPoints = 400;
    options.dciTrainPoints = 300;
    options.dciTestPoints = 300;
    options.dciTrees = 10;
    options.factorVaeTrainVotes = 60;
    options.factorVaeEvalVotes = 60;
    options.factorVaeVarianceSamples = 300;
    options.betaVaeTrainPoints = 60;
    options.betaVaeEvalPoints = 60;
    options.samplingPool = 2000; // ~50 sprites per orientation value
    options.seed = 5;
    return options;
}

/** GANSpace directions of the generator: the K axes along which its styles spread most. */
DirectionSet ganspaceSet(const std::string &generatorPath, int k)
{
    const auto styles = selfcheck::sampleStyles(generatorPath, 2000, 11);
    const auto found = ganspaceDirections(styles, k);
    return DirectionSet::fromMatrix("ganspace", found.directions, found.scores);
}

QString invalidArgumentOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::invalid_argument &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("wrong exception type: ") + e.what();
    }
    return QStringLiteral("no exception");
}

bool inUnit(double value)
{
    return std::isfinite(value) && value >= 0.0 && value <= 1.0;
}

} // namespace

class TestDirectionEvaluation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_generator;
    DirectionSet m_directions;
    DirectionEvaluation m_report; // one full small run, shared by the read-only checks

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generator = m_dir.filePath("generator.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(m_generator, tinyGenerator());
        m_directions = ganspaceSet(m_generator, DirectionCount);
        auto options = smallOptions();
        options.encoderPath = m_dir.filePath("encoder.pt").toStdString();
        options.directionsPath = "/runs/directions.json";
        m_report = evaluateDirections(m_generator, m_directions, options);
        qInfo("%s", formatEvaluationSummary(m_report).c_str());
    }

    void reportFieldsAreFiniteAndInRange()
    {
        const auto &r = m_report;
        QCOMPARE(r.directionCount, DirectionCount);
        QCOMPARE(r.styleSize, StyleSize);
        QCOMPARE(r.resolution, 32);
        QCOMPARE(r.method, std::string("ganspace"));
        for (double score : {r.mig.mig, r.dci.disentanglement, r.dci.completeness, r.dci.informativeness,
                 r.dci.sreCodeScore(), r.factorVae.evalAccuracy, r.betaVae.evalAccuracy})
            QVERIFY2(inUnit(score), qPrintable(QString::number(score)));
        QCOMPARE(int(r.mig.perFactor.size()), 5); // shape, scale, orientation, x, y
        QCOMPARE(r.mig.codeDim, DirectionCount);
        QCOMPARE(r.dci.codeDim, DirectionCount);
        QCOMPARE(int(r.factorVae.globalStd.size()), DirectionCount);
        for (double t : {r.timings.generation, r.timings.distillation, r.timings.secondsPerEpoch, r.timings.encoding,
                 r.timings.mig, r.timings.dci, r.timings.factorVae, r.timings.betaVae, r.timings.noiseFloors})
            QVERIFY(std::isfinite(t) && t >= 0.0);
        QVERIFY(r.timings.samplingPool > 0.0);
        QVERIFY(r.timings.total >= r.timings.generation + r.timings.distillation + r.timings.dci);
    }

    void everyScoreHasItsNoiseFloor()
    {
        const auto &r = m_report;
        // The floors are the same metrics on Gaussian codes of the same shape: present, in range, and of that shape.
        for (double floor : {r.migFloor.mig, r.dciFloor.disentanglement, r.dciFloor.completeness,
                 r.dciFloor.informativeness, r.factorVaeFloor.evalAccuracy, r.betaVaeFloor.evalAccuracy})
            QVERIFY2(inUnit(floor), qPrintable(QString::number(floor)));
        QCOMPARE(r.migFloor.codeDim, DirectionCount);
        QCOMPARE(r.dciFloor.codeDim, DirectionCount);
        QCOMPARE(int(r.dciFloor.testAccuracy.size()), 5);
        QVERIFY(r.factorVaeFloor.evalAccuracy > 0.0); // an uninformative code still guesses some factors right
        const auto summary = QString::fromStdString(formatEvaluationSummary(r));
        QCOMPARE(summary.count("noise floor"), 7); // MIG, D, C, I, FactorVAE, beta-VAE, paper-code DCI
        QVERIFY(summary.contains("paper-code DCI"));
        QVERIFY(summary.contains("R^2"));
    }

    void distillationReportIsConsistent()
    {
        const auto &d = m_report.distillation;
        const auto options = smallOptions();
        QCOMPARE(d.trainImages + d.heldOutImages, options.images);
        QCOMPARE(d.heldOutImages, 60); // 10 % of the distinct z
        QVERIFY(d.epochsRun >= 1 && d.epochsRun <= options.epochs);
        QVERIFY(d.bestEpoch >= 1 && d.bestEpoch <= d.epochsRun);
        QCOMPARE(int(d.trainMsePerEpoch.size()), d.epochsRun);
        QCOMPARE(int(d.heldOutMsePerEpoch.size()), d.epochsRun);
        // The reported figures are the best held-out epoch's, and it is the minimum of the curve.
        QCOMPARE(d.heldOutMse, d.heldOutMsePerEpoch[std::size_t(d.bestEpoch - 1)]);
        for (double mse : d.heldOutMsePerEpoch)
            QVERIFY(d.heldOutMse <= mse);
        QCOMPARE(int(d.heldOutR2.size()), DirectionCount);
        QCOMPARE(int(d.labelStd.size()), DirectionCount);
        for (double r2 : d.heldOutR2)
            QVERIFY(std::isfinite(r2) && r2 <= 1.0);
        for (double sd : d.labelStd)
            QVERIFY(std::isfinite(sd) && sd > 0.0);
    }

    void savesTheEncoderForRetrieval()
    {
        QCOMPARE(m_report.encoderPath, m_dir.filePath("encoder.pt").toStdString());
        const auto saved = selfcheck::readScoreFileSummary(m_report.encoderPath);
        QCOMPARE(saved.kind, std::string("encoder"));
        QCOMPARE(saved.directionsPath, std::string("/runs/directions.json"));
        QCOMPARE(saved.outputs, DirectionCount);
        QCOMPARE(saved.resolution, 32);
    }

    void heldOutSplitIsDisjointFromTrainingZ()
    {
        auto options = smallOptions();
        const auto view = selfcheck::distillationSplit(StyleSize, options);
        QCOMPARE(view.trainLatents.rows + view.heldOutLatents.rows, options.images);
        QCOMPARE(view.heldOutLatents.rows, 60);
        QCOMPARE(view.trainLatents.cols, StyleSize);
        // The paper's "validation" z were its training z (docs/methods/sre.md, pitfall 9): no held-out z may occur
        // among the train z.
        std::set<std::vector<double>> train;
        for (int i = 0; i < view.trainLatents.rows; ++i)
            train.insert(std::vector<double>(view.trainLatents.values.begin() + i * StyleSize,
                view.trainLatents.values.begin() + (i + 1) * StyleSize));
        QCOMPARE(int(train.size()), view.trainLatents.rows); // distinct z
        for (int i = 0; i < view.heldOutLatents.rows; ++i)
            QVERIFY(!train.count(std::vector<double>(view.heldOutLatents.values.begin() + i * StyleSize,
                view.heldOutLatents.values.begin() + (i + 1) * StyleSize)));
        // Another seed holds out other samples.
        options.seed += 1;
        const auto other = selfcheck::distillationSplit(StyleSize, options);
        QVERIFY(other.heldOutLatents.values != view.heldOutLatents.values);
    }

    void encoderFitsLearnableLabels()
    {
        // GANSpace's top directions carry most of the style variance and visibly move this generator's images: an
        // encoder with enough epochs must predict the coordinates on z it never saw. (A constant scores R^2 = 0.)
        auto options = smallOptions();
        options.images = 1500;
        options.epochs = 12;
        options.patience = 12;
        options.truncation = 1.0;
        options.migPoints = 100;
        options.dciTrainPoints = options.dciTestPoints = 100;
        options.factorVaeTrainVotes = options.factorVaeEvalVotes = 10;
        options.factorVaeVarianceSamples = 100;
        options.betaVaeTrainPoints = options.betaVaeEvalPoints = 10;
        const auto twoDirections = ganspaceSet(m_generator, 2);
        const auto report = evaluateDirections(m_generator, twoDirections, options);
        const auto &d = report.distillation;
        qInfo("held-out MSE %.3f, R^2 %.3f %.3f, train MSE %.3f, %d epochs", d.heldOutMse, d.heldOutR2[0],
            d.heldOutR2[1], d.trainMse, d.epochsRun);
        QVERIFY2(d.heldOutR2[0] > 0.8 && d.heldOutR2[1] > 0.8, "the encoder did not learn its labels");
        QVERIFY(d.heldOutMse < 0.2);
        QVERIFY(d.trainMsePerEpoch.back() < d.trainMsePerEpoch.front()); // it trained
    }

    void sameSeedSameFigures()
    {
        auto options = smallOptions();
        options.images = 300;
        options.epochs = 2;
        options.migPoints = 200;
        options.dciTrainPoints = options.dciTestPoints = 150;
        options.samplingPool = 0; // the paper's rendering on the fly, so this path is covered too
        options.factorVaeTrainVotes = options.factorVaeEvalVotes = 20;
        options.betaVaeTrainPoints = options.betaVaeEvalPoints = 20;
        const auto a = evaluateDirections(m_generator, m_directions, options);
        const auto b = evaluateDirections(m_generator, m_directions, options);
        QCOMPARE(a.distillation.heldOutMsePerEpoch, b.distillation.heldOutMsePerEpoch);
        QCOMPARE(a.mig.mig, b.mig.mig);
        QCOMPARE(a.dci.importance, b.dci.importance);
        QCOMPARE(a.factorVae.evalAccuracy, b.factorVae.evalAccuracy);
        QCOMPARE(a.betaVae.evalAccuracy, b.betaVae.evalAccuracy);
        QCOMPARE(formatEvaluationSummary(a), formatEvaluationSummary(b));
        options.seed += 1;
        const auto c = evaluateDirections(m_generator, m_directions, options);
        QVERIFY(c.distillation.heldOutMsePerEpoch != a.distillation.heldOutMsePerEpoch);
    }

    void setsSharingAGeneratorGetWhatTheyWouldAlone()
    {
        // evaluateDirectionSets generates the images once and the floors once per K; that must not change a figure.
        auto options = smallOptions();
        options.images = 300;
        options.epochs = 2;
        options.migPoints = 200;
        options.dciTrainPoints = options.dciTestPoints = 150;
        const auto other = ganspaceSet(m_generator, 2);
        const auto both = evaluateDirectionSets(
            m_generator, {EvaluationJob {other, {}, {}}, EvaluationJob {m_directions, {}, {}}}, options);
        QCOMPARE(int(both.size()), 2);
        QCOMPARE(both[0].directionCount, 2);
        QVERIFY(both[0].timings.generation > 0.0);
        QCOMPARE(both[1].timings.generation, 0.0); // shared, charged to the first set
        const auto alone = evaluateDirections(m_generator, m_directions, options);
        QCOMPARE(both[1].distillation.heldOutMsePerEpoch, alone.distillation.heldOutMsePerEpoch);
        QCOMPARE(both[1].mig.mig, alone.mig.mig);
        QCOMPARE(both[1].dci.importance, alone.dci.importance);
        QCOMPARE(both[1].factorVae.evalAccuracy, alone.factorVae.evalAccuracy);
        QCOMPARE(both[1].betaVae.evalAccuracy, alone.betaVae.evalAccuracy);
        QCOMPARE(both[1].migFloor.mig, alone.migFloor.mig);
        QCOMPARE(both[1].dciFloor.importance, alone.dciFloor.importance);
        // A bad set anywhere in the list is refused before any work.
        auto wrong = DirectionSet::fromMatrix("sefa", Matrix {2, 5, std::vector<double>(10, 0.5)}, {});
        QVERIFY(test::dataErrorOf([&] {
            evaluateDirectionSets(
                m_generator, {EvaluationJob {m_directions, {}, {}}, EvaluationJob {wrong, {}, {}}}, options);
        }).contains("latent size 5"));
    }

    void pooledSamplerHonoursFixedFactors()
    {
        // A pool whose code copies its factors: fixed factors must come back fixed, pairs must share their factor.
        const std::vector<int> sizes = {3, 6, 40};
        SeededRandom random(4);
        FactorMatrix factors {3000, sizes, {}};
        CodeMatrix codes {3000, 3, {}};
        for (int i = 0; i < factors.rows; ++i)
            for (int f = 0; f < 3; ++f) {
                const int v = random.below(sizes[std::size_t(f)]);
                factors.values.push_back(v);
                codes.values.push_back(v);
            }
        auto sampler = pooledFactorSampler(codes, factors, 9);
        std::vector<double> out, first, second;
        sampler.sampleWithFactorFixed(2, 17, 64, out);
        QCOMPARE(int(out.size()), 64 * 3);
        std::set<std::vector<double>> distinctRows;
        for (int i = 0; i < 64; ++i) {
            QCOMPARE(out[std::size_t(i * 3 + 2)], 17.0);
            distinctRows.insert({out[std::size_t(i * 3)], out[std::size_t(i * 3 + 1)]});
        }
        QVERIFY(distinctRows.size() > 10); // the other factors still vary
        sampler.samplePairs(1, 50, first, second);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(first[std::size_t(i * 3 + 1)], second[std::size_t(i * 3 + 1)]);
        // On such a code FactorVAE and beta-VAE are perfect; on a pool of noise they are near chance.
        QCOMPARE(computeFactorVae(pooledFactorSampler(codes, factors, 1), {}).evalAccuracy, 1.0);
        QVERIFY(computeBetaVae(pooledFactorSampler(codes, factors, 2), {}).evalAccuracy > 0.95);
        const auto noise = pooledFactorSampler(gaussianCodes(3000, 3, 8), factors, 3);
        QVERIFY(computeFactorVae(noise, {}).evalAccuracy < 0.5);
        // A pool that lacks a value cannot fix a factor at it: a clear error, not a hang or a crash.
        FactorMatrix gappy {2, {2, 3}, {0, 0, 1, 1}};
        QVERIFY(invalidArgumentOf([&] {
            pooledFactorSampler(CodeMatrix {2, 2, {0, 0, 1, 1}}, gappy, 1);
        }).contains("none with factor 1 = 2; use a larger pool"));
    }

    void mismatchedDirectionsAreRefused()
    {
        const auto options = smallOptions();
        auto wrongSize = DirectionSet::fromMatrix("sefa", Matrix {2, 5, std::vector<double>(10, 0.5)}, {});
        QVERIFY(test::dataErrorOf([&] {
            evaluateDirections(m_generator, wrongSize, options);
        }).contains("latent size 5 but the generator's editable latent has size 8"));

        std::vector<double> identity(9 * StyleSize, 0.0);
        for (int i = 0; i < 9; ++i)
            identity[std::size_t(i * StyleSize + i % StyleSize)] = 1.0;
        auto tooMany = DirectionSet::fromMatrix("sefa", Matrix {9, StyleSize, identity}, {});
        QVERIFY(invalidArgumentOf([&] {
            evaluateDirections(m_generator, tooMany, options);
        }).contains("9 directions exceed the generator's style size 8"));

        auto one = DirectionSet::fromMatrix(
            "sefa", Matrix {1, StyleSize, std::vector<double>(identity.begin(), identity.begin() + StyleSize)}, {});
        QVERIFY(invalidArgumentOf([&] {
            evaluateDirections(m_generator, one, options);
        }).contains("at least 2 directions"));

        auto badOptions = options;
        badOptions.truncation = 0.0;
        QVERIFY(invalidArgumentOf([&] {
            evaluateDirections(m_generator, m_directions, badOptions);
        }).contains("truncation"));
    }

    void generatorsTheRendererCannotMatchAreRefused()
    {
        auto tiny = tinyGenerator();
        tiny.resolution = 16;
        const auto path16 = m_dir.filePath("generator16.pt").toStdString();
        selfcheck::writeRandomStyleGenerator(path16, tiny);
        QVERIFY(invalidArgumentOf([&] { evaluateDirections(path16, m_directions, smallOptions()); })
                    .contains("Sprites (1 channel at 32 or 64 pixels) or Scenes (3 channels at 16 to 256 pixels); this "
                              "generator makes 1-channel images at 16 pixels"));
        const auto missing = m_dir.filePath("missing.pt").toStdString();
        QVERIFY(test::dataErrorOf([&] {
            evaluateDirections(missing, m_directions, smallOptions());
        }).contains("does not exist"));
    }

    void stopsWhenAsked()
    {
        int calls = 0;
        const ProgressFn stopSoon = [&calls](double, const std::string &) { return ++calls < 3; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluateDirections(m_generator, m_directions, smallOptions(), stopSoon));
        QCOMPARE(calls, 3);
    }
};

QTEST_GUILESS_MAIN(TestDirectionEvaluation)
#include "tst_directionevaluation.moc"
