// runDebias end to end on small real data: frozen stage-1 parts, exact resume, NaN stops, refused checkpoints and
// configs, determinism and the hard-sample ranking.
#include "dataerrorof.h"
#include "datasetfactory.h"
#include "debiasrunner.h"
#include "runfolder.h"
#include "selfcheck/debiasselfcheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "tinyrun.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

using namespace untangle;

namespace {

// Adam moves every weight by ~lr in its first step; at 1e10 the next batch overflows float32 to NaN (at 1e6 the
// loss only reaches ~1e35: huge but finite, so not a reliable trigger).
constexpr double ExplodingLearningRate = 1e10;
constexpr int TinySize = 32; // the CNN pair's native input
constexpr int TinyTrain = 16; // two batches of 8
constexpr int TinyBatch = 8;

/** 3 targets x 3 biases of random 32x32 RGB images: train mostly aligned, valid/test one image per cell. */
BiasedDataset tinyImageDataset(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    BiasedDataset d;
    d.name = "tiny";
    d.targetNames = {"t0", "t1", "t2"};
    d.biasNames = {"b0", "b1", "b2"};
    auto fill = [&](LabeledImages &split, int n, bool balanced) {
        split.allocate(n, TinySize, TinySize, 3);
        for (auto &p : split.pixels)
            p = std::uint8_t(byte(rng));
        for (int i = 0; i < n; ++i) {
            split.targets[i] = i % 3;
            split.biases[i] = balanced ? (i / 3) % 3 : (i % 4 == 3 ? (i + 1) % 3 : i % 3);
        }
    };
    fill(d.train, TinyTrain, false);
    fill(d.valid, 9, true);
    fill(d.test, 9, true);
    return d;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), qint64(bytes.size()));
}

/** Every file of a folder and its bytes: "left as it was" means this map does not change. */
std::map<QString, QByteArray> folderContents(const QString &dir)
{
    std::map<QString, QByteArray> out;
    for (const QString &name : QDir(dir).entryList(QDir::Files | QDir::Hidden))
        if (name != ".untangle.lock") // names whoever held the folder last: bookkeeping, not the run's content
            out[name] = fileBytes(dir + "/" + name);
    return out;
}

