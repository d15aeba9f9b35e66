#pragma once

#include <QString>
#include <QThread>

#include <functional>

namespace untangle {

/**
 * A thread of its own for one model object that holds live LibTorch modules (a run's models, a score network), so
 * the GUI thread never runs or frees them (DESIGN: only value types cross threads). Work posted here runs in order
 * on that thread; the model is a member of the owning service that only posted work touches.
 */
class ModelThread {
public:
    explicit ModelThread(const QString &name);
    ~ModelThread();
    ModelThread(const ModelThread &) = delete;
    ModelThread &operator=(const ModelThread &) = delete;

    /** Queues work on the thread; dropped once stopped. */
    void post(std::function<void()> work);
    /** Runs cleanUp on the thread (the owner frees its model there) and waits, then ends the thread. */
    void stop(const std::function<void()> &cleanUp = {});
    bool isRunning() const { return m_thread.isRunning(); }

private:
    QThread m_thread;
    QObject *m_context; // lives on m_thread: the queue work is posted to
};

} // namespace untangle
