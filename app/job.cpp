#include "job.h"

#include <QElapsedTimer>

#include <memory>

#include "dataerror.h"
#include "errortext.h"

#include <exception>

namespace untangle {

Job::Job(const QString &title, QObject *parent)
    : QObject(parent)
    , m_title(title)
{
}

void Job::requestStop()
{
    m_stop.store(true);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_wake.notify_all(); // a paused job must wake up to notice the stop
}

void Job::setPaused(bool paused)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_paused = paused;
    m_wake.notify_all();
}

bool Job::isPaused() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_paused;
}

ProgressFn Job::throttledProgress(const QString &stage, double scale, double offset)
{
    constexpr qint64 IntervalMs = 100;
    auto since = std::make_shared<QElapsedTimer>();
    since->start();
    return [this, since, stage, scale, offset](double fraction, const std::string &what) {
        if (since->elapsed() >= IntervalMs) {
            since->restart();
            const QString text = QString::fromStdString(what);
            emit progress(offset + scale * fraction, stage.isEmpty() ? text : stage + ": " + text);
        }
        return shouldContinue();
    };
}

bool Job::shouldContinue()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_wake.wait(lock, [this] { return !m_paused || m_stop.load(); });
    return !m_stop.load();
}

void Job::run()
{
    try {
        execute();
        if (m_stop.load())
            emit stopped();
        else
            emit succeeded();
    } catch (const Cancelled &) {
        emit stopped();
    } catch (const std::exception &error) {
        emit failed(QString::fromStdString(conciseError(error))); // no torch backtrace in a dialog
    } catch (...) {
        emit failed(tr("%1 failed with an unknown error").arg(m_title));
    }
    emit finished();
}

} // namespace untangle
