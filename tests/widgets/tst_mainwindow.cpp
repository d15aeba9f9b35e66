// The main window: both workspaces and menus exist, choices survive a restart, closing mid-job is clean.
#include "datasetbuilderpage.h"
#include "datasetform.h"
#include "debiasworkspace.h"
#include "job.h"
#include "jobcontroller.h"
#include "latentworkspace.h"
#include "mainwindow.h"

#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QThread>
#include <QtTest>

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
        while (checkpoint())
            QThread::msleep(5);
        m_ended->store(true);
    }

private:
    std::atomic<bool> *m_ended;
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
        QCOMPARE(menus, (QStringList {"File", "View", "Help"}));
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
        window->show();
        QVERIFY(window->controller()->start(new EndlessJob(&ended)));
        QTest::qWait(30);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(window->close());
        QVERIFY(ended.load()); // the job ran to its stop point before close returned
        QVERIFY(timer.elapsed() < 3000);
        QVERIFY(!window->controller()->start(new EndlessJob(&ended))); // shut down: refuses new work
        delete window;
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
