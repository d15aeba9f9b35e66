#include "startupprobe.h"

#include "datasetbuilderpage.h"
#include "debiasworkspace.h"
#include "mainwindow.h"

#include <QEvent>
#include <QTimer>
#include <QWindow>

#include <cstdio>

namespace untangle {

StartupProbe::StartupProbe(MainWindow *window, const QElapsedTimer &sinceStart)
    : QObject(window)
    , m_window(window)
    , m_sinceStart(sinceStart)
{
    window->winId(); // creates the native window so its QWindow exists before show()
    window->windowHandle()->installEventFilter(this);
    auto *page = window->debias()->datasetBuilder();
    auto done = [this] {
        m_datasetMs = m_sinceStart.nsecsElapsed() / 1e6;
        std::printf("first_dataset_ms %.1f\n", m_datasetMs);
        std::fflush(stdout);
        finishIfDone();
    };
    connect(page, &DatasetBuilderPage::datasetBuilt, this, done);
    connect(page, &DatasetBuilderPage::buildFailed, this, done);
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Expose && m_exposedMs < 0) {
        // The expose event precedes the first paint by one event-loop turn; count that turn too.
        QTimer::singleShot(0, this, [this] {
            m_exposedMs = m_sinceStart.nsecsElapsed() / 1e6;
            std::printf("startup_ms %.1f\n", m_exposedMs);
            std::fflush(stdout);
            finishIfDone();
        });
    }
    return QObject::eventFilter(watched, event);
}

void StartupProbe::finishIfDone()
{
    if (m_exposedMs < 0 || m_datasetMs < 0)
        return;
    m_window->close();
}

} // namespace untangle
