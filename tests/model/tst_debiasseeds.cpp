// runDebiasSeeds (--seeds N): seeds trained at once give what each seed gives alone, the summary is their mean and
// std, a stopped batch resumes to the same numbers, and bad folders and counts are refused with nothing changed.
#include "dataerrorof.h"
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "debiasseeds.h"
#include "runfolder.h"
#include "systemmemory.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "tinyrun.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>

using namespace untangle;

namespace {

void compareAccuracy(const GroupAccuracy &a, const GroupAccuracy &b)
{
    QCOMPARE(a.unbiased, b.unbiased);
    QCOMPARE(a.aligned, b.aligned);
    QCOMPARE(a.conflicting, b.conflicting);
    QCOMPARE(a.worstGroup, b.worstGroup);
}

/** Every number a result reports, compared exactly: the same seed must train the same way. */
void compareResults(const DebiasResult &a, const DebiasResult &b)
{
    QCOMPARE(a.config.seed, b.config.seed);
    QCOMPARE(a.selected.epoch, b.selected.epoch);
    compareAccuracy(a.selected.test, b.selected.test);
    compareAccuracy(a.selected.valid, b.selected.valid);
    compareAccuracy(a.last.test, b.last.test);
    compareAccuracy(a.stage1Deep.test, b.stage1Deep.test);
    compareAccuracy(a.stage1Shallow.test, b.stage1Shallow.test);
    QCOMPARE(a.stage1SelectedEpoch, b.stage1SelectedEpoch);
    QCOMPARE(a.hardest.precision, b.hardest.precision);
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TstDebiasSeeds : public QObject {
    Q_OBJECT

private:
    DatasetSpec m_spec;
    BiasedDataset m_sprites;

    /** Two stage-1 and one stage-2 epoch: the stage-2 target is built mid-run, from torch's global generator. */
    DebiasConfig tinyConfig() const
    {
        DebiasConfig config = test::tinyDebiasConfig(m_spec, 2, 1, 0);
        config.threads = 2; // shared out: one compute thread per seed for two seeds
        return config;
    }

private slots:
    void initTestCase()
    {
        m_spec = test::tinySpritesSpec();
        m_sprites = buildDataset(m_spec);
        QVERIFY(m_sprites.train.count > 0);
    }

    void seedsAtOnceEqualSeedsOneByOne()
    {
        QTemporaryDir dir;
        const DebiasConfig config = tinyConfig();
        const SeedsOutcome outcome = runDebiasSeeds(config, {3, 7}, m_sprites, {}, dir.path().toStdString());
        QVERIFY(!outcome.stopped);
        QCOMPARE(outcome.results.size(), std::size_t(2));
        for (int i = 0; i < 2; ++i) {
            DebiasConfig alone = config;
            alone.seed = i == 0 ? 3 : 7;
            alone.threads = 1; // what each seed got in the batch
            const DebiasResult expected
                = runDebias(alone, m_sprites, {}, dir.filePath(QString("alone-%1").arg(i)).toStdString());
            compareResults(outcome.results[i], expected);
        }
        // Different seeds really trained differently (the comparison above is not two copies of one run).
        QVERIFY(outcome.results[0].stage1Deep.test.unbiased != outcome.results[1].stage1Deep.test.unbiased
            || outcome.results[0].hardest.precision != outcome.results[1].hardest.precision);
        QVERIFY(QFile::exists(dir.filePath("seed-3/result.json")));
        QVERIFY(QFile::exists(dir.filePath("seed-7/result.json")));
    }

    void summaryIsTheMeanAndStdOfTheSeeds()
    {
        QTemporaryDir dir;
        const SeedsOutcome outcome = runDebiasSeeds(tinyConfig(), {0, 1, 2}, m_sprites, {}, dir.path().toStdString());
        std::vector<double> values;
        for (const DebiasResult &r : outcome.results)
            values.push_back(r.selected.test.unbiased);
        const double mean = (values[0] + values[1] + values[2]) / 3.0;
        double squares = 0.0;
        for (double v : values)
            squares += (v - mean) * (v - mean);
        const double std = std::sqrt(squares / 2.0);
        QVERIFY(std::abs(outcome.summary.selectedTest.unbiased.mean - mean) < 1e-12);
        QVERIFY(std::abs(outcome.summary.selectedTest.unbiased.std - std) < 1e-12);
        QCOMPARE(outcome.summary.selectedTest.unbiased.count, 3);
        const QJsonObject written = readJson(dir.filePath("summary.json"));
        const QJsonObject unbiased = written["selected"].toObject()["test"].toObject()["unbiased"].toObject();
        QVERIFY(std::abs(unbiased["mean"].toDouble() - mean) < 1e-9);
        QVERIFY(std::abs(unbiased["std"].toDouble() - std) < 1e-9);
        QCOMPARE(written["seeds"].toArray().size(), 3);
        QVERIFY(written.contains("stage1_deep")); // DeNetDM reports its branches too
    }

    void stoppedBatchResumesToTheSameNumbers()
    {
        QTemporaryDir whole, stopped;
        const DebiasConfig config = tinyConfig();
        const SeedsOutcome expected = runDebiasSeeds(config, {4, 5}, m_sprites, {}, whole.path().toStdString());
        // Stop once any seed has finished its first epoch: each ends at its last complete epoch.
        std::atomic<bool> once {false};
        const ProgressFn stopEarly = [&](double, const std::string &what) {
            if (what.find("evaluated") != std::string::npos)
                once = true;
            return !once.load();
        };
        const SeedsOutcome first = runDebiasSeeds(config, {4, 5}, m_sprites, stopEarly, stopped.path().toStdString());
        QVERIFY(first.stopped);
        QVERIFY(!QFile::exists(stopped.filePath("summary.json")));
        const SeedsOutcome resumed = runDebiasSeeds(config, {4, 5}, m_sprites, {}, stopped.path().toStdString(), true);
        QVERIFY(!resumed.stopped);
        for (int i = 0; i < 2; ++i)
            compareResults(resumed.results[i], expected.results[i]);
        QVERIFY(QFile::exists(stopped.filePath("summary.json")));
        // A finished batch resumed again reads its results instead of training.
        const SeedsOutcome again = runDebiasSeeds(config, {4, 5}, m_sprites, {}, stopped.path().toStdString(), true);
        compareResults(again.results[1], expected.results[1]);
    }

    void freshBatchRefusesAFolderInUseAndLeavesIt()
    {
        QTemporaryDir dir;
        QFile keep(dir.filePath("notes.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.write("the user's file");
        keep.close();
        const QString message = test::dataErrorOf([&] {
            runDebiasSeeds(tinyConfig(), {0, 1}, m_sprites, {}, dir.path().toStdString());
        });
        QVERIFY2(message.contains("already holds files (notes.txt)"), qPrintable(message));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList {"notes.txt"});
        QCOMPARE(fileBytes(dir.filePath("notes.txt")), QByteArray("the user's file"));
    }

    void resumeRefusesOtherSeedsAndOtherSettings()
    {
        QTemporaryDir dir;
        DebiasConfig config = tinyConfig();
        config.stage1Epochs = 1;
        config.stage2Epochs = 0;
        runDebiasSeeds(config, {0, 1}, m_sprites, {}, dir.path().toStdString());
        const QByteArray plan = fileBytes(dir.filePath("seeds.json"));
        QString message = test::dataErrorOf([&] {
            runDebiasSeeds(config, {0, 1, 2}, m_sprites, {}, dir.path().toStdString(), true);
        });
        QVERIFY2(message.contains("seeds differ"), qPrintable(message));
        DebiasConfig other = config;
        other.learningRate = 0.5;
        message = test::dataErrorOf([&] {
            runDebiasSeeds(other, {0, 1}, m_sprites, {}, dir.path().toStdString(), true);
        });
        QVERIFY2(message.contains("differ"), qPrintable(message));
        QCOMPARE(fileBytes(dir.filePath("seeds.json")), plan);
        QVERIFY(!QFile::exists(dir.filePath("seed-2")));
    }

    void damagedPlansAreRefusedByName()
    {
        const QList<QByteArray> damaged = {QByteArray(100000, '[') + QByteArray(100000, ']'),
            "{\"format\": \"untangle-seeds\"", "{\"format\": \"something-else\", \"version\": 1}",
            "{\"format\": \"untangle-seeds\", \"version\": 1, "
            "\"seeds\": [1, 1], \"config\": {}}",
            QByteArray("\x89PNG\r\n\x1a\n", 8)};
        for (const QByteArray &bytes : damaged) {
            QTemporaryDir dir;
            QFile file(dir.filePath("seeds.json"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
            file.close();
            const QString message = test::dataErrorOf([&] { readSeedsPlan(dir.path().toStdString()); });
            QVERIFY2(message.contains("seeds.json"), qPrintable(message));
            QCOMPARE(fileBytes(dir.filePath("seeds.json")), bytes);
        }
    }

    void tooManySeedsForTheMemoryAreRefusedBeforeAnythingIsWritten()
    {
        const std::uint64_t available = availableMemoryBytes();
        if (available == 0)
            QSKIP("this system does not report MemAvailable");
        const DebiasConfig config = tinyConfig();
        const std::uint64_t perSeed = estimatedSeedBytes(config, m_sprites);
        QVERIFY(perSeed > std::uint64_t(m_sprites.train.count) * 32 * 32 * 3 * sizeof(float));
        const int count = int(2 * available / perSeed + 16);
        QTemporaryDir dir;
        const QString parent = dir.filePath("batch");
        const QString message = test::dataErrorOf(
            [&] { runDebiasSeeds(config, consecutiveSeeds(0, count), m_sprites, {}, parent.toStdString()); });
        QVERIFY2(message.contains("at most") && message.contains("available"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(parent));
    }

    void seedsMustBeDistinct()
    {
        QTemporaryDir dir;
        bool refused = false;
        try {
            runDebiasSeeds(tinyConfig(), {2, 2}, m_sprites, {}, dir.path().toStdString());
        } catch (const std::invalid_argument &) {
            refused = true;
        }
        QVERIFY(refused);
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void meanAndSpreadOfAnEvaluationAreTheSeedsAverages()
    {
        // Two seeds' epoch-3 records, 2 x 2 cells each; one cell empty in seed 1 only, one empty in both.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const auto record
            = [](double loss, double conflicting, double aligned, std::vector<std::vector<double>> cells) {
                  EvaluationRecord r;
                  r.stage = 2;
                  r.epoch = 3;
                  r.iteration = 120;
                  r.trainLoss = loss;
                  r.poeLoss = 2 * loss;
                  HeadAccuracy head {"target"};
                  head.test.conflicting = conflicting;
                  head.test.aligned = aligned;
                  head.test.cells = cells;
                  head.test.cellCounts = {{5, 1}, {1, 0}};
                  head.valid.conflicting = conflicting / 2;
                  r.heads = {head};
                  return r;
              };
        const std::vector<EvaluationRecord> records {
            record(0.4, 0.5, 0.9, {{0.9, 0.4}, {0.6, nan}}), record(0.2, 0.7, 0.8, {{0.7, nan}, {0.2, nan}})};
        const EvaluationRecord mean = meanEvaluation(records);
        QCOMPARE(mean.stage, 2);
        QCOMPARE(mean.epoch, 3);
        QCOMPARE(mean.iteration, 120LL);
        QVERIFY(std::abs(mean.trainLoss - 0.3) < 1e-12);
        QVERIFY(std::abs(mean.poeLoss - 0.6) < 1e-12);
        const GroupAccuracy &test = mean.findHead("target")->test;
        QVERIFY(std::abs(test.conflicting - 0.6) < 1e-12);
        QVERIFY(std::abs(test.aligned - 0.85) < 1e-12);
        QVERIFY(std::abs(test.cells[0][0] - 0.8) < 1e-12);
        QVERIFY(std::abs(test.cells[0][1] - 0.4) < 1e-12); // the seed with an empty cell is left out
        QVERIFY(std::abs(test.cells[1][0] - 0.4) < 1e-12);
        QVERIFY(std::isnan(test.cells[1][1])); // empty in every seed: still empty
        QVERIFY(std::abs(mean.findHead("target")->valid.conflicting - 0.3) < 1e-12);

        const std::vector<HeadSpread> spreads = evaluationSpread(records);
        QCOMPARE(spreads.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(spreads[0].head), QString("target"));
        QVERIFY(std::abs(spreads[0].test.conflicting.mean - 0.6) < 1e-12);
        QVERIFY(std::abs(spreads[0].test.conflicting.std - std::sqrt(0.02)) < 1e-12); // sample std of 0.5, 0.7
        QCOMPARE(spreads[0].test.conflicting.count, 2);

        ProbeRecord a {1, 2, 80, "deep", 0.3, 0.9}, b {1, 2, 80, "deep", 0.5, nan};
        const ProbeRecord probe = meanProbe({a, b});
        QVERIFY(std::abs(probe.targetAccuracy - 0.4) < 1e-12);
        QVERIFY(std::abs(probe.biasAccuracy - 0.9) < 1e-12);

        // Records of different epochs, or none, are not averaged.
        std::vector<EvaluationRecord> mixed = records;
        mixed[1].epoch = 4;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanEvaluation(mixed));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluationSpread({}));
        b.branch = "shallow";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanProbe({a, b}));
        std::vector<EvaluationRecord> headless = records;
        headless[1].heads[0].head = "model";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanEvaluation(headless));
    }

    void eachSeedReportsItsOwnRecords()
    {
        // The per-seed callbacks get exactly what each seed's folder records, from that seed's own thread.
        QTemporaryDir dir;
        const std::vector<std::uint64_t> seeds {4, 5};
        std::mutex lock;
        std::vector<std::vector<EvaluationRecord>> seen(seeds.size());
        const SeedCallbacksFn perSeed = [&](std::size_t index) {
            DebiasCallbacks callbacks;
            callbacks.evaluated = [&, index](const EvaluationRecord &r) {
                std::lock_guard guard(lock);
                seen[index].push_back(r);
            };
            return callbacks;
        };
        const SeedsOutcome outcome
            = runDebiasSeeds(tinyConfig(), seeds, m_sprites, {}, dir.path().toStdString(), false, false, perSeed);
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            const std::vector<EvaluationRecord> stored
                = RunFolder(seedRunDir(dir.path().toStdString(), seeds[i])).readEvaluations();
            QCOMPARE(seen[i].size(), stored.size());
            QVERIFY(!stored.empty());
            const HeadAccuracy *last = seen[i].back().findHead(outcome.results[i].finalHead);
            QVERIFY(last);
            QCOMPARE(last->test.conflicting, stored.back().findHead(outcome.results[i].finalHead)->test.conflicting);
            QCOMPARE(last->test.conflicting, outcome.results[i].last.test.conflicting);
        }
        QVERIFY(seen[0].back().findHead(outcome.results[0].finalHead)->test.conflicting
            != seen[1].back().findHead(outcome.results[1].finalHead)->test.conflicting); // two different seeds
    }
};

QTEST_GUILESS_MAIN(TstDebiasSeeds)
#include "tst_debiasseeds.moc"
