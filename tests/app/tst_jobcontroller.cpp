// The controller runs jobs on its worker thread: start, pause, resume, stop, failure and shutdown mid-job.
#include "datasetbuildjob.h"
#include "job.h"
#include "jobcontroller.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <memory>

#include <atomic>
#include <stdexcept>

using namespace untangle;

namespace {

/** Counts steps of a fixed length; optionally throws at a given step. */
class CountingJob : public Job {
public:
    CountingJob(int steps, std::atomic<int> *done, int throwAt = -1)
        : Job("counting")
        , m_steps(steps)
        , m_done(done)
        , m_throwAt(throwAt)
    {
    }
    QThread *ranOn = nullptr;

protected:
    void execute() override
    {
        ranOn = QThread::currentThread();
        for (int i = 0; i < m_steps; ++i) {
            if (!shouldContinue())
                return;
            if (i == m_throwAt)
                throw std::runtime_error("step " + std::to_string(i) + " broke");
            QThread::msleep(2);
            m_done->fetch_add(1);
            emit progress(double(i + 1) / m_steps, QString());
        }
    }

private:
    int m_steps;
    std::atomic<int> *m_done;
    int m_throwAt;
};

constexpr int LongJobSteps = 100000; // ~200 s if nothing stopped it: the test would time out, not pass by luck

} // namespace

class TstJobController : public QObject {
    Q_OBJECT

private slots:
    void runsToCompletionOnTheWorkerThread()
    {
        JobController controller;
        std::atomic<int> done {0};
        auto *job = new CountingJob(20, &done);
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        QSignalSpy idle(&controller, &JobController::idle);
        QSignalSpy progress(&controller, &JobController::progress);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QVERIFY(controller.isBusy());
        QTRY_COMPARE(idle.count(), 1);
        QCOMPARE(succeeded.count(), 1);
        QCOMPARE(done.load(), 20);
        QCOMPARE(progress.count(), 20);
        QCOMPARE(progress.last().at(0).toDouble(), 1.0);
        QVERIFY(!controller.isBusy());
    }

    void refusesASecondJobWhileBusy()
    {
        JobController controller;
        std::atomic<int> a {0}, b {0};
        QVERIFY(controller.start(std::make_unique<CountingJob>(LongJobSteps, &a)));
        QVERIFY(!controller.start(std::make_unique<CountingJob>(5, &b)));
        controller.stop();
        QSignalSpy idle(&controller, &JobController::idle);
        QTRY_COMPARE(idle.count(), 1);
        QCOMPARE(b.load(), 0);
    }

    void aUserJobStopsABackgroundJobAndRunsAfterIt()
    {
        JobController controller;
        std::atomic<int> background {0}, user {0}, other {0};
        QSignalSpy idle(&controller, &JobController::idle);
        QSignalSpy ended(&controller, &JobController::jobEnded);
        QSignalSpy started(&controller, &JobController::started);
        QVERIFY(controller.start(std::make_unique<CountingJob>(LongJobSteps, &background), JobPriority::Background));
        const int backgroundSerial = controller.lastAcceptedSerial();
        QTRY_VERIFY(background.load() > 0);
        controller.pause(); // a paused background job still gives way
        // Another background job is refused; the user's is taken and the background one stops for it.
        QVERIFY(!controller.start(std::make_unique<CountingJob>(5, &other), JobPriority::Background));
        QVERIFY(controller.start(std::make_unique<CountingJob>(20, &user)));
        const int userSerial = controller.lastAcceptedSerial();
        QVERIFY(userSerial > backgroundSerial);
        // Only one job waits: a second user's job is refused, as over any user's job.
        QVERIFY(!controller.start(std::make_unique<CountingJob>(5, &other)));
        QTRY_COMPARE(idle.count(), 1); // once, after the user's job: none between the two
        QCOMPARE(user.load(), 20);
        QVERIFY(background.load() < LongJobSteps);
        QCOMPARE(other.load(), 0);
        QCOMPARE(started.count(), 2);
        QCOMPARE(ended.count(), 2);
        QCOMPARE(ended.at(0).at(0).toInt(), backgroundSerial);
        QCOMPARE(ended.at(1).at(0).toInt(), userSerial);
        // A background job never displaces the user's.
        QVERIFY(controller.start(std::make_unique<CountingJob>(LongJobSteps, &user)));
        QVERIFY(!controller.start(std::make_unique<CountingJob>(5, &other), JobPriority::Background));
        controller.stop();
        QTRY_COMPARE(idle.count(), 2);
        QCOMPARE(other.load(), 0);
    }

