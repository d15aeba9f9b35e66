#pragma once

#include <QObject>
#include <QVector>

#include <initializer_list>

class QPushButton;
class QWidget;

namespace untangle {

class JobController;

/**
 * The Start / Stop pair every job panel has, bound to the JobController: the panel's start buttons (its main one
 * and any others, such as Resume…) are disabled while its job runs and Stop is enabled; both flip back when that
 * job ends (JobController::jobEnded), even if another job then starts. Stop asks the running job to stop at its next
 * step (it keeps its checkpoint).
 */
class JobButtons : public QObject {
    Q_OBJECT

public:
    JobButtons(JobController *controller, std::initializer_list<QPushButton *> startButtons, QWidget *parent);

    /** The Stop button, disabled until markRunning; the panel places it in its layout. */
    QPushButton *stop() const { return m_stop; }
    /** Call after this panel's job started. */
    void markRunning();

private:
    void setRunning(bool running);

    JobController *m_controller;
    QVector<QPushButton *> m_starts;
    QPushButton *m_stop;
    int m_serial = 0; // the controller's number for this panel's last job
};

} // namespace untangle
