#pragma once

#include <QElapsedTimer>
#include <QObject>

namespace untangle {

class MainWindow;

/**
 * Measures a cold start for the benchmark: milliseconds from process start to the window's first expose and to
 * the first content on screen, each printed when it happens: "startup_ms X", then "first_dataset_ms Y" (the Debias
 * workspace) or, with latent, "first_latent_frame_ms Y" (the shipped generator's first rendered frame in the Latent
 * workspace; "latent_generator_failed_ms Y" when it cannot open); then closes the window.
 */
class StartupProbe : public QObject {
    Q_OBJECT

public:
    StartupProbe(MainWindow *window, const QElapsedTimer &sinceStart, bool latent);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void finishIfDone();

    MainWindow *m_window;
    QElapsedTimer m_sinceStart;
    double m_exposedMs = -1.0;
    double m_contentMs = -1.0; // the first dataset, or the first latent frame
};

} // namespace untangle
