#pragma once

#include "latentframes.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>

namespace untangle {

class LatentRenderWorker;

/**
 * The interactive render thread (separate from the JobController's, which runs long jobs): owns a
 * LatentRenderWorker on its own QThread. request() never blocks and coalesces: the newest request wins.
 * All signals arrive on the thread that created the service (the GUI thread).
 */
class LatentRenderService : public QObject {
    Q_OBJECT

public:
    explicit LatentRenderService(QObject *parent = nullptr);
    ~LatentRenderService() override;

    /** Opens a generator on the render thread; answers with opened or openFailed. */
    void open(const QString &path);
    /** Replaces any request not yet started; returns the request's id. */
    std::uint64_t request(RenderRequest request);
    /** Runs work on the render thread with the open renderer (not at all when none is open). */
    void runWith(std::function<void(LatentRenderer &)> work);

    int framesRendered() const { return m_frames.load(); }
    std::uint64_t lastRequestId() const { return m_nextId - 1; }
    /** Stops the thread (also done by the destructor); further requests are dropped. */
    void shutdown();

signals:
    void opened(const untangle::GeneratorInfo &info, const QString &path);
    void openFailed(const QString &path, const QString &message);
    void rendered(const untangle::RenderFrame &frame);
    void renderFailed(const QString &message);

private:
    QThread m_thread;
    LatentRenderWorker *m_worker = nullptr;
    std::uint64_t m_nextId = 1;
    std::atomic<int> m_frames {0};
};

} // namespace untangle
