#include "startupprobe.h"

#include "datasetbuilderpage.h"
#include "debiasworkspace.h"
#include "directionexplorer.h"
#include "latentworkspace.h"
#include "mainwindow.h"

#include <QEvent>
#include <QTimer>
#include <QWindow>

#include <cstdio>

namespace untangle {

StartupProbe::StartupProbe(MainWindow *window, const QElapsedTimer &sinceStart, bool latent)
    : QObject(window)
    , m_window(window)
    , m_sinceStart(sinceStart)
{
    window->winId(); // creates the native window so its QWindow exists before show()
    window->windowHandle()->installEventFilter(this);
    auto shown = [this](const char *key) {
        if (m_contentMs >= 0)
            return;
        m_contentMs = m_sinceStart.nsecsElapsed() / 1e6;
        std::printf("%s %.1f\n", key, m_contentMs);
        std::fflush(stdout);
        finishIfDone();
    };
    if (latent) {
        connect(window->latent()->explorer(), &DirectionExplorer::frameShown, this,
            [shown] { shown("first_latent_frame_ms"); });
        // A shipped generator that fails to open is reported as such, never timed as a frame.
        connect(window->latent()->explorer(), &DirectionExplorer::generatorFailed, this,
            [shown] { shown("latent_generator_failed_ms"); });
        return;
    }
    auto *page = window->debias()->datasetBuilder();
    connect(page, &DatasetBuilderPage::datasetBuilt, this, [shown] { shown("first_dataset_ms"); });
    connect(page, &DatasetBuilderPage::buildFailed, this, [shown] { shown("first_dataset_ms"); });
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
    if (m_exposedMs < 0 || m_contentMs < 0)
        return;
    m_window->close();
}

} // namespace untangle
