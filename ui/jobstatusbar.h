#pragma once

#include <QElapsedTimer>
#include <QObject>

class QLabel;
class QProgressBar;
class QPushButton;
class QStatusBar;
class QTimer;

namespace untangle {

class JobController;

/**
 * Puts the controller's state into a status bar: what runs, a progress bar, Pause/Resume and Stop. The progress
 * widgets appear only when a job has run for a moment, so instant jobs (a CMNIST-10k rebuild) don't flicker.
 */
class JobStatusBar : public QObject {
    Q_OBJECT

public:
    JobStatusBar(JobController *controller, QStatusBar *bar);

    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *stopButton() const { return m_stop; }

private:
    void setRunningVisible(bool visible);
    void showMessageText();

    JobController *m_controller;
    QStatusBar *m_bar;
    QLabel *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_stop = nullptr;
    QTimer *m_showDelay = nullptr;
    QString m_lastMessage; // the job's title, then its last progress message
    QString m_timeLeft; // "about 3 min 10 s left", once the share done says enough
    QElapsedTimer m_clock; // since the job started
    qint64 m_pausedMs = 0; // of that, paused
    qint64 m_pausedSince = 0;
};

} // namespace untangle
