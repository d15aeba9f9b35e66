#include "inspectionservice.h"

#include "computeruntime.h"

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
    , m_context(new QObject)
{
    qRegisterMetaType<ImageInspection>();
    m_thread.setObjectName("inspection");
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_context, [] { configureComputeThread(); }, Qt::QueuedConnection);
}

InspectionService::~InspectionService()
{
    shutdown();
}

void InspectionService::shutdown()
{
    if (!m_thread.isRunning())
        return;
    // The models are freed where they ran, before the thread ends.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_inspector.reset();
            m_handOver->take();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

std::uint64_t InspectionService::inspect(ImageInspectionRequest request)
{
    request.id = ++m_latest;
    if (!m_thread.isRunning())
        return request.id;
    QMetaObject::invokeMethod(
        m_context,
        [this, request = std::move(request)] {
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
        },
        Qt::QueuedConnection);
    return request.id;
}

} // namespace untangle
