#include "latentrenderservice.h"

#include "latentrenderworker.h"

namespace untangle {

LatentRenderService::LatentRenderService(QObject *parent)
    : QObject(parent)
    , m_worker(new LatentRenderWorker)
{
    m_thread.setObjectName("latent-render");
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &LatentRenderWorker::opened, this, &LatentRenderService::opened);
    connect(m_worker, &LatentRenderWorker::openFailed, this, &LatentRenderService::openFailed);
    connect(m_worker, &LatentRenderWorker::renderFailed, this, &LatentRenderService::renderFailed);
    connect(m_worker, &LatentRenderWorker::rendered, this, [this](const RenderFrame &frame) {
        ++m_frames;
        emit rendered(frame);
    });
    m_thread.start();
}

LatentRenderService::~LatentRenderService()
{
    shutdown();
}

void LatentRenderService::shutdown()
{
    if (!m_thread.isRunning())
        return;
    m_thread.quit();
    m_thread.wait();
}

void LatentRenderService::open(const QString &path)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, path] { worker->open(path); }, Qt::QueuedConnection);
}

std::uint64_t LatentRenderService::request(RenderRequest request)
{
    request.id = m_nextId++;
    if (m_thread.isRunning() && m_worker->post(request))
        QMetaObject::invokeMethod(m_worker, &LatentRenderWorker::renderPending, Qt::QueuedConnection);
    return request.id;
}

void LatentRenderService::runWith(std::function<void(LatentRenderer &)> work)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, work = std::move(work)] { worker->runWith(work); }, Qt::QueuedConnection);
}

} // namespace untangle
