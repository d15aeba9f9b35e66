#pragma once

#include <QMainWindow>

#include <functional>

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

    /**
     * Starts the first dataset build (kept out of the constructor so a test can connect to it first): now when the
     * Debias workspace shows, otherwise when it is first shown.
     */
    void start();
    /**
     * Opens a run folder in the Debias workspace, or a GAN run folder in the Latent workspace; false, with *error
     * saying what the folder is and where it opens (and a message box unless quiet), when it is neither.
     */
    bool openRunFolder(const QString &dir, bool quiet = false, QString *error = nullptr);
    /** What a dropped path or `untangle PATH` does: a generator opens in Latent, anything else as a debias run. */
    bool openPath(const QString &path, bool quiet = false);
    /** Opens a generator (run folder, generator.pt, TorchScript) in the Latent workspace. */
    void openGenerator(const QString &path);
    /** Most recent first, at most MaxRecentGenerators (QSettings "latent/recentGenerators"). */
    QStringList recentGenerators() const;

    /** Answers "stop the running job and quit?" (true = stop and keep the run); the default asks in a message box. */
    using StopQuestion = std::function<bool(const QString &jobTitle)>;
    void setStopQuestion(StopQuestion question) { m_stopQuestion = std::move(question); }
    /** Whether closing during a job asks first; off for scripted runs (--grab, --report), which must never wait. */
    void setAskBeforeClosing(bool ask) { m_askBeforeClosing = ask; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void restoreSettings();
    void saveSettings() const;
    void fetchMnist();
    void showAbout();
    void rememberGenerator(const QString &path);
    void fillRecentGenerators();
    bool askToStop(const QString &jobTitle);

    JobController *m_controller = nullptr;
    QTabWidget *m_workspaces = nullptr;
    DebiasWorkspace *m_debias = nullptr;
    LatentWorkspace *m_latent = nullptr;
    JobStatusBar *m_jobStatus = nullptr;
    QMenu *m_recentGenerators = nullptr;
    StopQuestion m_stopQuestion;
    bool m_askBeforeClosing = true;
};

} // namespace untangle
