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

bool JobController::start(std::unique_ptr<Job> owned)
{
    if (!owned || isBusy() || m_shutDown)
        return false; // the refused job is deleted here, its connections with it
    // From here the worker thread's event loop owns it: onJobFinished deletes it there (deleteLater).
    Job *job = owned.release();
    m_job = job;
    m_paused = false;
    job->moveToThread(&m_thread);
    connect(job, &Job::progress, this, &JobController::progress);
    connect(job, &Job::succeeded, this, &JobController::succeeded);
    connect(job, &Job::failed, this, &JobController::failed);
    connect(job, &Job::stopped, this, &JobController::stopped);
    connect(job, &Job::finished, this, &JobController::onJobFinished);
    emit started(job->title());
    QMetaObject::invokeMethod(job, &Job::run, Qt::QueuedConnection);
    return true;
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
}

} // namespace untangle
