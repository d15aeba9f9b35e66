// The Latent workspace's jobs on the controller's worker: directions + SRE with live per-direction ranking
// accuracy, GAN training with live losses and sample grids, and a clean Stop.
#include "directions/directionset.h"
#include "gantrainingjob.h"
#include "jobcontroller.h"
#include "latentdirectionsjob.h"
#include "selfcheck/latentselfcheck.h"
#include "tinygan.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace untangle;

namespace {
constexpr int TimeoutMs = 300000; // event-driven waits: generous for a fresh, loaded machine; the jobs take seconds
constexpr int SreSteps = 20;

/** tinygan.h's GAN with this test's sample interval and seed. */
GanConfig tinyGan(int iterations)
{
    GanConfig config = test::tinyGanConfig(iterations);
    config.sampleEvery = 2;
    config.seed = 0;
    return config;
}
} // namespace

class TstLatentJobs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_generator;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generator = m_dir.filePath("generator.pt");
        selfcheck::writeRandomStyleGenerator(m_generator.toStdString());
    }

    void directionsThenSreReportRankingAccuracyPerDirection()
    {
        JobController controller;
        LatentDirectionsConfig config;
        config.generatorPath = m_generator;
        config.method = DirectionMethod::SeFa;
        config.count = 3;
        config.refineWithSre = true;
        config.sreSteps = SreSteps;
        config.outDir = m_dir.filePath("sefa");
        auto *job = new LatentDirectionsJob(config);
        QSignalSpy found(job, &LatentDirectionsJob::directionsFound);
        QSignalSpy logged(job, &LatentDirectionsJob::sreLogged);
        QSignalSpy refined(job, &LatentDirectionsJob::sreFinished);
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        QSignalSpy failed(&controller, &JobController::failed);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QTRY_VERIFY_WITH_TIMEOUT(succeeded.count() + failed.count() == 1, TimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(found.count(), 1);
        QCOMPARE(loadDirectionSet(found.at(0).at(0).toString().toStdString()).count(), 3);
        QCOMPARE(logged.count(), SreSteps); // one point per step at 20 steps
        const auto accuracy = logged.last().at(1).value<QVector<double>>();
        QCOMPARE(accuracy.size(), 3);
        for (double a : accuracy)
            QVERIFY(a >= 0.0 && a <= 1.0);
        QCOMPARE(refined.count(), 1);
        const DirectionSet after = loadDirectionSet(refined.at(0).at(0).toString().toStdString());
        QCOMPARE(after.method, std::string("sefa+sre"));
    }

    void ganTrainingStreamsLossesAndSamples()
    {
        JobController controller;
        auto *job = new GanTrainingJob(tinyGan(4), m_dir.filePath("gan"));
        QSignalSpy logged(job, &GanTrainingJob::logged);
        QSignalSpy sampled(job, &GanTrainingJob::sampled);
        QSignalSpy trained(job, &GanTrainingJob::trained);
        QSignalSpy idle(&controller, &JobController::idle);
        QSignalSpy failed(&controller, &JobController::failed);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, TimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(logged.count() >= 2);
        QCOMPARE(sampled.count(), 2); // iterations 2 and 4
        const auto grid = sampled.last().at(1).value<ImageU8>();
        QCOMPARE(grid.width, 8 * 32 + 7 * 2);
        QCOMPARE(trained.count(), 1);
        QVERIFY(QFileInfo::exists(trained.at(0).at(0).toString()));
        QCOMPARE(trained.at(0).at(1).toBool(), false);
    }

    void stopEndsSreWithoutFailure()
    {
        JobController controller;
        LatentDirectionsConfig config;
        config.generatorPath = m_generator;
        config.count = 3;
        config.refineWithSre = true;
        config.sreSteps = 100000; // would run for hours: only Stop ends it
        config.outDir = m_dir.filePath("stopped");
        auto *job = new LatentDirectionsJob(config);
        QSignalSpy logged(job, &LatentDirectionsJob::sreLogged);
        QSignalSpy stopped(&controller, &JobController::stopped);
        QSignalSpy failed(&controller, &JobController::failed);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QTRY_VERIFY_WITH_TIMEOUT(logged.count() >= 1, TimeoutMs);
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, TimeoutMs);
        QVERIFY(failed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstLatentJobs)
#include "tst_latentjobs.moc"