bool same(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

/** Empty when both accuracies agree exactly (cells, counts and summaries); otherwise what differs. */
QString groupDifference(const GroupAccuracy &a, const GroupAccuracy &b)
{
    if (a.cellCounts != b.cellCounts)
        return "cell counts differ";
    if (a.cells.size() != b.cells.size())
        return "cell matrices differ in size";
    for (std::size_t t = 0; t < a.cells.size(); ++t)
        for (std::size_t c = 0; c < a.cells[t].size(); ++c)
            if (!same(a.cells[t][c], b.cells[t][c]))
                return QString("cell (%1, %2): %3 vs %4").arg(t).arg(c).arg(a.cells[t][c]).arg(b.cells[t][c]);
    if (!same(a.unbiased, b.unbiased) || !same(a.aligned, b.aligned) || !same(a.conflicting, b.conflicting)
        || !same(a.worstGroup, b.worstGroup) || !same(a.sampleAccuracy, b.sampleAccuracy))
        return "summaries differ";
    return {};
}

QString snapshotDifference(const char *what, const HeadSnapshot &a, const HeadSnapshot &b)
{
    if (a.epoch != b.epoch)
        return QString("%1: epoch %2 vs %3").arg(what).arg(a.epoch).arg(b.epoch);
    if (const QString d = groupDifference(a.valid, b.valid); !d.isEmpty())
        return QString("%1 valid: %2").arg(what, d);
    if (const QString d = groupDifference(a.test, b.test); !d.isEmpty())
        return QString("%1 test: %2").arg(what, d);
    return {};
}

QString recordDifference(const EvaluationRecord &a, const EvaluationRecord &b)
{
    const QString where = QString("stage %1 epoch %2").arg(a.stage).arg(a.epoch);
    if (a.stage != b.stage || a.epoch != b.epoch || a.iteration != b.iteration)
        return where + ": position differs";
    if (!same(a.trainLoss, b.trainLoss) || !same(a.poeLoss, b.poeLoss) || !same(a.distillLoss, b.distillLoss)
        || !same(a.trainLossAligned, b.trainLossAligned) || !same(a.trainLossConflicting, b.trainLossConflicting))
        return where + QString(": losses differ (%1 vs %2)").arg(a.trainLoss, 0, 'g', 17).arg(b.trainLoss, 0, 'g', 17);
    if (a.heads.size() != b.heads.size())
        return where + ": heads differ";
    for (std::size_t h = 0; h < a.heads.size(); ++h) {
        if (a.heads[h].head != b.heads[h].head)
            return where + ": head names differ";
        for (const auto &[split, x, y] : {std::tuple {"valid", &a.heads[h].valid, &b.heads[h].valid},
                 std::tuple {"test", &a.heads[h].test, &b.heads[h].test}})
            if (const QString d = groupDifference(*x, *y); !d.isEmpty())
                return where + QString(" %1 %2: %3").arg(QString::fromStdString(a.heads[h].head), split, d);
    }
    return {};
}

double maxAbsDifference(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return std::numeric_limits<double>::infinity();
    double out = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        out = std::max(out, std::abs(a[i] - b[i]));
    return out;
}

/** Largest change between two stored modules, over parameters and over BatchNorm running statistics separately. */
struct Drift {
    double parameters = 0.0;
    double statistics = 0.0;
    int statisticTensors = 0;
};

bool isRunningStatistic(const std::string &name)
{
    return name.find("running_mean") != std::string::npos || name.find("running_var") != std::string::npos;
}

Drift drift(const std::map<std::string, std::vector<double>> &a, const std::map<std::string, std::vector<double>> &b)
{
    Drift d;
    if (a.size() != b.size())
        d.parameters = std::numeric_limits<double>::infinity();
    for (const auto &[name, values] : a) {
        const auto other = b.find(name);
        const double delta
            = other == b.end() ? std::numeric_limits<double>::infinity() : maxAbsDifference(values, other->second);
        if (isRunningStatistic(name)) {
            d.statistics = std::max(d.statistics, delta);
            ++d.statisticTensors;
        } else if (name.find("num_batches_tracked") == std::string::npos) {
            d.parameters = std::max(d.parameters, delta);
        }
    }
    return d;
}

int conflictingCount(const LabeledImages &split)
{
    int n = 0;
    for (int i = 0; i < split.count; ++i)
        n += split.isAligned(i) ? 0 : 1;
    return n;
}

/** The tiny test run this file uses everywhere (seed 5). */
DebiasConfig tinyConfig(const DatasetSpec &spec, int stage1Epochs, int stage2Epochs)
{
    return test::tinyDebiasConfig(spec, stage1Epochs, stage2Epochs, 5);
}

/** The TrainingError message a run ends with, or empty when it finishes. */
QString trainingErrorOf(
    const DebiasConfig &config, const BiasedDataset &dataset, const QString &dir, bool resume = false)
{
    try {
        runDebias(config, dataset, {}, dir.toStdString(), resume);
    } catch (const TrainingError &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class TstDebiasRun : public QObject {
    Q_OBJECT

private:
    DatasetSpec m_spec;
    BiasedDataset m_sprites;

    /** A finished one-epoch run in dir (the folder the refusal tests try to resume). */
    DebiasConfig finishedTinyRun(const QString &dir)
    {
        const DebiasConfig config = tinyConfig(m_spec, 1, 0);
        runDebias(config, m_sprites, {}, dir.toStdString());
        return config;
    }

private slots:
    void initTestCase()
    {
        m_spec = test::tinySpritesSpec();
        m_sprites = buildDataset(m_spec);
        QCOMPARE(m_sprites.train.count, 6000);
        QCOMPARE(m_sprites.train.width, 32);
        QVERIFY(conflictingCount(m_sprites.train) > 0);
    }

    void frozenPartsDoNotChangeInStage2()
    {
        const BiasedDataset data = tinyImageDataset(3);
        DebiasConfig config;
        config.method = DebiasMethod::DeNetDM;
        config.architecture = BranchArchitecture::Cnn; // BatchNorm buffers exist: ResNet-20 deep, 3-conv shallow
        config.stage1Epochs = 2;
        config.stage2Epochs = 1;
        config.batchSize = TinyBatch;
        config.threads = 1;
        config.probeEveryIterations = 0;
        config.checkpointEveryEpochs = 1;
        config.seed = 1;

        QTemporaryDir temp;
        const QString dir = temp.filePath("run"), checkpoint = dir + "/checkpoint.pt";
        // Keep the checkpoint of each stage-1 epoch: stage 2 must start from the selected one and never move it.
        DebiasCallbacks callbacks;
        callbacks.progress = [&](double, const std::string &what) {
            for (int epoch : {1, 2})
                if (what == "stage 1, epoch " + std::to_string(epoch) + "/2: evaluated")
                    QFile::copy(checkpoint, dir + QString("/stage1-epoch%1.pt").arg(epoch));
            return true;
        };
        const DebiasResult result = runDebias(config, data, callbacks, dir.toStdString());
        QVERIFY(!result.stopped);
        QVERIFY(result.stage1SelectedEpoch == 1 || result.stage1SelectedEpoch == 2);
        QVERIFY(QFile::exists(dir + "/stage1-epoch1.pt"));
        QVERIFY(QFile::exists(dir + "/stage1-epoch2.pt"));

        const auto read = [](const QString &path, const char *key) {
            return selfcheck::checkpointModuleTensors(path.toStdString(), key);
        };
        const QString epoch1 = dir + "/stage1-epoch1.pt", epoch2 = dir + "/stage1-epoch2.pt";
        const QString selected = dir + QString("/stage1-epoch%1.pt").arg(result.stage1SelectedEpoch);
        for (const char *part : {"deep", "shallow"}) {
            // The measure sees training: between the two stage-1 epochs both weights and BN statistics move.
            const Drift trained = drift(read(epoch1, part), read(epoch2, part));
            QVERIFY2(trained.statisticTensors > 0, part);
            QVERIFY2(trained.parameters > 0.0, part);
            QVERIFY2(trained.statistics > 0.0, part);
            // Across stage 2: exactly nothing.
            const Drift frozen = drift(read(selected, part), read(checkpoint, part));
            QVERIFY2(frozen.parameters == 0.0,
                qPrintable(QString("%1 weights moved by %2").arg(part).arg(frozen.parameters)));
            QVERIFY2(frozen.statistics == 0.0,
                qPrintable(QString("%1 BatchNorm statistics moved by %2").arg(part).arg(frozen.statistics)));
        }
        const auto head = read(selected, "head");
        QCOMPARE(drift(head, read(checkpoint, "head")).parameters, 0.0); // the teacher's head is frozen too
        // ... while the target head, initialised from it, did train.
        QVERIFY(drift(head, read(checkpoint, "target_head")).parameters > 0.0);
    }

    void resumedRunMatchesUninterruptedRun_data()
    {
        QTest::addColumn<QString>("stopAt"); // the first progress report with this prefix stops the run
        QTest::addColumn<int>("evaluationsKept"); // complete epochs in the folder when it stopped
        QTest::newRow("inside stage 1") << "stage 1, epoch 2" << 1;
        QTest::newRow("between the stages") << "stage 2, epoch 1" << 2;
        QTest::newRow("inside stage 2") << "stage 2, epoch 2" << 3;
    }

    void resumedRunMatchesUninterruptedRun()
    {
        QFETCH(QString, stopAt);
        QFETCH(int, evaluationsKept);
        DebiasConfig config = tinyConfig(m_spec, 2, 2);
        config.probeEveryIterations = 16; // probes too must continue where they stopped

        QTemporaryDir tempA, tempB;
        const QString dirA = tempA.filePath("run"), dirB = tempB.filePath("run");
        const DebiasResult a = runDebias(config, m_sprites, {}, dirA.toStdString());

        DebiasCallbacks stop;
        const std::string prefix = stopAt.toStdString();
        stop.progress = [&prefix](double, const std::string &what) { return what.rfind(prefix, 0) != 0; };
        const DebiasResult interrupted = runDebias(config, m_sprites, stop, dirB.toStdString());
        QVERIFY(interrupted.stopped);
        QCOMPARE(int(RunFolder(dirB.toStdString()).readEvaluations().size()), evaluationsKept);

        const DebiasResult b = runDebias(config, m_sprites, {}, dirB.toStdString(), true);
        QVERIFY(!b.stopped);
        for (const QString &d :
            {snapshotDifference("selected", a.selected, b.selected), snapshotDifference("last", a.last, b.last),
                snapshotDifference("stage 1 deep", a.stage1Deep, b.stage1Deep),
                snapshotDifference("stage 1 shallow", a.stage1Shallow, b.stage1Shallow)})
            QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(b.stage1SelectedEpoch, a.stage1SelectedEpoch);
        QCOMPARE(b.hardest.indices, a.hardest.indices);
        QCOMPARE(b.hardest.precision, a.hardest.precision);

        const RunFolder folderA(dirA.toStdString()), folderB(dirB.toStdString());
        const auto recordsA = folderA.readEvaluations(), recordsB = folderB.readEvaluations();
        QCOMPARE(int(recordsA.size()), config.stage1Epochs + config.stage2Epochs);
        QCOMPARE(recordsB.size(), recordsA.size());
        for (std::size_t i = 0; i < recordsA.size(); ++i) {
            const QString d = recordDifference(recordsA[i], recordsB[i]);
            QVERIFY2(d.isEmpty(), qPrintable(d));
        }
        const auto probesA = folderA.readProbes(), probesB = folderB.readProbes();
        QVERIFY(!probesA.empty());
        QCOMPARE(probesB.size(), probesA.size());
        for (std::size_t i = 0; i < probesA.size(); ++i) {
            QCOMPARE(probesB[i].iteration, probesA[i].iteration);
            QCOMPARE(probesB[i].branch, probesA[i].branch);
            QCOMPARE(probesB[i].targetAccuracy, probesA[i].targetAccuracy);
            QCOMPARE(probesB[i].biasAccuracy, probesA[i].biasAccuracy);
        }
    }

    void baselinesResumeExactly_data()
    {
        QTest::addColumn<int>("method");
        QTest::newRow("erm") << int(DebiasMethod::Erm);
        QTest::newRow("lff (per-sample loss averages in the checkpoint)") << int(DebiasMethod::Lff);
    }

    void baselinesResumeExactly()
    {
        QFETCH(int, method);
        DebiasConfig config = tinyConfig(m_spec, 2, 0);
        config.method = DebiasMethod(method);
        QTemporaryDir tempA, tempB;
        const QString dirA = tempA.filePath("run"), dirB = tempB.filePath("run");
        const DebiasResult a = runDebias(config, m_sprites, {}, dirA.toStdString());
        DebiasCallbacks stop;
        stop.progress = [](double, const std::string &what) { return what.rfind("stage 1, epoch 2", 0) != 0; };
        QVERIFY(runDebias(config, m_sprites, stop, dirB.toStdString()).stopped);
        const DebiasResult b = runDebias(config, m_sprites, {}, dirB.toStdString(), true);
        for (const QString &d :
            {snapshotDifference("selected", a.selected, b.selected), snapshotDifference("last", a.last, b.last)})
            QVERIFY2(d.isEmpty(), qPrintable(d));
        const auto recordsA = RunFolder(dirA.toStdString()).readEvaluations();
        const auto recordsB = RunFolder(dirB.toStdString()).readEvaluations();
        QCOMPARE(int(recordsA.size()), 2);
        QCOMPARE(recordsB.size(), recordsA.size());
        for (std::size_t i = 0; i < recordsA.size(); ++i) {
            const QString d = recordDifference(recordsA[i], recordsB[i]);
            QVERIFY2(d.isEmpty(), qPrintable(d));
        }
    }

    void stage1HealthIsTheProbesAtTheSelectedEpoch()
    {
        for (const DebiasMethod method : {DebiasMethod::DeNetDM, DebiasMethod::Lff}) {
            DebiasConfig config = tinyConfig(m_spec, 3, method == DebiasMethod::DeNetDM ? 2 : 0);
            config.method = method;
            config.probeEveryIterations = 1000; // end-of-epoch probes only, in these short epochs
            QTemporaryDir temp;
            const std::string dir = temp.filePath("run").toStdString();
            const DebiasResult result = runDebias(config, m_sprites, {}, dir);
            const BranchHealth &health = result.stage1Health;
            QCOMPARE(QString::fromStdString(health.branch), method == DebiasMethod::DeNetDM ? "deep" : "biased");
            QVERIFY(health.known());
            QVERIFY(health.epoch >= 1 && health.epoch <= 3);
            if (method == DebiasMethod::DeNetDM)
                QCOMPARE(health.epoch, result.stage1SelectedEpoch);
            int found = 0;
            for (const ProbeRecord &probe : RunFolder(dir).readProbes())
                if (probe.stage == 1 && probe.epoch == health.epoch && probe.branch == health.branch) {
                    QCOMPARE(probe.biasAccuracy, health.biasDecodability);
                    QCOMPARE(probe.targetAccuracy, health.targetDecodability);
                    ++found;
                }
            QCOMPARE(found, 1);
            // result.json carries it, so the table and the report read the same numbers.
            const auto stored = RunFolder(dir).readResult();
            QVERIFY(stored.has_value());
            QCOMPARE(stored->stage1Health.epoch, health.epoch);
            QVERIFY(std::abs(stored->stage1Health.biasDecodability - health.biasDecodability) < 1e-12);
            if (method != DebiasMethod::DeNetDM)
                continue;
            // Stopped in stage 2 after its first checkpoint and resumed there: stage 1 is not run again, yet the result
            // reports the same health.
            QTemporaryDir tempB;
            const std::string dirB = tempB.filePath("run").toStdString();
            DebiasCallbacks stop;
            stop.progress = [](double, const std::string &what) { return what.rfind("stage 2, epoch 2", 0) != 0; };
            QVERIFY(runDebias(config, m_sprites, stop, dirB).stopped);
            QCOMPARE(int(RunFolder(dirB).readEvaluations().size()), 4); // 3 of stage 1, 1 of stage 2
            const BranchHealth resumed = runDebias(config, m_sprites, {}, dirB, true).stage1Health;
            QCOMPARE(resumed.epoch, health.epoch);
            QCOMPARE(resumed.biasDecodability, health.biasDecodability);
            QCOMPARE(resumed.targetDecodability, health.targetDecodability);
        }
        // Probes off: no health, said as unknown rather than a number.
        DebiasConfig quiet = tinyConfig(m_spec, 1, 0);
        quiet.method = DebiasMethod::Lff;
        QVERIFY(!runDebias(quiet, m_sprites, {}, "").stage1Health.known());
    }

    void lffOfficialRecipeKeepsTheLastPartialBatch()
    {
        // The official DataLoader has no drop_last: an epoch is ceil(n / batch) steps (235 on 60,000 images).
        const int n = m_sprites.train.count;
        for (const LffRecipe recipe : {LffRecipe::Official, LffRecipe::Untangle}) {
            DebiasConfig config = tinyConfig(m_spec, 1, 0);
            config.method = DebiasMethod::Lff;
            applyLffRecipe(config, recipe);
            config.batchSize = 48;
            while (n % config.batchSize == 0) // a last batch that is partial
                ++config.batchSize;
            const int b = config.batchSize;
            const int expected = recipe == LffRecipe::Official ? (n + b - 1) / b : n / b;
            QTemporaryDir temp;
            runDebias(config, m_sprites, {}, temp.filePath("run").toStdString());
            const auto records = RunFolder(temp.filePath("run").toStdString()).readEvaluations();
            QCOMPARE(int(records.size()), 1);
            QCOMPARE(int(records.front().iteration), expected);
            // The recipe's drop_last is in config.json, so a resume or a table row knows which it was.
            QCOMPARE(RunFolder(temp.filePath("run").toStdString()).readConfig().stage1DropLast,
                recipe == LffRecipe::Untangle);
        }
    }

    void explodingStage2StopsAndKeepsTheStage1Checkpoint()
    {
        DebiasConfig config = tinyConfig(m_spec, 1, 1);
        config.stage2LearningRate = ExplodingLearningRate;
        QTemporaryDir temp;
        const QString dir = temp.filePath("run");
        const QString message = trainingErrorOf(config, m_sprites, dir);
        QVERIFY2(message.contains("stage 2, epoch 1"), qPrintable("message: " + message));
        QVERIFY2(message.contains("NaN") || message.contains("infinite"), qPrintable(message));
        QVERIFY2(message.contains(dir), qPrintable(message)); // tells where the last good checkpoint is
        QVERIFY(QFile::exists(dir + "/checkpoint.pt"));
        const auto records = RunFolder(dir.toStdString()).readEvaluations();
        QCOMPARE(int(records.size()), 1);
        QCOMPARE(records.front().stage, 1);

        // The kept checkpoint is the finished stage 1: resuming goes straight into stage 2 and fails the same way.
        QCOMPARE(trainingErrorOf(config, m_sprites, dir, true), message);
    }

    void explodingStage1StopsWithoutCheckpoint()
    {
        DebiasConfig config = tinyConfig(m_spec, 2, 0);
        config.learningRate = ExplodingLearningRate;
        QTemporaryDir temp;
        const QString dir = temp.filePath("run");
        const QString message = trainingErrorOf(config, m_sprites, dir);
        QVERIFY2(message.contains("stage 1, epoch 1"), qPrintable("message: " + message));
        QVERIFY2(message.contains("no checkpoint"), qPrintable(message));
        QVERIFY(!QFile::exists(dir + "/checkpoint.pt"));
        QVERIFY(RunFolder(dir.toStdString()).readEvaluations().empty());
    }

    void damagedCheckpointIsRefusedAndFolderUntouched_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated to half") << "truncated";
        QTest::newRow("foreign bytes") << "foreign";
        QTest::newRow("empty") << "empty";
    }

    void damagedCheckpointIsRefusedAndFolderUntouched()
    {
        QFETCH(QString, damage);
        QTemporaryDir temp;
        const QString dir = temp.filePath("run"), checkpoint = dir + "/checkpoint.pt";
        const DebiasConfig config = finishedTinyRun(dir);
        const QByteArray original = fileBytes(checkpoint);
        QVERIFY(original.size() > 1000);
        QByteArray damaged;
        if (damage == "truncated") {
            damaged = original.left(original.size() / 2);
        } else if (damage == "foreign") {
            std::mt19937 rng(7);
            for (int i = 0; i < 4096; ++i)
                damaged.append(char(rng() & 0xff));
        }
        writeBytes(checkpoint, damaged);
        const auto before = folderContents(dir);

        const QString message = test::dataErrorOf([&] { runDebias(config, m_sprites, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("checkpoint.pt"), qPrintable("message: " + message));
        QVERIFY2(!message.startsWith("wrong exception") && message != "no exception", qPrintable(message));
        QVERIFY(folderContents(dir) == before);
    }

    void damagedRecordFileNamesItsLineAndATornLastLineIsLeftOut()
    {
        // Opening a run read its records with the parser's bare message ("parse error at line 1, column 1"), no
        // file; a line cut short at the end (a run being written) refused the whole run.
        QTemporaryDir temp;
        const QString dir = temp.filePath("run");
        finishedTinyRun(dir);
        const QString metrics = dir + "/metrics.jsonl";
        const QByteArray good = fileBytes(metrics);
        const int records = int(RunFolder(dir.toStdString()).readEvaluations().size());
        QVERIFY(records >= 1);
        writeBytes(metrics, good + "{\"stage\": 1, \"epo");
        QCOMPARE(int(RunFolder(dir.toStdString()).readEvaluations().size()), records);
        writeBytes(metrics, "garbage{{\n" + good);
        const QString message = test::dataErrorOf([&] { RunFolder(dir.toStdString()).readEvaluations(); });
        QVERIFY2(message.contains(metrics + ", line 1: not a record"), qPrintable(message));
    }

    void resumeWithOtherConfigIsRefused()
    {
        QTemporaryDir temp;
        const QString dir = temp.filePath("run");
        DebiasConfig config = finishedTinyRun(dir);
        const auto before = folderContents(dir);
        config.width = 2 * test::TinyWidth;
        const QString message = test::dataErrorOf([&] { runDebias(config, m_sprites, {}, dir.toStdString(), true); });
        QVERIFY2(message.contains("config.json"), qPrintable("message: " + message));
        QVERIFY(folderContents(dir) == before);
    }

    void sameSeedSameResultAndHardSamples()
    {
        const DebiasConfig config = tinyConfig(m_spec, 1, 1);
        const DebiasResult first = runDebias(config, m_sprites);
        const DebiasResult second = runDebias(config, m_sprites);
        for (const QString &d : {snapshotDifference("selected", first.selected, second.selected),
                 snapshotDifference("stage 1 shallow", first.stage1Shallow, second.stage1Shallow)})
            QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(std::isfinite(first.selected.test.unbiased));
        QCOMPARE(first.hardest.indices, second.hardest.indices);

        // The deep branch's hardest samples: top k with k = the true number of conflicting training samples.
        const HardSamples &hard = first.hardest;
        const int conflicting = conflictingCount(m_sprites.train);
        QCOMPARE(hard.branch, std::string("deep"));
        QCOMPARE(hard.k, conflicting);
        QCOMPARE(int(hard.indices.size()), conflicting);
        QCOMPARE(int(hard.losses.size()), conflicting);
        QVERIFY(hard.precision >= 0.0 && hard.precision <= 1.0);
        int hits = 0;
        for (int index : hard.indices) {
            QVERIFY(index >= 0 && index < m_sprites.train.count);
            hits += m_sprites.train.isAligned(index) ? 0 : 1;
        }
        QVERIFY(std::abs(hard.precision - double(hits) / conflicting) < 1e-12);
        QVERIFY(std::abs(hard.baseRate - double(conflicting) / m_sprites.train.count) < 1e-12);
        QVERIFY(std::is_sorted(hard.losses.rbegin(), hard.losses.rend())); // hardest first
    }
};

QTEST_GUILESS_MAIN(TstDebiasRun)
#include "tst_debiasrun.moc"
