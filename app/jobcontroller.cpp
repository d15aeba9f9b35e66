#include "jobcontroller.h"

#include "job.h"

namespace untangle {

JobController::JobController(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("untangle-worker"));
    m_thread.start();
}

JobController::~JobController()
{
    shutdown();
}

bool JobController::start(std::unique_ptr<Job> owned, JobPriority priority)
{
    if (!owned || m_shutDown)
        return false; // the refused job is deleted here, its connections with it
    if (isBusy()) {
        if (priority != JobPriority::User || m_priority != JobPriority::Background || m_waiting)
            return false;
        m_waiting = std::move(owned);
        m_waitingSerial = ++m_serial;
        m_job->requestStop(); // also wakes it if paused; onJobFinished starts the waiting job
        return true;
    }
    run(owned.release(), ++m_serial, priority);
    return true;
}

void JobController::run(Job *job, int serial, JobPriority priority)
{
    // From here the worker thread's event loop owns it: onJobFinished deletes it there (deleteLater).
    m_job = job;
    m_jobSerial = serial;
    m_priority = priority;
    m_paused = false;
    job->moveToThread(&m_thread);
    connect(job, &Job::progress, this, &JobController::progress);
    connect(job, &Job::succeeded, this, &JobController::succeeded);
    connect(job, &Job::failed, this, &JobController::failed);
    connect(job, &Job::stopped, this, &JobController::stopped);
    connect(job, &Job::finished, this, &JobController::onJobFinished);
    emit started(job->title());
    QMetaObject::invokeMethod(job, &Job::run, Qt::QueuedConnection);
}

QString JobController::currentTitle() const
{
    return m_job ? m_job->title() : QString();
}

void JobController::pause()
{
    if (!m_job || m_paused)
        return;
    m_paused = true;
    m_job->setPaused(true);
    emit pausedChanged(true);
}

void JobController::resume()
{
    if (!m_job || !m_paused)
        return;
    m_paused = false;
    m_job->setPaused(false);
    emit pausedChanged(false);
}

void JobController::stop()
{
    if (m_waiting) { // the user's job never started: it ends here, its panel's buttons with it
        m_waiting.reset();
        emit jobEnded(m_waitingSerial);
    }
    if (m_job)
        m_job->requestStop();
}

void JobController::onJobFinished()
{
    Job *job = qobject_cast<Job *>(sender());
    if (!job || job != m_job || m_shutDown)
        return;
    m_job.clear();
    job->deleteLater(); // deleted by the worker thread's event loop, where it lives
    if (m_paused) {
        m_paused = false;
        emit pausedChanged(false);
    }
    emit jobEnded(m_jobSerial);
    if (m_waiting) {
        run(m_waiting.release(), m_waitingSerial, JobPriority::User);
        return;
    }
    emit idle();
}

void JobController::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    if (m_job)
        m_job->requestStop();
    m_thread.quit(); // the event loop ends once the running job returns from its next checkpoint
    m_thread.wait();
    delete m_job.data(); // the thread is gone: its queued deleteLater will never run
    m_waiting.reset();
}

} // namespace untangle
