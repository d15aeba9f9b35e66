#pragma once

#include "latentframes.h"

#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace untangle {

/**
 * Lives on the render thread and owns the LatentRenderer (not thread-safe, so only this thread touches it).
 * Requests go through a one-slot mailbox: post() overwrites any request that has not started yet, and at most one
 * wake-up is queued, so a burst of slider moves renders the newest state, never a backlog of stale frames.
 */
class LatentRenderWorker : public QObject {
    Q_OBJECT

public:
    explicit LatentRenderWorker(QObject *parent = nullptr);
    ~LatentRenderWorker() override;

    /** Any thread: replaces the pending request; true when the caller must queue a wake-up (renderPending). */
    bool post(const RenderRequest &request);

public slots:
    void open(const QString &path);
    void renderPending();
    /** Runs work with the open renderer on this thread (exports, traversals); skipped when none is open. */
    void runWith(const std::function<void(untangle::LatentRenderer &)> &work);

signals:
    void opened(const untangle::GeneratorInfo &info, const QString &path);
    void openFailed(const QString &path, const QString &message);
    void rendered(const untangle::RenderFrame &frame);
    void renderFailed(const QString &message);

private:
    const Matrix &stylesFor(const std::vector<std::uint64_t> &seeds, double psi);

    std::unique_ptr<LatentRenderer> m_renderer;
    std::mutex m_mutex;
    std::optional<RenderRequest> m_pending;
    bool m_wakeQueued = false;
    int m_replaced = 0;
    // The unedited grid is the same for every slider move: cached with its styles for the last seeds and psi.
    std::vector<std::uint64_t> m_cachedSeeds;
    double m_cachedPsi = -1.0;
    Matrix m_cachedStyles;
    std::vector<ImageU8> m_cachedOriginal;
};

} // namespace untangle
