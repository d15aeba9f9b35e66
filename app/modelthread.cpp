#include "modelthread.h"

#include "computeruntime.h"

namespace untangle {

ModelThread::ModelThread(const QString &name)
    : m_context(new QObject)
{
    m_thread.setObjectName(name);
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    post([] { configureComputeThread(); }); // leaves the GUI a core; flush-to-zero on this thread
}

ModelThread::~ModelThread()
{
    stop();
}

void ModelThread::post(std::function<void()> work)
{
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void ModelThread::stop(const std::function<void()> &cleanUp)
{
    if (!m_thread.isRunning())
        return;
    if (cleanUp)
        QMetaObject::invokeMethod(m_context, cleanUp, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace untangle
