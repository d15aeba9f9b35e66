#pragma once

#include <QMainWindow>

class QMenu;
class QTabWidget;

namespace untangle {

class DebiasWorkspace;
class JobController;
class JobStatusBar;
class LatentWorkspace;

/** The one window: Debias and Latent workspaces, menus, and a status bar that shows and stops jobs. */
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    JobController *controller() const { return m_controller; }
    QTabWidget *workspaces() const { return m_workspaces; }
    DebiasWorkspace *debias() const { return m_debias; }
    LatentWorkspace *latent() const { return m_latent; }
    JobStatusBar *jobStatus() const { return m_jobStatus; }

    /** Starts the first dataset build (kept out of the constructor so a test can connect to it first). */
    void start();
    /** Opens a run folder in the Debias workspace; false (and a message box unless quiet) when it is not a run. */
    bool openRunFolder(const QString &dir, bool quiet = false);
    /** What a dropped path or `untangle PATH` does: a generator opens in Latent, anything else as a debias run. */
    bool openPath(const QString &path, bool quiet = false);
    /** Opens a generator (run folder, generator.pt, TorchScript) in the Latent workspace. */
    void openGenerator(const QString &path);
    /** Most recent first, at most MaxRecentGenerators (QSettings "latent/recentGenerators"). */
    QStringList recentGenerators() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void restoreSettings();
    void saveSettings() const;
    void showAbout();
    void rememberGenerator(const QString &path);
    void fillRecentGenerators();

    JobController *m_controller = nullptr;
    QTabWidget *m_workspaces = nullptr;
    DebiasWorkspace *m_debias = nullptr;
    LatentWorkspace *m_latent = nullptr;
    JobStatusBar *m_jobStatus = nullptr;
    QMenu *m_recentGenerators = nullptr;
};

} // namespace untangle