    void stopDropsAUserJobWaitingForABackgroundOne()
    {
        JobController controller;
        std::atomic<int> background {0}, user {0};
        QSignalSpy idle(&controller, &JobController::idle);
        QSignalSpy ended(&controller, &JobController::jobEnded);
        QVERIFY(controller.start(std::make_unique<CountingJob>(LongJobSteps, &background), JobPriority::Background));
        QTRY_VERIFY(background.load() > 0);
        // The background job ends only when this thread handles its finish, so the user's job is still waiting.
        QVERIFY(controller.start(std::make_unique<CountingJob>(20, &user)));
        const int userSerial = controller.lastAcceptedSerial();
        controller.stop();
        QCOMPARE(ended.count(), 1); // the waiting job ended at once, its panel's buttons with it
        QCOMPARE(ended.at(0).at(0).toInt(), userSerial);
        QTRY_COMPARE(idle.count(), 1);
        QCOMPARE(user.load(), 0);
    }

    void pauseHoldsAndResumeContinues()
    {
        JobController controller;
        std::atomic<int> done {0};
        QSignalSpy paused(&controller, &JobController::pausedChanged);
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        controller.start(std::make_unique<CountingJob>(300, &done));
        QTRY_VERIFY(done.load() > 5);
        controller.pause();
        QVERIFY(controller.isPaused());
        QCOMPARE(paused.count(), 1);
        QTest::qWait(50); // a step in flight may still finish
        const int held = done.load();
        QTest::qWait(200);
        QCOMPARE(done.load(), held); // nothing moves while paused
        controller.resume();
        QTRY_COMPARE(succeeded.count(), 1);
        QCOMPARE(done.load(), 300);
        QCOMPARE(paused.count(), 2);
    }

    void stopEndsTheJobEarly()
    {
        JobController controller;
        std::atomic<int> done {0};
        QSignalSpy stopped(&controller, &JobController::stopped);
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        controller.start(std::make_unique<CountingJob>(LongJobSteps, &done));
        QTRY_VERIFY(done.load() > 3);
        controller.stop();
        QTRY_COMPARE(stopped.count(), 1);
        QCOMPARE(succeeded.count(), 0);
        QVERIFY(done.load() < LongJobSteps);
    }

    void stopWakesAPausedJob()
    {
        JobController controller;
        std::atomic<int> done {0};
        QSignalSpy stopped(&controller, &JobController::stopped);
        controller.start(std::make_unique<CountingJob>(LongJobSteps, &done));
        QTRY_VERIFY(done.load() > 0);
        controller.pause();
        controller.stop();
        QTRY_COMPARE(stopped.count(), 1);
        QVERIFY(!controller.isPaused());
    }

    void exceptionsBecomeFailedWithTheMessage()
    {
        JobController controller;
        std::atomic<int> done {0};
        QSignalSpy failed(&controller, &JobController::failed);
        QSignalSpy idle(&controller, &JobController::idle);
        controller.start(std::make_unique<CountingJob>(50, &done, 7));
        QTRY_COMPARE(idle.count(), 1);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QString("step 7 broke"));
        QCOMPARE(done.load(), 7);
        // The controller is usable after a failure.
        QSignalSpy succeeded(&controller, &JobController::succeeded);
        QVERIFY(controller.start(std::make_unique<CountingJob>(3, &done)));
        QTRY_COMPARE(succeeded.count(), 1);
    }

    void shutdownMidJobIsOrderly()
    {
        std::atomic<int> done {0};
        QElapsedTimer timer;
        {
            JobController controller;
            controller.start(std::make_unique<CountingJob>(LongJobSteps, &done));
            QTRY_VERIFY(done.load() > 2);
            controller.pause(); // the hardest case: the worker sleeps on the pause condition
            timer.start();
        } // destructor: stop, wake, quit, wait
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY(done.load() < LongJobSteps);
    }

    void datasetJobDeliversTheDataset()
    {
        JobController controller;
        DatasetSpec spec;
        spec.kind = DatasetKind::Sprites;
        spec.ratio = 0.02;
        auto *job = new DatasetBuildJob(spec);
        DatasetHandle received;
        connect(job, &DatasetBuildJob::built, this, [&](const DatasetHandle &dataset) { received = dataset; });
        QSignalSpy idle(&controller, &JobController::idle);
        controller.start(std::unique_ptr<Job>(job));
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
        QVERIFY(received);
        QCOMPARE(received->dataset.numTargets(), 3);
        QVERIFY(received->train.conflicting > 0);
        QCOMPARE(received->train.aligned + received->train.conflicting, received->train.total);
    }

    void datasetJobReportsBadInput()
    {
        JobController controller;
        DatasetSpec spec;
        spec.kind = DatasetKind::ImageFolder;
        spec.path = "/nonexistent/untangle-folder";
        QSignalSpy failed(&controller, &JobController::failed);
        controller.start(std::make_unique<DatasetBuildJob>(spec));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(0).toString().contains("/nonexistent/untangle-folder"));
    }
};

QTEST_GUILESS_MAIN(TstJobController)
#include "tst_jobcontroller.moc"
