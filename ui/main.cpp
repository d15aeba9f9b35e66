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
#include "factorattributionpanel.h"
#include "gantrainpanel.h"
#include "groundtruthexplorer.h"
#include "inspectrunjob.h"
#include "jobcontroller.h"
#include "latentrenderservice.h"
#include "latentworkspace.h"
#include "retrievalpanel.h"
#include "startupprobe.h"
#include "timelinebar.h"
#include "traversalview.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QSlider>
#include <QTabWidget>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <memory>

namespace {
constexpr int GrabSettleMs = 400; // lets queued replots of the plots land before the screenshot
constexpr int MaxGrabAfterSeconds = 24 * 3600; // a day: longer is a typo, and the millisecond timer overflows int

/** Whether the command line only asks for --help or --version: answered without a display (no QApplication). */
bool asksOnlyForText(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "-h" || argument == "--help" || argument == "-?" || argument == "--help-all" || argument == "-v"
            || argument == "--version")
            return true;
    }
    return false;
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName("Untangle");
    QCoreApplication::setApplicationName("untangle");
    QCoreApplication::setApplicationVersion(UNTANGLE_VERSION);
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription("Untangle: see and remove what a network learned by shortcut.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("path",
        "A debias run folder to open (as File > Open run folder), or a generator (a GAN "
        "run folder, generator.pt or TorchScript .pt) to open in the Latent workspace.",
        "[PATH]");
    parser.addOption({"grab",
        "Save a screenshot of the window to FILE once the first dataset is shown, then quit (exit 1, with the "
        "error on stderr, when what it should show failed to load).",
        "file"});
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
    parser.addOption({"report",
        "With RUN_DIR: write its one-page report (.pdf or .png) to FILE, then quit (exit 1, with the error on "
        "stderr, when RUN_DIR is not a debias run).",
        "file"});
    parser.addOption({"directions", "With a generator: load this directions.json into the explorer.", "file"});
    parser.addOption({"after-sre", "With a generator: load this second directions.json as the after-SRE set.", "file"});
    parser.addOption({"latent-page",
        "With a generator: show this Latent page: directions, traversal, compute, metrics, factors, "
        "gan, retrieval or truth (the ground truth of its world).",
        "name"});
    parser.addOption({"query",
        "With --latent-page retrieval --run: query with this pool image once the pool is "
        "encoded (the score network is the after-SRE set's estimator.pt).",
        "INDEX"});
    parser.addOption({"direction", "With --latent-page retrieval --run: query along this direction (1-based).", "K"});
    parser.addOption({"run",
        "With --latent-page compute, metrics, gan or retrieval: start that page's job once the generator and "
        "directions are loaded (--grab then waits for the job to end)."});
    parser.addOption({"grab-after", "With --grab: take the screenshot after S seconds instead (e.g. mid-job).", "S"});
    parser.addOption({"factors",
        "With --latent-page truth: set the ground-truth sliders to these factor indices, in the world's order "
        "(Sprites: shape,scale,orientation,x,y, e.g. 2,5,0,16,16 for a heart at the largest scale, centred).",
        "V1,V2,..."});
    parser.addOption({"slide", "With --directions: move slider K (1-based) to V sigma, written K=V.", "K=V"});
    parser.addOption(
        {"size", "Open the window at this size, written WxH (e.g. 1600x1000), instead of the last one.", "WxH"});
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (asksOnlyForText(argc, argv)) {
        // --help and --version need no window: a QApplication would abort without a display.
        QCoreApplication core(argc, argv);
        setApplicationNames();
        QCommandLineParser parser;
        addOptions(parser);
        parser.process(core); // prints and exits 0
        return 0;
    }
    QApplication application(argc, argv);
    setApplicationNames();

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(application);

    QFile style(":/style/untangle.qss");
    if (style.open(QIODevice::ReadOnly))
        application.setStyleSheet(QString::fromUtf8(style.readAll()));

    // A scripted run (a screenshot, a report, a timing) never waits for an answer: no dialogs, no questions.
    const bool scripted = parser.isSet("grab") || parser.isSet("report") || parser.isSet("startup-time");
    auto failure = std::make_shared<QString>(); // the first error of a scripted run: exit status 1
    auto fail = [failure](const QString &message) {
        std::fprintf(stderr, "untangle: %s\n", qPrintable(message));
        if (failure->isEmpty())
            *failure = message;
    };
    auto finish = [failure](int status) { return failure->isEmpty() ? status : 1; };

    untangle::MainWindow window;
    window.setAskBeforeClosing(!scripted);
    if (parser.isSet("size")) {
        const QStringList parts = parser.value("size").split('x');
        bool okWidth = false, okHeight = false;
        const int width = parts.value(0).toInt(&okWidth), height = parts.value(1).toInt(&okHeight);
        if (parts.size() != 2 || !okWidth || !okHeight || width < 320 || height < 240 || width > 16384
            || height > 16384) {
            std::fprintf(stderr, "untangle: --size must be WxH within 320x240 .. 16384x16384, e.g. 1600x1000\n");
            return 2;
        }
        window.resize(width, height);
    }
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
    if (parser.isSet("ratio")) {
        bool ok = false;
        spec.ratio = parser.value("ratio").toDouble(&ok);
        if (!ok || !(spec.ratio > 0.0 && spec.ratio < 1.0)) {
            std::fputs("untangle: --ratio is the conflicting share, between 0 and 1 (e.g. 0.01 for 1 %)\n", stderr);
            return 2;
        }
    }
    form->setSpec(spec);
    const QString path = parser.positionalArguments().value(0);
    // A negative or unreadable delay never fired (Qt refuses negative timers): the process waited forever.
    if (parser.isSet("grab-after")) {
        bool ok = false;
        const double seconds = parser.value("grab-after").toDouble(&ok);
        if (!ok || !(seconds >= 0 && seconds <= MaxGrabAfterSeconds)) {
            std::fprintf(stderr, "untangle: --grab-after must be seconds from 0 to %d, not '%s'\n", MaxGrabAfterSeconds,
                qPrintable(parser.value("grab-after")));
            return 2;
        }
    }
    // Names and values the window cannot show were accepted and ignored (exit 0, the default view).
    const QStringList latentPages {
        "directions", "traversal", "compute", "metrics", "factors", "gan", "retrieval", "truth", "sprites"};
    if (parser.isSet("workspace") && parser.value("workspace") != "latent" && parser.value("workspace") != "debias") {
        std::fputs("untangle: --workspace is debias or latent\n", stderr);
        return 2;
    }
    if (parser.isSet("latent-page") && !latentPages.contains(parser.value("latent-page"))) {
        std::fprintf(stderr, "untangle: --latent-page is one of %s\n", qPrintable(latentPages.mid(0, 8).join(", ")));
        return 2;
    }
    if (parser.isSet("slide")) {
        const QStringList parts = parser.value("slide").split('=');
        bool okIndex = false, okAmount = false;
        const int index = parts.value(0).toInt(&okIndex);
        const double amount = parts.value(1).toDouble(&okAmount);
        if (parts.size() != 2 || !okIndex || !okAmount || index < 1 || !std::isfinite(amount)) {
            std::fputs("untangle: --slide is K=AMOUNT: slider K (from 1) at AMOUNT sigma, e.g. 1=2.5\n", stderr);
            return 2;
        }
    }
    // --tab used to be ignored without a run folder (the Dataset page showed, and nothing said why).
    if (parser.isSet("tab")
        && (path.isEmpty() || (parser.value("tab") != "train" && parser.value("tab") != "inspect"))) {
        std::fputs(
            "untangle: --tab is train or inspect, with a debias run folder: untangle RUN_DIR --tab inspect\n", stderr);
        return 2;
    }

    if (parser.isSet("report")) {
        // Headless: the run is read here, before any window shows, and any problem ends the process at once.
        QString error;
        if (path.isEmpty())
            error = QStringLiteral("--report needs a run folder: untangle RUN_DIR --report FILE");
        else
            window.debias()->trainPage()->openRun(path, &error);
        if (!error.isEmpty()) {
            fail(error);
            return 1;
        }
        // The report draws the Train page's plots: on screen, so they are laid out at their real size.
        window.workspaces()->setCurrentWidget(window.debias());
        window.debias()->setCurrentWidget(window.debias()->trainPage());
        window.show();
        const QString file = parser.value("report");
        QTimer::singleShot(GrabSettleMs, &window, [&window, file, fail] {
            QString error;
            if (window.debias()->trainPage()->exportReport(file, &error))
                std::printf("saved %s\n", qPrintable(file));
            else
                fail(error);
            window.close();
        });
        return finish(application.exec());
    }

    if (parser.isSet("startup-time"))
        new untangle::StartupProbe(&window, sinceStart, parser.value("workspace") == "latent");
    window.show();
    // New direction sets name their factors at once. A scripted page run (--run) is started first (the attribution
    // waits 500 ms and then for an idle worker) and grabbed when the worker goes idle, so the attribution is only
    // worth starting when the grab waits longer (--grab-after), or for the Metrics page, whose table names what each
    // direction moves: its grab waits for the attribution after the metrics (attributionDue).
    window.latent()->setAutoAttribution(
        !parser.isSet("run") || parser.isSet("grab-after") || parser.value("latent-page") == "metrics");
    const bool generator = !path.isEmpty() && untangle::isGeneratorPath(path);
    auto *explorer = window.latent()->explorer();
    // The Latent workspace is alive at first launch. Shown first, its screenshot waits for the shipped generator's
    // frame as for one given on the command line (the Debias dataset it would otherwise wait for is not built).
    const bool shipped = !generator && window.latent()->openShippedGenerator();
    const bool latentAtLaunch = path.isEmpty() && parser.value("workspace") == "latent";
    // A page, sliders or a run apply to the shipped generator opened at launch as to one given on the command line.
    if (generator || shipped) {
        if (generator)
            window.openGenerator(path);
        // Directions are loaded once the generator is open, so their style size is checked against it.
        const QString directions = parser.value("directions"), after = parser.value("after-sre");
        const QString slide = parser.value("slide");
        const QString page = parser.value("latent-page");
        const QStringList factors = parser.value("factors").split(',', Qt::SkipEmptyParts);
        const bool run = parser.isSet("run");
        const int query = parser.value("query").toInt();
        const int direction = parser.isSet("direction") ? parser.value("direction").toInt() - 1 : 0;
        QObject::connect(
            explorer, &untangle::DirectionExplorer::generatorOpened, &window,
            [&window, explorer, directions, after, slide, page, factors, run, query, direction, scripted, fail] {
                QString error;
                if ((!directions.isEmpty() && !explorer->loadDirections(directions, &error))
                    || (!after.isEmpty() && !explorer->loadAfterSre(after, &error))) {
                    if (scripted) {
                        // The screenshot waits for directions that will never come: say why and stop.
                        fail(error);
                        window.close();
                        return;
                    }
                }
                const QStringList parts = slide.split('=');
                if (parts.size() == 2)
                    explorer->sliders()->setValue(parts[0].toInt() - 1, parts[1].toDouble());
                untangle::LatentWorkspace *latent = window.latent();
                QHash<QString, QWidget *> pages;
                pages.insert("directions", latent->explorer());
                pages.insert("traversal", latent->traversal());
                pages.insert("compute", latent->compute());
                pages.insert("metrics", latent->metrics());
                pages.insert("factors", latent->factors());
                pages.insert("gan", latent->ganTraining());
                pages.insert("truth", latent->groundTruthPage());
                pages.insert("sprites", latent->groundTruthPage()); // its name until session 27
                pages.insert("retrieval", latent->retrieval());
                if (QWidget *widget = pages.value(page))
                    latent->pages()->setCurrentWidget(widget);
                for (int f = 0; f < factors.size() && latent->groundTruth()->factorSlider(f); ++f) // clamped
                    latent->groundTruth()->factorSlider(f)->setValue(factors[f].toInt());
                if (page == "traversal")
                    latent->traversal()->renderTraversal();
                else if (run && page == "compute")
                    latent->compute()->compute();
                else if (run && page == "metrics")
                    latent->metrics()->evaluate();
                else if (run && page == "factors")
                    latent->factors()->attribute();
                else if (run && page == "gan")
                    latent->ganTraining()->train();
                else if (run && page == "retrieval") {
                    untangle::RetrievalPanel *retrieval = latent->retrieval();
                    QObject::connect(
                        retrieval, &untangle::RetrievalPanel::poolEncoded, retrieval, [retrieval, query, direction] {
                            if (direction >= 0 && direction < retrieval->directionCombo()->count())
                                retrieval->directionCombo()->setCurrentIndex(direction);
                            retrieval->setQueryFromPool(query);
                        });
                    if (!window.controller()->isBusy()) // the page may have started encoding when shown
                        retrieval->encodePool();
                }
            },
            Qt::SingleShotConnection);
    }
    bool opened = false;
    if (!path.isEmpty() && !generator) {
        QString error;
        opened = window.openRunFolder(path, scripted, &error);
        if (!opened && scripted) {
            fail(error);
            return 1;
        }
    }
    if (opened && parser.isSet("at"))
        window.debias()->trainPage()->timeline()->setPosition(parser.value("at").toInt() - 1);
    const bool inspect = opened && parser.value("tab") == "inspect";
    if (inspect)
        window.debias()->setCurrentWidget(window.debias()->inspectPage());

    if (parser.isSet("grab")) {
        const QString file = parser.value("grab");
        auto grab = [&window, file, fail] {
            QTimer::singleShot(GrabSettleMs, &window, [&window, file, fail] {
                if (window.grab().save(file))
                    std::printf("saved %s\n", qPrintable(file));
                else
                    fail(QStringLiteral("could not save %1").arg(file));
                window.close();
            });
        };
        if (parser.isSet("grab-after")) {
            QTimer::singleShot(int(parser.value("grab-after").toDouble() * 1000), &window, grab);
        } else if ((generator || shipped) && parser.isSet("run")) {
            QObject::connect(window.controller(), &untangle::JobController::failed, &window, fail);
            QObject::connect(window.controller(), &untangle::JobController::idle, &window, [&window, grab] {
                if (!window.latent()->attributionDue())
                    grab();
            });
        } else if (generator || (latentAtLaunch && shipped)) {
            // The latent screenshot waits for what the page shows: a traversal, or the first frame with sliders set.
            if (parser.value("latent-page") == "traversal") {
                QObject::connect(
                    window.latent()->traversal(), &untangle::TraversalView::traversalRendered, &window, grab);
                QObject::connect(window.latent()->traversal(), &untangle::TraversalView::failed, &window,
                    [fail, grab](const QString &message) {
                        fail(message);
                        grab();
                    });
            } else {
                auto done = std::make_shared<bool>(false);
                const bool wantDirections = parser.isSet("directions");
                auto *service = window.latent()->renderService();
                auto *controller = window.controller();
                QObject::connect(explorer, &untangle::DirectionExplorer::frameShown, &window,
                    [grab, done, wantDirections, explorer, service, controller](quint64 id) {
                        // Only the answer to the newest request shows the final state.
                        if (*done || id != service->lastRequestId() || (wantDirections && !explorer->hasDirections()))
                            return;
                        *done = true;
                        if (controller->isBusy()) // a page's own first job (Retrieval encodes its pool when shown)
                            QObject::connect(
                                controller, &untangle::JobController::idle, controller, grab, Qt::SingleShotConnection);
                        else
                            grab();
                    });
            }
            QObject::connect(explorer, &untangle::DirectionExplorer::generatorFailed, &window,
                [fail, grab](const QString &, const QString &message) {
                    fail(message);
                    grab(); // the screenshot shows the error; the exit status says it failed
                });
        } else if (latentAtLaunch) {
            grab(); // no shipped generator: the page says what to open instead
        } else if (inspect) {
            auto *page = window.debias()->inspectPage();
            // The selected image's verdicts come from the inspection thread after the run is loaded: grab then.
            QObject::connect(
                page, &untangle::DebiasInspectPage::selectionShown, &window, grab, Qt::SingleShotConnection);
            QObject::connect(page, &untangle::DebiasInspectPage::inspected, &window, [page, grab] {
                if (page->inspection()->dataset->dataset.test.count == 0)
                    grab(); // nothing to select
            });
            QObject::connect(
                page, &untangle::DebiasInspectPage::inspectionFailed, &window, [fail, grab](const QString &message) {
                    fail(message);
                    grab();
                });
        } else {
            auto *page = window.debias()->datasetBuilder();
            QObject::connect(page, &untangle::DatasetBuilderPage::datasetBuilt, &window, grab);
            QObject::connect(
                page, &untangle::DatasetBuilderPage::buildFailed, &window, [fail, grab](const QString &message) {
                    fail(message);
                    grab();
                });
        }
    }
    window.start();
    return finish(application.exec());
}
