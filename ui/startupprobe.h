#pragma once

#include <QElapsedTimer>
#include <QObject>

namespace untangle {

class MainWindow;

/**
 * Measures a cold start for the benchmark: milliseconds from process start to the window's first expose and to
 * the first dataset on screen, each printed when it happens ("startup_ms X", "first_dataset_ms Y"); then closes
 * the window.
 */
class StartupProbe : public QObject {
    Q_OBJECT

public:
    StartupProbe(MainWindow *window, const QElapsedTimer &sinceStart);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void finishIfDone();

    MainWindow *m_window;
    QElapsedTimer m_sinceStart;
    double m_exposedMs = -1.0;
    double m_datasetMs = -1.0;
};

} // namespace untangle
