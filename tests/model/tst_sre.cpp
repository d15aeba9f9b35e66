// The Scale Ranking Estimator trainer (docs/methods/sre.md §1.3-1.6, §7.8) on tiny random generators: pair
// construction, the loss against a hand-written BCE, gradient routing, orthonormality, a frozen generator, learning
// above chance, selection, exact resume after a stop, and clear errors for bad input.
#include "dataerror.h"
#include "directions/directionset.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/sreselfcheck.h"
#include "sre/srerunner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace untangle;

namespace {

constexpr int StyleSize = 8;
constexpr int K = 4;

std::string inDir(const QTemporaryDir &dir, const std::string &name)
{
    return (std::filesystem::path(dir.path().toStdString()) / name).string();
}

template <typename Call> std::string errorOf(Call call)
{
    try {
        call();
    } catch (const std::exception &error) {
        return error.what();
    }
    return {};
}

int lineCount(const std::string &path)
{
    std::ifstream in(path);
    int lines = 0;
    for (std::string line; std::getline(in, line);)
        lines += line.empty() ? 0 : 1;
    return lines;
}

} // namespace

class TstSre : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_generator, m_directions;

    SreConfig smallConfig(int steps) const
    {
        SreConfig config;
        config.generatorPath = m_generator;
        config.directionsPath = m_directions;
        config.steps = steps;
        config.batch = 16;
        config.learningRate = 1e-3;
        config.logEvery = 5;
        config.snapshotEvery = 10;
        config.heldOutPairs = 32;
        config.seed = 7;
        return config;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generator = inDir(m_dir, "generator.pt");
        m_directions = inDir(m_dir, "directions.json");
        selfcheck::writeRandomStyleGenerator(m_generator); // latent 8, style 8, 16 x 16, 1 channel
        selfcheck::writeRandomDirections(m_directions, StyleSize, K, 3);
    }

    void pairsShareZAndLabelsFollowEps()
    {
        const auto batch = selfcheck::srePairBatch(m_generator, m_directions, 12, 5);
        QCOMPARE(batch.pairs, 6);
        QCOMPARE(batch.directions, K);
        const int d = batch.latentSize, p = batch.pairs;
        for (int pair = 0; pair < p; ++pair)
            for (int i = 0; i < d; ++i)
                QCOMPARE(batch.z[std::size_t(pair * d + i)], batch.z[std::size_t((pair + p) * d + i)]); // exactly
        // Different pairs have different z, and eps differs within pairs (only eps tells a pair's images apart).
        QVERIFY(batch.z[0] != batch.z[std::size_t(d)]);
        int ones = 0;
        for (int pair = 0; pair < p; ++pair)
            for (int k = 0; k < K; ++k) {
                const double e1 = batch.eps[std::size_t(pair * K + k)], e2 = batch.eps[std::size_t((pair + p) * K + k)];
                QVERIFY(e1 != e2);
                QCOMPARE(batch.labels[std::size_t(pair * K + k)], e1 > e2 ? 1.0 : 0.0);
                ones += e1 > e2;
            }
        QVERIFY(ones > 0 && ones < p * K); // both label values occur: all K directions vary at once
    }

    void lossIsAManualBceOnScoreDifferences()
    {
        const auto batch = selfcheck::srePairBatch(m_generator, m_directions, 16, 9);
        const int p = batch.pairs;
        double sum = 0.0;
        int agree[K] = {};
        for (int pair = 0; pair < p; ++pair)
            for (int k = 0; k < K; ++k) {
                const double x
                    = batch.scores[std::size_t(pair * K + k)] - batch.scores[std::size_t((pair + p) * K + k)];
                const double y = batch.labels[std::size_t(pair * K + k)];
                const double sigma = 1.0 / (1.0 + std::exp(-x));
                sum += -(y * std::log(sigma) + (1.0 - y) * std::log(1.0 - sigma));
                agree[k] += (x > 0) == (y > 0.5);
            }
        QVERIFY(std::abs(batch.loss - sum / (p * K)) < 1e-5);
        for (int k = 0; k < K; ++k)
            QVERIFY(std::abs(batch.accuracy[std::size_t(k)] - double(agree[k]) / p) < 1e-12);
    }

    void stepARoutesToTheEstimatorAndStepBToTheDirections()
    {
        const auto r = selfcheck::sreStepRouting(m_generator, m_directions, 4);
        QVERIFY(r.estimatorChangeByA > 1e-5);
        QVERIFY(r.directionChangeByA < 1e-6); // (a) only re-runs the QR retraction on an orthonormal M
        QCOMPARE(r.estimatorChangeByB, 0.0);
        QVERIFY(r.directionChangeByB > 1e-5);
        QCOMPARE(r.generatorChangeByA, 0.0);
        QCOMPARE(r.generatorChangeByB, 0.0);
        QVERIFY(!r.generatorRequiresGrad);
        QVERIFY(!r.generatorHasGradient);
    }

    void directionsStayOrthonormalWithStableSigns()
    {
        // A large learning rate so Adam visibly breaks orthonormality and the retraction has work to do.
        const auto trace = selfcheck::sreOrthonormality(m_generator, m_directions, 15, 3e-2, 2);
        QCOMPARE(int(trace.usedError.size()), 15);
        double rawWorst = 0.0;
        for (std::size_t i = 0; i < trace.usedError.size(); ++i) {
            QVERIFY2(trace.usedError[i] < 1e-5, qPrintable(QString::number(trace.usedError[i])));
            QVERIFY(trace.minColumnCosine[i] > 0.5); // no column flips its sign between steps
            rawWorst = std::max(rawWorst, trace.rawError[i]);
        }
        QVERIFY(rawWorst > 1e-4); // the retraction was needed
    }

    void runLearnsToRankAboveChanceAndWritesItsFiles()
    {
        const double checksum = selfcheck::generatorChecksum(m_generator);
        QTemporaryDir out;
        // 600 steps: at 300 the unclamped path SRE trains through (Generator::differentiableSynthesis) reached 0.68 on
        // this random generator, the clamped one 0.70; both are still climbing there.
        SreConfig config = smallConfig(600);
        config.snapshotEvery = 200;
        config.logEvery = 100;
        std::vector<SreLog> logs;
        const auto result
            = runSre(config, {[&](const SreLog &log) { logs.push_back(log); }, {}, {}}, out.path().toStdString());
        QCOMPARE(selfcheck::generatorChecksum(m_generator), checksum);
        QCOMPARE(int(logs.size()), 6);
        QCOMPARE(int(logs.back().heldOutAccuracy.size()), K);
        // Chance is 0.5; on a random tiny generator the estimator learns to rank in a few hundred steps.
        qInfo("held-out ranking accuracy: step %d %.3f -> step %d %.3f", logs.front().step, logs.front().heldOutMean,
            logs.back().step, logs.back().heldOutMean);
        QVERIFY(logs.back().heldOutMean > 0.7);
        QCOMPARE(lineCount(inDir(out, "metrics.jsonl")), 6);
        for (int step : {200, 400, 600})
            QVERIFY(std::filesystem::exists(inDir(out, "snapshots/step-" + std::to_string(step) + ".json")));
        QVERIFY(std::filesystem::exists(inDir(out, "estimator.pt")));
        QVERIFY(std::filesystem::exists(inDir(out, "checkpoint.pt")));

        const auto saved = loadDirectionSet(inDir(out, "directions.json"));
        QCOMPARE(saved.method, std::string("random+sre"));
        QCOMPARE(saved.count(), K);
        QCOMPARE(saved.directions[0].name, std::string("random 1"));
        QVERIFY(selfcheck::rowOrthonormalityError(saved.matrix().values, K, StyleSize) < 1e-5);
        for (const auto &direction : saved.directions)
            QVERIFY(direction.sigma > 0.0);
        std::map<std::string, std::string> provenance(saved.provenance.begin(), saved.provenance.end());
        QCOMPARE(provenance["initial"], m_directions);
        QCOMPARE(provenance["selected step"], std::to_string(result.selectedStep));
        QCOMPARE(provenance["generator"], m_generator);
        QCOMPARE(int(result.snapshotScores.size()), 3);
        for (const auto &[step, score] : result.snapshotScores)
            QVERIFY(score <= result.selectedScore);
    }

    void selectionScoreOverrideChoosesTheSnapshot()
    {
        QTemporaryDir out;
        SreCallbacks callbacks;
        int calls = 0;
        // A caller's score that prefers the earliest snapshot, whatever the held-out accuracy says.
        callbacks.selectionScore = [&](const DirectionSet &set) {
            ++calls;
            std::map<std::string, std::string> p(set.provenance.begin(), set.provenance.end());
            return -std::stod(p["step"]);
        };
        const auto result = runSre(smallConfig(30), callbacks, out.path().toStdString());
        QCOMPARE(calls, 3);
        QCOMPARE(result.selectedStep, 10);
        const auto first = loadDirectionSet(inDir(out, "snapshots/step-10.json"));
        const auto saved = loadDirectionSet(inDir(out, "directions.json"));
        QCOMPARE(saved.matrix().values, first.matrix().values);
    }

    void resumeAfterAStopReproducesTheUninterruptedRun()
    {
        QTemporaryDir straight, interrupted;
        const auto config = smallConfig(30);
        const auto reference = runSre(config, {}, straight.path().toStdString());

        SreCallbacks stopper;
        stopper.progress = [](double fraction, const std::string &) { return fraction < 0.8; }; // stop at step 24
        QVERIFY_THROWS_EXCEPTION(Cancelled, runSre(config, stopper, interrupted.path().toStdString()));
        QVERIFY(std::filesystem::exists(inDir(interrupted, "snapshots/step-20.json")));
        QVERIFY(!std::filesystem::exists(inDir(interrupted, "snapshots/step-30.json")));
        QVERIFY(!std::filesystem::exists(inDir(interrupted, "directions.json")));

        const auto resumed = runSre(config, {}, interrupted.path().toStdString(), true);
        QCOMPARE(resumed.selectedStep, reference.selectedStep);
        const auto a = reference.directions.matrix().values, b = resumed.directions.matrix().values;
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QCOMPARE(a[i], b[i]);
        QCOMPARE(resumed.lastLog.lossD, reference.lastLog.lossD);
        QCOMPARE(lineCount(inDir(interrupted, "metrics.jsonl")), lineCount(inDir(straight, "metrics.jsonl")));

        // Resuming with other settings is refused, and the folder is left as it was.
        auto other = config;
        other.learningRate = 5e-4;
        const auto message = errorOf([&] { runSre(other, {}, interrupted.path().toStdString(), true); });
        QVERIFY2(message.find("other settings") != std::string::npos, message.c_str());
        QVERIFY2(message.find("learningRate: the run has 0.001, asked 0.0005") != std::string::npos, message.c_str());
        // A damaged metrics line inside the file refuses the resume, naming it (it was dropped without a word); the
        // folder is left as it was.
        const QString metrics = QString::fromStdString(inDir(interrupted, "metrics.jsonl"));
        QFile metricsFile(metrics);
        QVERIFY(metricsFile.open(QIODevice::ReadOnly));
        const QByteArray goodMetrics = metricsFile.readAll();
        metricsFile.close();
        QVERIFY(metricsFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        metricsFile.write("xx" + goodMetrics);
        metricsFile.close();
        const auto damaged = errorOf([&] { runSre(config, {}, interrupted.path().toStdString(), true); });
        QVERIFY2(damaged.find("metrics.jsonl, line 1") != std::string::npos, damaged.c_str());
        QVERIFY(metricsFile.open(QIODevice::ReadOnly));
        QCOMPARE(metricsFile.readAll(), "xx" + goodMetrics);
        metricsFile.close();
        QVERIFY(metricsFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        metricsFile.write(goodMetrics);
        metricsFile.close();
        // The run's own settings read back from its folder resume it with nothing else given.
        const SreConfig stored = readSreConfig(interrupted.path().toStdString());
        QCOMPARE(stored.learningRate, config.learningRate);
        QCOMPARE(stored.seed, config.seed);
        QCOMPARE(stored.generatorPath, config.generatorPath);
        QCOMPARE(runSre(stored, {}, interrupted.path().toStdString(), true).selectedStep, reference.selectedStep);

        // A config.json edited by hand to a setting of the wrong type is refused naming the setting.
        QFile original(QString::fromStdString(inDir(interrupted, "config.json")));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QJsonObject edited = QJsonDocument::fromJson(original.readAll()).object();
        edited["steps"] = "many";
        QTemporaryDir hostile;
        QFile copy(hostile.filePath("config.json"));
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write(QJsonDocument(edited).toJson());
        copy.close();
        const auto refused = errorOf([&] { readSreConfig(hostile.path().toStdString()); });
        QVERIFY2(refused.find("steps is not a number") != std::string::npos, refused.c_str());
    }

    void badInputsGiveClearErrors()
    {
        QTemporaryDir out;
        const std::string folder = out.path().toStdString();
        auto config = smallConfig(2);

        const std::string wrongSize = inDir(out, "wrong-size.json");
        selfcheck::writeRandomDirections(wrongSize, StyleSize + 2, K, 1);
        config.directionsPath = wrongSize;
        auto message = errorOf([&] { runSre(config, {}, folder); });
        QVERIFY2(message.find("latent size 10") != std::string::npos && message.find("size 8") != std::string::npos,
            message.c_str());
        QVERIFY_THROWS_EXCEPTION(DataError, runSre(config, {}, folder));

        // More directions than the style size cannot be orthonormal.
        Matrix rows {StyleSize + 1, StyleSize, {}};
        for (int r = 0; r <= StyleSize; ++r)
            for (int c = 0; c < StyleSize; ++c)
                rows.values.push_back(r == c || (r == StyleSize && c == 0) ? 1.0 : 0.0);
        const std::string tooMany = inDir(out, "too-many.json");
        saveDirectionSet(DirectionSet::fromMatrix("axes", rows, {}), tooMany);
        config.directionsPath = tooMany;
        message = errorOf([&] { runSre(config, {}, folder); });
        QVERIFY2(message.find("9 directions") != std::string::npos, message.c_str());

        config.directionsPath = m_directions;
        for (int batch : {2, 7}) {
            config.batch = batch;
            message = errorOf([&] { runSre(config, {}, folder); });
            QVERIFY2(message.find("batch must be even and at least 4") != std::string::npos, message.c_str());
        }
        config.batch = 8;

        config.generatorPath = inDir(out, "missing.pt");
        message = errorOf([&] { runSre(config, {}, folder); });
        QVERIFY2(message.find("does not exist") != std::string::npos, message.c_str());
        config.generatorPath = m_generator;

        config.directionsPath = m_generator; // not JSON
        QVERIFY_THROWS_EXCEPTION(DataError, runSre(config, {}, folder));
        config.directionsPath = m_directions;

        message = errorOf([&] { runSre(config, {}, inDir(out, "empty-run"), true); });
        QVERIFY2(message.find("no checkpoint.pt") != std::string::npos, message.c_str());
    }

    void resnet18EstimatorTrains()
    {
        // The paper's backbone: one real step at 16 x 16 (features shrink to 1 x 1 and still train).
        const auto timing = selfcheck::sreStepTiming(m_generator, m_directions, "resnet18", 8, 1);
        QVERIFY(timing.wallSeconds > 0.0 && std::isfinite(timing.wallSeconds));
    }

    void benchmarkStepsPerSecond()
    {
        if (!std::getenv("UNTANGLE_SRE_BENCH"))
            QSKIP("timing only: set UNTANGLE_SRE_BENCH=1 (run with the thread count you want to measure)");
        QTemporaryDir dir;
        const std::string generator = inDir(dir, "default.pt"), directions = inDir(dir, "d.json");
        selfcheck::writeDefaultStyleGenerator(generator, 1);
        selfcheck::writeRandomDirections(directions, 64, 10, 1);
        const auto light = selfcheck::sreStepTiming(generator, directions, "light-cnn", 32, 20);
        const auto resnet = selfcheck::sreStepTiming(generator, directions, "resnet18", 32, 3);
        qInfo("64x64 default generator, batch 32: light CNN %.0f ms/step wall (%.2f steps/s), %.0f ms CPU; "
              "ResNet-18 %.0f ms/step wall (%.2f steps/s), %.0f ms CPU",
            light.wallSeconds * 1e3, 1.0 / light.wallSeconds, light.cpuSeconds * 1e3, resnet.wallSeconds * 1e3,
            1.0 / resnet.wallSeconds, resnet.cpuSeconds * 1e3);
        QVERIFY(light.wallSeconds > 0.0 && resnet.cpuSeconds > light.cpuSeconds);
    }
};

QTEST_GUILESS_MAIN(TstSre)
#include "tst_sre.moc"
