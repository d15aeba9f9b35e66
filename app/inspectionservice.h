#pragma once

#include "imageinspection.h"
#include "modelthread.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace untangle {

/**
 * Where the inspection job (on the worker thread) leaves a run's models for the InspectionService to take on its
 * own thread. Shared by both, so neither outliving the other leaves a dangling pointer.
 */
class InspectorHandOver {
public:
    void put(std::shared_ptr<RunInspector> inspector);
    /** The models put since the last take, or null. */
    std::shared_ptr<RunInspector> take();

private:
    std::mutex m_mutex;
    std::shared_ptr<RunInspector> m_inspector;
};

/**
 * The Inspect page's inference thread: it owns the loaded run's models (a RunInspector holds live LibTorch
 * modules), so the GUI thread sends images and receives value types (DESIGN: only value types cross threads).
 * inspect() never blocks; a request that a newer one overtook before it started is skipped, so a burst of clicks
 * computes the last image only. Answers arrive on the thread that created the service.
 */
class InspectionService : public QObject {
    Q_OBJECT

public:
    explicit InspectionService(QObject *parent = nullptr);
    ~InspectionService() override;

    /** Where a job puts newly loaded models; the next request takes them on the service thread. */
    std::shared_ptr<InspectorHandOver> handOver() const { return m_handOver; }
    /** Queues a request and returns its id. */
    std::uint64_t inspect(ImageInspectionRequest request);
    std::uint64_t lastRequestId() const { return m_latest.load(); }
    /** Releases the models on the service thread and stops it (the destructor does this too). */
    void shutdown();

signals:
    void inspected(const untangle::ImageInspection &answer);
    void failed(quint64 id, const QString &message);

private:
    ModelThread m_thread {QStringLiteral("inspection")};
    std::shared_ptr<InspectorHandOver> m_handOver = std::make_shared<InspectorHandOver>();
    std::shared_ptr<RunInspector> m_inspector; // touched only by work posted to m_thread
    std::atomic<std::uint64_t> m_latest {0};
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::ImageInspection)
