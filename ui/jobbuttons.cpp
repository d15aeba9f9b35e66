#include "jobbuttons.h"

#include "jobcontroller.h"

#include <QPushButton>

namespace untangle {

JobButtons::JobButtons(JobController *controller, std::initializer_list<QPushButton *> startButtons, QWidget *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_starts(startButtons)
    , m_stop(new QPushButton(tr("Stop"), parent))
{
    m_stop->setEnabled(false);
    connect(m_stop, &QPushButton::clicked, controller, &JobController::stop);
    // This panel's job, not any: a user's job that took over from a background one must keep its Stop button.
    connect(controller, &JobController::jobEnded, this, [this](int serial) {
        if (serial == m_serial)
            setRunning(false);
    });
}

void JobButtons::markRunning()
{
    m_serial = m_controller->lastAcceptedSerial();
    setRunning(true);
}

void JobButtons::setRunning(bool running)
{
    for (QPushButton *start : m_starts)
        start->setEnabled(!running);
    m_stop->setEnabled(running);
}

} // namespace untangle
