// The study's sweep mode (issue 12): a rescoring-only study on the shipped Scenes generator runs directions, SRE and
// the authors' rescoring and nothing else, its table fills exactly the rescoring columns, and the SRE estimator is a
// study setting (another one in the same folder is refused by name, nothing changed). A tiny run: 2 directions,
// 4 SRE steps, about 10 s.
#include "computeruntime.h"
#include "dataerror.h"
#include "shippedresources.h"
#include "study/latentstudy.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <stdexcept>

using namespace untangle;

namespace {

LatentStudyConfig tinyRescoringStudy(const std::string &outDir)
{
    LatentStudyConfig config;
    config.generators = {shippedResourcePath("generators/scenes-64/generator.pt")};
    config.methods = {"random"};
    config.seeds = 1;
    config.directionCount = 2;
    config.sreSteps = 4;
    config.sreSnapshotEvery = 2;
    config.rescoringOnly = true;
    config.outDir = outDir;
    return config;
}

/** Every file under dir with its size and modification time: what "nothing changed" means here. */
QStringList listing(const QString &dir)
{
    QStringList entries;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        entries << QDir(dir).relativeFilePath(info.filePath()) + " " + QString::number(info.size()) + " "
                + QString::number(info.lastModified().toMSecsSinceEpoch());
    }
    entries.sort();
    return entries;
}

/** The cells of one table row, by its first column. */
QStringList rowCells(const QString &table, const QString &name)
{
    for (const QString &line : table.split('\n'))
        if (line.startsWith("| " + name + " |"))
            return line.split('|', Qt::SkipEmptyParts);
    return {};
}

} // namespace

class TstLatentStudy : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        configureComputeThread(); // as the CLI: every core, freed heap kept (page faults otherwise triple the time)
    }

    void rescoringOnlyStudyWritesAndTabulatesOnlyTheRescoring()
    {
        const QString out = m_dir.filePath("sweep");
        const auto result = runLatentStudy(tinyRescoringStudy(out.toStdString()));

        // SRE ran and both sets were rescored; no encoder, protocol or retrieval file was written.
        for (const char *file : {"g0/random/directions.json", "g0/random/rescoring-s0.json",
                 "g0/random/sre-s0/directions.json", "g0/random/sre-s0/rescoring.json", "table.md"})
            QVERIFY2(QFile::exists(out + "/" + file), file);
        for (const char *file : {"g0/random/encoder-s0.pt", "g0/random/eval-before-s0.json",
                 "g0/random/retrieval-before-s0.json", "g0/random/sre-s0/eval.json", "g0/random/sre-s0/retrieval.json"})
            QVERIFY2(!QFile::exists(out + "/" + file), file);

        QCOMPARE(result.cells.size(), std::size_t(2));
        for (const auto &cell : result.cells) {
            QCOMPARE(cell.runs.size(), std::size_t(1));
            const auto &run = cell.runs.front();
            QVERIFY(run.count("authorsOffDiagonal") && run.count("authorsDiagonal"));
            QVERIFY(run.at("authorsOffDiagonalLow") <= run.at("authorsOffDiagonal"));
            QVERIFY(run.at("authorsOffDiagonal") <= run.at("authorsOffDiagonalHigh"));
            QVERIFY(!run.count("mig") && !run.count("retrievalPrecision"));
        }

        // The table: the rescoring columns are numbers, the unmeasured ones (and their floors) a dash.
        const QString table = QString::fromStdString(result.tableMarkdown);
        for (const QString &row :
            {QString("Random orthonormal"), QString("Random orthonormal + SRE"), QString("noise floor / chance")}) {
            const QStringList cells = rowCells(table, row);
            QVERIFY2(cells.size() == 15, qPrintable(row + ": " + table));
            const int first = 2; // name, runs (blank on the floor row)
            for (int c = first; c < first + 6; ++c) // MIG .. beta-VAE
                QVERIFY2(cells[c].trimmed() == "-", qPrintable(row + ": " + cells[c]));
            QVERIFY2(cells[first + 10].trimmed() != "-", qPrintable(row + ": " + table)); // matched off-diagonal
            QVERIFY2(cells[first + 11].trimmed() == "-", qPrintable(row + ": " + table)); // retrieval P@k
        }

        // Run again: everything is reused, nothing recomputed.
        const QStringList before = listing(out);
        QTest::qWait(20); // a rewritten file would get a later time stamp
        const auto again = runLatentStudy(tinyRescoringStudy(out.toStdString()));
        QCOMPARE(again.cells.front().runs.front().at("authorsOffDiagonal"),
            result.cells.front().runs.front().at("authorsOffDiagonal"));
        QStringList after = listing(out);
        // table.md and study.json are written at the end of every call; the runs' files are not touched.
        const auto isRunFile = [](const QString &entry) { return entry.startsWith("g0/"); };
        QStringList beforeRuns, afterRuns;
        std::copy_if(before.begin(), before.end(), std::back_inserter(beforeRuns), isRunFile);
        std::copy_if(after.begin(), after.end(), std::back_inserter(afterRuns), isRunFile);
        QCOMPARE(afterRuns, beforeRuns);
    }

    void anotherEstimatorInTheSameFolderIsRefusedByName()
    {
        const QString out = m_dir.filePath("sweep"); // the study of the test above
        QVERIFY(QFile::exists(out + "/study-config.json"));
        const QStringList before = listing(out);
        auto config = tinyRescoringStudy(out.toStdString());
        config.sreBackbone = "resnet18";
        try {
            runLatentStudy(config);
            QFAIL("a study folder of the light estimator accepted a ResNet-18 run");
        } catch (const DataError &error) {
            const QString message = error.what();
            QVERIFY2(
                message.contains("other settings") && message.contains("sreBackbone") && message.contains("resnet18"),
                qPrintable(message));
        }
        QCOMPARE(listing(out), before);
    }

    void unknownEstimatorIsRefusedBeforeAnyWork()
    {
        auto config = tinyRescoringStudy(m_dir.filePath("never").toStdString());
        config.sreBackbone = "vgg";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runLatentStudy(config));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("never")));
    }
};

QTEST_GUILESS_MAIN(TstLatentStudy)
#include "tst_latentstudy.moc"
