#include "latentrenderworker.h"

#include "computeruntime.h"
#include "errortext.h"

#include <QElapsedTimer>

#include <exception>

namespace untangle {

LatentRenderWorker::LatentRenderWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RenderFrame>();
    qRegisterMetaType<GeneratorInfo>();
}

LatentRenderWorker::~LatentRenderWorker() = default;

bool LatentRenderWorker::post(const RenderRequest &request)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_pending)
        ++m_replaced;
    m_pending = request;
    const bool wake = !m_wakeQueued;
    m_wakeQueued = true;
    return wake;
}

void LatentRenderWorker::open(const QString &path)
{
    try {
        configureComputeThread(); // leaves the GUI a core; FTZ for this thread
        auto renderer = std::make_unique<LatentRenderer>(path.toStdString());
        m_renderer = std::move(renderer);
        m_cachedSeeds.clear();
        m_cachedOriginal.clear();
        emit opened(m_renderer->info(), path);
    } catch (const std::exception &error) {
        // The previous generator (if any) stays open: a bad file never leaves the explorer without one.
        emit openFailed(path, QString::fromStdString(conciseError(error)));
    }
}

const Matrix &LatentRenderWorker::stylesFor(const std::vector<std::uint64_t> &seeds, double psi)
{
    if (seeds != m_cachedSeeds || psi != m_cachedPsi || m_cachedOriginal.empty()) {
        m_cachedStyles = m_renderer->styles(seeds, psi);
        m_cachedOriginal = m_renderer->render(m_cachedStyles);
        m_cachedSeeds = seeds;
        m_cachedPsi = psi;
    }
    return m_cachedStyles;
}

void LatentRenderWorker::renderPending()
{
    RenderRequest request;
    int replaced = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_wakeQueued = false;
        if (!m_pending)
            return;
        request = std::move(*m_pending);
        m_pending.reset();
        replaced = m_replaced;
        m_replaced = 0;
    }
    if (!m_renderer)
        return;
    try {
        QElapsedTimer timer;
        timer.start();
        RenderFrame frame;
        frame.id = request.id;
        frame.skipped = replaced;
        const Matrix &styles = stylesFor(request.seeds, request.psi);
        frame.panels.push_back(m_cachedOriginal);
        for (const auto &shift : request.shifts)
            frame.panels.push_back(m_renderer->render(styles, shift));
        frame.renderMs = double(timer.nsecsElapsed()) / 1e6;
        emit rendered(frame);
    } catch (const std::exception &error) {
        emit renderFailed(QString::fromStdString(conciseError(error)));
    }
}

void LatentRenderWorker::runWith(const std::function<void(LatentRenderer &)> &work)
{
    if (m_renderer)
        work(*m_renderer);
}

} // namespace untangle
