// untangle: the GUI entry point.
#include "mainwindow.h"

#include "datasetbuilderpage.h"
#include "datasetform.h"
#include "debiasinspectpage.h"
#include "debiastrainpage.h"
#include "debiasworkspace.h"
#include "directioncomputepanel.h"
#include "directionexplorer.h"
#include "directionmetricspanel.h"
#include "directionsliderbank.h"
#include "gantrainpanel.h"
#include "jobcontroller.h"
#include "latentrenderservice.h"
#include "latentworkspace.h"
#include "retrievalpanel.h"
#include "spritesexplorer.h"
#include "startupprobe.h"
#include "timelinebar.h"
#include "traversalview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {
constexpr int GrabSettleMs = 400; // lets queued replots of the plots land before the screenshot
}

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication application(argc, argv);
    QApplication::setOrganizationName("Untangle");
    QApplication::setApplicationName("untangle");
    QApplication::setApplicationVersion(UNTANGLE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Untangle: see and remove what a network learned by shortcut.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("path",
        "A debias run folder to open (as File > Open run folder), or a generator (a GAN "
        "run folder, generator.pt or TorchScript .pt) to open in the Latent workspace.",
        "[PATH]");
    parser.addOption(
        {"grab", "Save a screenshot of the window to FILE once the first dataset is shown, then quit.", "file"});
    parser.addOption({"startup-time",
        "Print the milliseconds from process start to the first shown window and to the "
        "first dataset on screen, then quit (used by bench_startup)."});
    parser.addOption({"workspace", "Open this workspace: debias or latent.", "name"});
    parser.addOption({"dataset",
        "Start the dataset builder on this dataset (cmnist10k, cfmnist, corrupted-fmnist, "
        "sprites, ...).",
        "name"});
    parser.addOption({"ratio", "Start the dataset builder at this conflicting ratio (0..1).", "R"});
    parser.addOption({"at", "With RUN_DIR: show evaluation N (1 = the first epoch) instead of the last.", "N"});
    parser.addOption({"tab",
        "With RUN_DIR: show this Debias page instead of Train: inspect (loads the run's models; "
        "--grab then waits for them).",
        "name"});
    parser.addOption({"report", "With RUN_DIR: write its one-page report (.pdf or .png) to FILE, then quit.", "file"});
    parser.addOption({"directions", "With a generator: load this directions.json into the explorer.", "file"});
    parser.addOption({"after-sre", "With a generator: load this second directions.json as the after-SRE set.", "file"});
    parser.addOption({"latent-page",
        "With a generator: show this Latent page: directions, traversal, compute, metrics, "
        "gan or sprites.",
        "name"});
    parser.addOption({"query",
        "With --latent-page retrieval --run: query with this pool image once the pool is "
        "encoded (the score network is the after-SRE set's estimator.pt).",
        "INDEX"});
    parser.addOption({"run",
        "With --latent-page compute, metrics, gan or retrieval: start that page's job once the generator and "
        "directions are loaded (--grab then waits for the job to end)."});
    parser.addOption({"grab-after", "With --grab: take the screenshot after S seconds instead (e.g. mid-job).", "S"});
    parser.addOption({"slide", "With --directions: move slider K (1-based) to V sigma, written K=V.", "K=V"});
    parser.process(application);

    QFile style(":/style/untangle.qss");
    if (style.open(QIODevice::ReadOnly))
        application.setStyleSheet(QString::fromUtf8(style.readAll()));

    untangle::MainWindow window;
    if (parser.value("workspace") == "latent")
        window.workspaces()->setCurrentWidget(window.latent());
    else if (parser.isSet("workspace") || parser.isSet("dataset"))
        window.workspaces()->setCurrentWidget(window.debias());
    auto *form = window.debias()->datasetBuilder()->form();
    untangle::DatasetSpec spec = form->spec();
    if (parser.isSet("dataset") && !untangle::parseDatasetKey(parser.value("dataset").toStdString(), spec.kind)) {
        std::fprintf(stderr, "untangle: unknown dataset '%s'\n", qPrintable(parser.value("dataset")));
        return 2;
    }
    if (parser.isSet("ratio"))
        spec.ratio = parser.value("ratio").toDouble();
    form->setSpec(spec);
    if (parser.isSet("startup-time"))
        new untangle::StartupProbe(&window, sinceStart);
    window.show();
    const QString path = parser.positionalArguments().value(0);
    const bool generator = !path.isEmpty() && untangle::isGeneratorPath(path);
    auto *explorer = window.latent()->explorer();
    if (generator) {
        window.openGenerator(path);
        // Directions are loaded once the generator is open, so their style size is checked against it.
        const QString directions = parser.value("directions"), after = parser.value("after-sre");
        const QString slide = parser.value("slide");
        const QString page = parser.value("latent-page");
        const bool run = parser.isSet("run");
        const int query = parser.value("query").toInt();
        QObject::connect(
            explorer, &untangle::DirectionExplorer::generatorOpened, &window,
            [&window, explorer, directions, after, slide, page, run, query] {
                if (!directions.isEmpty())
                    explorer->loadDirections(directions);
                if (!after.isEmpty())
                    explorer->loadAfterSre(after);
                const QStringList parts = slide.split('=');
                if (parts.size() == 2)
                    explorer->sliders()->setValue(parts[0].toInt() - 1, parts[1].toDouble());
                untangle::LatentWorkspace *latent = window.latent();
                QHash<QString, QWidget *> pages;
                pages.insert("directions", latent->explorer());
                pages.insert("traversal", latent->traversal());
                pages.insert("compute", latent->compute());
                pages.insert("metrics", latent->metrics());
                pages.insert("gan", latent->ganTraining());
                pages.insert("sprites", latent->sprites());
                pages.insert("retrieval", latent->retrieval());
                if (QWidget *widget = pages.value(page))
                    latent->pages()->setCurrentWidget(widget);
                if (page == "traversal")
                    latent->traversal()->renderTraversal();
                else if (run && page == "compute")
                    latent->compute()->compute();
                else if (run && page == "metrics")
                    latent->metrics()->evaluate();
                else if (run && page == "gan")
                    latent->ganTraining()->train();
                else if (run && page == "retrieval") {
                    untangle::RetrievalPanel *retrieval = latent->retrieval();
                    QObject::connect(retrieval, &untangle::RetrievalPanel::poolEncoded, retrieval,
                        [retrieval, query] { retrieval->setQueryFromPool(query); });
                    retrieval->encodePool();
                }
            },
            Qt::SingleShotConnection);
    }
    const bool opened = !path.isEmpty() && !generator && window.openRunFolder(path);
    if (opened && parser.isSet("at"))
        window.debias()->trainPage()->timeline()->setPosition(parser.value("at").toInt() - 1);
    const bool inspect = opened && parser.value("tab") == "inspect";
    if (inspect)
        window.debias()->setCurrentWidget(window.debias()->inspectPage());

    if (parser.isSet("report")) {
        const QString file = parser.value("report");
        QTimer::singleShot(GrabSettleMs, &window, [&window, file] {
            QString error;
            const bool ok = window.debias()->trainPage()->exportReport(file, &error);
            std::fprintf(ok ? stdout : stderr, "%s\n", qPrintable(ok ? "saved " + file : error));
            QCoreApplication::exit(ok ? 0 : 1);
        });
        return application.exec();
    }
    if (parser.isSet("grab")) {
        const QString file = parser.value("grab");
        auto grab = [&window, file] {
            QTimer::singleShot(GrabSettleMs, &window, [&window, file] {
                const bool saved = window.grab().save(file);
                std::fprintf(saved ? stdout : stderr, saved ? "saved %s\n" : "could not save %s\n", qPrintable(file));
                window.close();
            });
        };
        if (parser.isSet("grab-after")) {
            QTimer::singleShot(int(parser.value("grab-after").toDouble() * 1000), &window, grab);
        } else if (generator && parser.isSet("run")) {
            QObject::connect(window.controller(), &untangle::JobController::idle, &window, grab);
        } else if (generator) {
            // The latent screenshot waits for what the page shows: a traversal, or the first frame with sliders set.
            if (parser.value("latent-page") == "traversal") {
                QObject::connect(
                    window.latent()->traversal(), &untangle::TraversalView::traversalRendered, &window, grab);
                QObject::connect(window.latent()->traversal(), &untangle::TraversalView::failed, &window, grab);
            } else {
                auto done = std::make_shared<bool>(false);
                const bool wantDirections = parser.isSet("directions");
                auto *service = window.latent()->renderService();
                QObject::connect(explorer, &untangle::DirectionExplorer::frameShown, &window,
                    [grab, done, wantDirections, explorer, service](quint64 id) {
                        // Only the answer to the newest request shows the final state.
                        if (*done || id != service->lastRequestId() || (wantDirections && !explorer->hasDirections()))
                            return;
                        *done = true;
                        grab();
                    });
            }
            QObject::connect(explorer, &untangle::DirectionExplorer::generatorFailed, &window, grab);
        } else if (inspect) {
            auto *page = window.debias()->inspectPage();
            QObject::connect(page, &untangle::DebiasInspectPage::inspected, &window, grab);
            QObject::connect(page, &untangle::DebiasInspectPage::inspectionFailed, &window, grab);
        } else {
            auto *page = window.debias()->datasetBuilder();
            QObject::connect(page, &untangle::DatasetBuilderPage::datasetBuilt, &window, grab);
            QObject::connect(page, &untangle::DatasetBuilderPage::buildFailed, &window, grab);
        }
    }
    if (generator) {
        // The Latent workspace has the machine first: the Debias dataset is built when its workspace is first shown.
        QObject::connect(
            window.workspaces(), &QTabWidget::currentChanged, &window,
            [&window] {
                if (window.workspaces()->currentWidget() == window.debias())
                    window.start();
            },
            Qt::SingleShotConnection);
    } else {
        window.start();
    }
    return application.exec();
}
