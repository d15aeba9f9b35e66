#include "jobbuttons.h"

#include "jobcontroller.h"

#include <QPushButton>

namespace untangle {

JobButtons::JobButtons(JobController *controller, std::initializer_list<QPushButton *> startButtons, QWidget *parent)
    : QObject(parent)
    , m_starts(startButtons)
    , m_stop(new QPushButton(tr("Stop"), parent))
{
    m_stop->setEnabled(false);
    connect(m_stop, &QPushButton::clicked, controller, &JobController::stop);
    connect(controller, &JobController::idle, this, [this] { setRunning(false); });
}

void JobButtons::markRunning()
{
    setRunning(true);
}

void JobButtons::setRunning(bool running)
{
    for (QPushButton *start : m_starts)
        start->setEnabled(!running);
    m_stop->setEnabled(running);
}

} // namespace untangle
