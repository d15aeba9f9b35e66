#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace untangle {

class Job;

/**
 * Owns the worker thread and runs one Job at a time on it. Lives in the GUI thread; all its signals arrive there.
 * Shutdown is always the same path: stop, wake, quit, wait (also from the destructor), so closing the window in
 * the middle of a job is orderly.
 */
class JobController : public QObject {
    Q_OBJECT

public:
    explicit JobController(QObject *parent = nullptr);
    ~JobController() override;

    /** Takes the job and starts it; refuses (and deletes the job) when another job is running. */
    bool start(std::unique_ptr<Job> job);
    bool isBusy() const { return !m_job.isNull(); }
    bool isPaused() const { return m_paused; }
    QString currentTitle() const;

public slots:
    void pause();
    void resume();
    void stop();
    /** Stops any job and ends the worker thread; the controller can't run jobs afterwards. */
    void shutdown();

signals:
    void started(const QString &title);
    void progress(double fraction, const QString &message);
    void pausedChanged(bool paused);
    void succeeded();
    void failed(const QString &message);
    void stopped();
    /** After any end (success, failure, stop): the controller accepts a new job. */
    void idle();

private:
    void onJobFinished();

    QThread m_thread;
    QPointer<Job> m_job;
    bool m_paused = false;
    bool m_shutDown = false;
};

} // namespace untangle
