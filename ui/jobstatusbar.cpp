#include "jobstatusbar.h"

#include "durationtext.h"
#include "jobcontroller.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

namespace untangle {
namespace {
constexpr int ShowDelayMs = 250; // below this a job feels instant; showing a progress bar would only flicker
constexpr int MessageMs = 6000; // how long an end-of-job message stays
} // namespace

JobStatusBar::JobStatusBar(JobController *controller, QStatusBar *bar)
    : QObject(bar)
    , m_controller(controller)
    , m_bar(bar)
{
    m_message = new QLabel(bar);
    m_progress = new QProgressBar(bar);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_pause = new QPushButton(tr("Pause"), bar);
    m_stop = new QPushButton(tr("Stop"), bar);
    bar->addPermanentWidget(m_message);
    bar->addPermanentWidget(m_progress);
    bar->addPermanentWidget(m_pause);
    bar->addPermanentWidget(m_stop);
    m_showDelay = new QTimer(this);
    m_showDelay->setSingleShot(true);
    m_showDelay->setInterval(ShowDelayMs);
    setRunningVisible(false);

    connect(m_showDelay, &QTimer::timeout, this, [this] {
        if (m_controller->isBusy())
            setRunningVisible(true);
    });
    connect(controller, &JobController::started, this, [this](const QString &title) {
        m_lastMessage = title;
        m_timeLeft.clear();
        m_clock.start();
        m_pausedMs = 0;
        showMessageText();
        m_progress->setValue(0);
        m_showDelay->start();
    });
    connect(controller, &JobController::progress, this, [this](double fraction, const QString &message) {
        m_progress->setValue(int(fraction * 1000));
        if (!message.isEmpty())
            m_lastMessage = message;
        m_timeLeft = timeLeftText(fraction, m_clock.elapsed() - m_pausedMs);
        showMessageText();
    });
    connect(controller, &JobController::pausedChanged, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        if (paused)
            m_pausedSince = m_clock.elapsed();
        else
            m_pausedMs += m_clock.elapsed() - m_pausedSince; // a pause is not time the job needs
        showMessageText();
    });
    connect(m_pause, &QPushButton::clicked, this,
        [this] { m_controller->isPaused() ? m_controller->resume() : m_controller->pause(); });
    connect(m_stop, &QPushButton::clicked, controller, &JobController::stop);
    connect(controller, &JobController::failed, this, [this](const QString &message) {
        m_bar->showMessage(tr("Failed: %1").arg(message.section('\n', 0, 0)), MessageMs);
    });
    connect(controller, &JobController::stopped, this, [this] { m_bar->showMessage(tr("Stopped"), MessageMs); });
    connect(controller, &JobController::idle, this, [this] {
        m_showDelay->stop();
        setRunningVisible(false);
    });
}

void JobStatusBar::showMessageText()
{
    // A paused job may still report the step it had begun; the word "Paused" says that nothing else moves.
    if (m_controller->isPaused())
        m_message->setText(tr("Paused: %1").arg(m_lastMessage));
    else
        m_message->setText(m_timeLeft.isEmpty() ? m_lastMessage : tr("%1 · %2").arg(m_lastMessage, m_timeLeft));
}

void JobStatusBar::setRunningVisible(bool visible)
{
    m_message->setVisible(visible);
    m_progress->setVisible(visible);
    m_pause->setVisible(visible);
    m_stop->setVisible(visible);
}

} // namespace untangle
