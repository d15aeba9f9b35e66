#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace untangle {

class Job;

/** Who asked for a job: the user, or the app on its own (naming a generator's directions when it opens). */
enum class JobPriority {
    User,
    Background, // gives way: a user's job started meanwhile stops it and runs once it has stopped
};

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

    /**
     * Takes the job and starts it. When another job is running: a user's job over a background one is accepted, the
     * background job is asked to stop, and the user's starts once it has (nothing waits on the GUI thread);
     * otherwise the job is refused (and deleted). A newcomer's first click must not meet "another job is running"
     * for work it never asked for.
     */
    bool start(std::unique_ptr<Job> job, JobPriority priority = JobPriority::User);
    bool isBusy() const { return !m_job.isNull(); }
    /** The number start() gave the last job it accepted (from 1): jobEnded(serial) says when that one ended. */
    int lastAcceptedSerial() const { return m_serial; }
    bool isPaused() const { return m_paused; }
    QString currentTitle() const;

public slots:
    void pause();
    void resume();
    /** Asks the running job to stop at its next step; a user's job waiting for a background one never starts. */
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
    /** After any end (success, failure, stop) of the job start() numbered serial, before the next one starts. */
    void jobEnded(int serial);
    /** After any end with no job waiting: the controller accepts a new job. */
    void idle();

private:
    void run(Job *job, int serial, JobPriority priority);
    void onJobFinished();

    QThread m_thread;
    QPointer<Job> m_job;
    int m_jobSerial = 0;
    JobPriority m_priority = JobPriority::User;
    std::unique_ptr<Job> m_waiting; // a user's job waiting for a background one to stop
    int m_waitingSerial = 0;
    int m_serial = 0;
    bool m_paused = false;
    bool m_shutDown = false;
};

} // namespace untangle
