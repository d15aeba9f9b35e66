#pragma once

#include "progress.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace untangle {

/**
 * One long piece of work that runs on the controller's worker thread. Subclasses implement execute() and call
 * shouldContinue() between units of work (batches, images): it blocks while paused and returns false once a stop was
 * requested. Every exception is caught here and reported as failed(); a model/ Cancelled becomes stopped().
 * Exactly one of succeeded / failed / stopped is emitted, then finished.
 */
class Job : public QObject {
    Q_OBJECT

public:
    explicit Job(const QString &title, QObject *parent = nullptr);

    QString title() const { return m_title; }

    // Thread-safe controls, called from the GUI thread while execute() runs on the worker.
    void requestStop();
    void setPaused(bool paused);
    bool isPaused() const;
    bool isStopRequested() const { return m_stop.load(); }

public slots:
    /** Entry point on the worker thread. */
    void run();

signals:
    void progress(double fraction, const QString &message);
    void succeeded();
    void failed(const QString &message);
    void stopped();
    void finished();

protected:
    virtual void execute() = 0;
    /** Blocks while paused; false when the job should stop now. */
    bool shouldContinue();
    /**
     * A model/ progress callback for one stage of the job: it polls pause and stop on every call and forwards at
     * most ten updates a second (a status bar needs no more) as progress(offset + scale * fraction, "stage: what",
     * or just "what" when stage is empty).
     */
    ProgressFn throttledProgress(const QString &stage = {}, double scale = 1.0, double offset = 0.0);

private:
    QString m_title;
    std::atomic<bool> m_stop {false};
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_paused = false;
};

} // namespace untangle
