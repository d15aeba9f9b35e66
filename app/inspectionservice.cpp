#include "inspectionservice.h"

#include <utility>

namespace untangle {

void InspectorHandOver::put(std::shared_ptr<RunInspector> inspector)
{
    std::shared_ptr<RunInspector> previous;
    {
        const std::lock_guard lock(m_mutex);
        previous = std::exchange(m_inspector, std::move(inspector));
    }
    // previous (never taken) is released here, outside the lock, on the putting thread that also built it
}

std::shared_ptr<RunInspector> InspectorHandOver::take()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_inspector, nullptr);
}

InspectionService::InspectionService(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ImageInspection>();
}

InspectionService::~InspectionService()
{
    shutdown();
}

void InspectionService::shutdown()
{
    // The models are freed where they ran, before the thread ends.
    m_thread.stop([this] {
        m_inspector.reset();
        m_handOver->take();
    });
}

std::uint64_t InspectionService::inspect(ImageInspectionRequest request)
{
    request.id = ++m_latest;
    const std::uint64_t id = request.id;
    m_thread.post([this, request = std::move(request)] {
        if (auto fresh = m_handOver->take())
            m_inspector = std::move(fresh); // the previous run's models are released here, on this thread
        if (request.id != m_latest.load())
            return; // a newer request is queued behind this one
        if (!m_inspector) {
            emit failed(request.id, tr("No run's models are loaded."));
            return;
        }
        try {
            emit inspected(inspectImage(*m_inspector, request));
        } catch (const std::exception &error) {
            emit failed(request.id, QString::fromUtf8(error.what()));
        }
    });
    return id;
}

} // namespace untangle
