// runDebiasSeeds (--seeds N): seeds trained at once give what each seed gives alone, the summary is their mean and
// std, a stopped batch resumes to the same numbers, and bad folders and counts are refused with nothing changed.
#include "dataerrorof.h"
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "debiasseeds.h"
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
};

QTEST_GUILESS_MAIN(TstDebiasSeeds)
#include "tst_debiasseeds.moc"
