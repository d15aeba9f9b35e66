// The main window: both workspaces and menus exist, choices survive a restart, closing mid-job is clean.
#include "datasetbuilderpage.h"
#include "datasetform.h"
#include "debiasworkspace.h"
#include "directioncomputepanel.h"
#include "durationtext.h"
#include "job.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "mainwindow.h"

#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace untangle;

namespace {

class EndlessJob : public Job {
public:
    explicit EndlessJob(std::atomic<bool> *ended)
        : Job("endless")
        , m_ended(ended)
    {
    }

protected:
    void execute() override
    {
        while (shouldContinue())
            QThread::msleep(5);
        m_ended->store(true);
    }

private:
    std::atomic<bool> *m_ended;
};

/** Fails at once, as an export into a read-only folder would. */
class FailingJob : public Job {
public:
    FailingJob()
        : Job("Exporting LfF format")
    {
    }

protected:
    void execute() override { throw std::runtime_error("could not write /read-only/images.npy"); }
};

} // namespace

class TstMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("UntangleTest");
        QCoreApplication::setApplicationName("untangle-test");
        QSettings().clear();
    }

    void hasWorkspacesAndMenus()
    {
        MainWindow window;
        QCOMPARE(window.workspaces()->count(), 2);
        QCOMPARE(window.workspaces()->tabText(0), QString("Debias"));
        QCOMPARE(window.workspaces()->tabText(1), QString("Latent"));
        QStringList menus;
        for (QAction *action : window.menuBar()->actions())
            menus << action->text().remove('&');
        QCOMPARE(menus, (QStringList {"File", "Data", "View", "Help"}));
    }

    void theDebiasDatasetIsBuiltWhenItsWorkspaceIsFirstShown()
    {
        MainWindow window;
        window.workspaces()->setCurrentWidget(window.latent());
        window.start();
        auto *builder = window.debias()->datasetBuilder();
        QCOMPARE(builder->buildsStarted(), 0); // a Latent launch leaves the machine to the generator
        window.workspaces()->setCurrentWidget(window.debias());
        QCOMPARE(builder->buildsStarted(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isBusy(), 60000);
        window.workspaces()->setCurrentWidget(window.latent());
        window.workspaces()->setCurrentWidget(window.debias());
        QCOMPARE(builder->buildsStarted(), 1); // once, not on every visit

        MainWindow debiasFirst;
        debiasFirst.workspaces()->setCurrentWidget(debiasFirst.debias());
        debiasFirst.start();
        QCOMPARE(debiasFirst.debias()->datasetBuilder()->buildsStarted(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!debiasFirst.controller()->isBusy(), 60000);
    }

    void choicesSurviveARestart()
    {
        {
            MainWindow window;
            DatasetSpec spec;
            spec.kind = DatasetKind::Sprites;
            spec.ratio = 0.035;
            spec.seed = 42;
            window.debias()->datasetBuilder()->form()->setSpec(spec);
            window.workspaces()->setCurrentIndex(1);
            window.close();
        }
        MainWindow again;
        const DatasetSpec spec = again.debias()->datasetBuilder()->form()->spec();
        QCOMPARE(spec.kind, DatasetKind::Sprites);
        QCOMPARE(spec.ratio, 0.035);
        QCOMPARE(spec.seed, std::uint64_t(42));
        QCOMPARE(again.workspaces()->currentIndex(), 1);
    }

    void closingMidJobStopsItCleanly()
    {
        std::atomic<bool> ended {false};
        auto *window = new MainWindow;
        window->setStopQuestion([](const QString &) { return true; }); // "Stop and keep the run"
        window->show();
        QVERIFY(window->controller()->start(std::make_unique<EndlessJob>(&ended)));
        QTest::qWait(30);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(window->close());
        QVERIFY(ended.load()); // the job ran to its stop point before close returned
        QVERIFY(timer.elapsed() < 3000);
        QVERIFY(!window->controller()->start(std::make_unique<EndlessJob>(&ended))); // shut down: refuses new work
        delete window;
    }

    void pausedJobSaysSoInTheStatusBar()
    {
        std::atomic<bool> ended {false};
        MainWindow window;
        window.show();
        QVERIFY(window.controller()->start(std::make_unique<EndlessJob>(&ended)));
        const auto message = [&window] {
            for (const QLabel *label : window.statusBar()->findChildren<QLabel *>())
                if (label->text().contains("endless"))
                    return label->text();
            return QString();
        };
        QCOMPARE(message(), QString("endless"));
        window.controller()->pause();
        QCOMPARE(message(), QString("Paused: endless"));
        window.controller()->resume();
        QCOMPARE(message(), QString("endless"));
        window.controller()->stop();
        QTRY_VERIFY(ended.load());
    }

    void timeLeftIsGuessedOnlyFromEnoughWork()
    {
        QCOMPARE(timeLeftText(0.25, 60000), QString("about 3 min 00 s left")); // a quarter in a minute
        QCOMPARE(timeLeftText(0.5, 3600000), QString("about 1 h 0 min left"));
        QCOMPARE(timeLeftText(0.8, 16000), QString("about 4 s left")); // under a minute: seconds alone
        QVERIFY(timeLeftText(0.01, 60000).isEmpty()); // too little done to say
        QVERIFY(timeLeftText(0.5, 5000).isEmpty()); // too soon
        QVERIFY(timeLeftText(1.0, 60000).isEmpty()); // done
        QVERIFY(timeLeftText(std::nan(""), 60000).isEmpty());
    }

    void closingMidJobAsksAndCancelKeepsTheJob()
    {
        std::atomic<bool> ended {false};
        QStringList asked;
        bool stop = false;
        auto question = [&](const QString &title) {
            asked << title;
            return stop;
        };
        {
            MainWindow idle;
            idle.setStopQuestion(question);
            idle.show();
            QVERIFY(idle.close()); // nothing running: closes without a question
            QVERIFY(asked.isEmpty());
        }

        MainWindow window;
        window.setStopQuestion(question);
        window.show();
        QVERIFY(window.controller()->start(std::make_unique<EndlessJob>(&ended)));
        QVERIFY(!window.close()); // Cancel: the window stays and the job goes on
        QCOMPARE(asked, QStringList {"endless"});
        QVERIFY(window.isVisible());
        QTest::qWait(30);
        QVERIFY(window.controller()->isBusy());
        QVERIFY(!ended.load());

        stop = true; // Stop and keep the run: the job ends before the window does
        QVERIFY(window.close());
        QCOMPARE(asked.size(), 2);
        QVERIFY(ended.load());
        QVERIFY(!window.isVisible());
    }

    void scriptedRunsCloseWithoutAsking()
    {
        std::atomic<bool> ended {false};
        MainWindow window;
        int asked = 0;
        window.setStopQuestion([&](const QString &) {
            ++asked;
            return false;
        });
        window.setAskBeforeClosing(false); // what --grab and --report set: nobody is there to answer
        window.show();
        QVERIFY(window.controller()->start(std::make_unique<EndlessJob>(&ended)));
        QVERIFY(window.close());
        QCOMPARE(asked, 0);
        QVERIFY(ended.load());
    }

    void anotherPagesFailureStaysOnItsPage()
    {
        // The Compute tab once showed the Dataset page's export error: every failure reached every status line.
        MainWindow window;
        const QString before = window.latent()->compute()->statusText();
        QSignalSpy failed(window.controller(), &JobController::failed);
        QVERIFY(window.controller()->start(std::make_unique<FailingJob>()));
        QTRY_COMPARE(failed.count(), 1);
        QTRY_VERIFY(!window.controller()->isBusy());
        QCOMPARE(window.latent()->compute()->statusText(), before);
        QVERIFY(!window.latent()->compute()->statusText().contains("read-only"));
    }

    void latentSpriteFollowsTheSliders()
    {
        MainWindow window;
        LatentWorkspace *latent = window.latent();
        const QImage before = latent->spriteImage();
        latent->factorSlider(3)->setValue(0); // x to the far left
        const QImage after = latent->spriteImage();
        QVERIFY(!before.isNull());
        QVERIFY(before != after);
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
