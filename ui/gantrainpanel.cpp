#include "gantrainpanel.h"

#include "durationtext.h"
#include "factors/factorworld.h"
#include "generatorworld.h"

#include "datalocations.h"

#include "directionexplorer.h"
#include "gantrainingjob.h"
#include "imageconversion.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "metricplot.h"
#include "scenesrenderer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <memory>

#include <algorithm>

namespace untangle {
namespace {
// A Scenes run with view negatives draws one view by then (docs/studies/latent-generators.md).
constexpr int DefaultIterations = 6000;
// StyleGAN2's mapping lr and lazy R1 penalty, the recipe of the shipped Scenes and Sprites generators. Without R1
// the critic wins and the generator drops hues; the networks stay narrow: a wide recipe (16-channel stages,
// 32-channel critic) covered more hues at iteration 1000, but no SeFa or GANSpace direction moved a hue, and on
// Sprites it drew more empty frames (docs/studies/latent-generators.md).
constexpr double ShippedMappingLrMultiplier = 0.01;
constexpr double ShippedR1Gamma = 1.0;
// The shipped Scenes generator's view negatives: without them the room is drawn as the mean of its orientations, the
// dome (docs/studies/latent-generators.md, "View negatives").
constexpr double ShippedViewNegatives = 1.0; // 3 commits as fast but drops three wall hues
constexpr int ShippedSpritesDetailChannels = 16; // resources/generators/sprites-64: --min-channels 16
constexpr double UnbiasedColourRatio = 0.9; // with ten colours: each colour equally likely for every class

/** ProGAN's synthesis with StyleGAN2's logistic loss and an R1-only critic: the shipped generators' recipe
 *  (docs/studies/latent-generators.md, "ProGAN's network"); the width of the fine stages is the panel's own choice
 *  (m_detailChannels). */
void useProGanRecipe(GanConfig &config)
{
    config.synthesis = GanConfig::Synthesis::ProGan;
    config.loss = GanConfig::Loss::Logistic;
    config.spectralNorm = false;
    config.r1Gamma = ShippedR1Gamma; // a critic without spectral norm needs it, on real images too
}

constexpr int SamplesSide = 360; // the 8x8 grid of 32/64 px samples, readable
} // namespace

GanTrainPanel::GanTrainPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
{
    m_world = new QComboBox(this);
    m_world->addItem(tr("Sprites"), QStringLiteral("sprites"));
    m_world->addItem(tr("Scenes (RGB)"), QStringLiteral("scenes"));
    // Real images: no factor reader, so no coverage or Factors page, but real directions to slide (stroke width,
    // slant; sleeve length). Colours are drawn independently of the class (see train()).
    m_world->addItem(tr("MNIST-10k digits (coloured)"), QStringLiteral("cmnist10k"));
    m_world->addItem(tr("Fashion-MNIST (coloured)"), QStringLiteral("cfmnist"));
    m_world->setToolTip(tr("What the GAN learns. Sprites and Scenes are procedural worlds whose factors are known, so "
                           "coverage and the Factors page can read what the generator does; MNIST-10k and "
                           "Fashion-MNIST are real images (their test split is Retrieval's pool)."));
    m_resolution = new QComboBox(this);
    m_resolution->addItem(tr("32 × 32"), 32);
    m_resolution->addItem(tr("64 × 64"), 64);
    m_network = new QComboBox(this);
    m_network->addItem(tr("Style network"), QStringLiteral("style"));
    m_network->addItem(tr("ProGAN network"), QStringLiteral("progan"));
    m_network->setToolTip(tr(
        "Style: StyleGAN2's modulated convolutions with a hinge loss and a spectral-norm critic. ProGAN (the "
        "shipped Sprites and Scenes generators'): w enters once, plain convolutions with pixel norm, StyleGAN2's "
        "logistic loss and an R1-only critic; on Sprites, at the same widths and cost per image, it scored 0.70 at "
        "iteration 3000 where the style network scored 0.45 (and 0.65 at 6000; docs/studies/latent-generators.md)."));
    // Each world starts on the network of its shipped generator (packaging/train-shipped-generators.sh): ProGAN's for
    // Sprites and Scenes, the style network for real images; the user may pick the other after.
    const auto shippedNetwork = [this] {
        const QString world = m_world->currentData().toString();
        const bool shipped = world == "sprites" || world == "scenes";
        m_network->setCurrentIndex(m_network->findData(shipped ? "progan" : "style"));
    };
    connect(m_world, &QComboBox::currentIndexChanged, this, shippedNetwork);
    shippedNetwork();
    m_detailChannels = new QComboBox(this);
    m_detailChannels->addItem(tr("8 channels"), 8);
    m_detailChannels->addItem(tr("16 channels"), 16);
    m_detailChannels->setToolTip(
        tr("The generator's width at its finest stages (32 and 64 px): the CLI's --min-channels. On Sprites from "
           "scratch, 16 scored 0.904 against 0.888 at 36,000 iterations and drew hearts closer to real ones (IoU "
           "0.828 against 0.805), for about 2.4x the multiply-adds per image, which training and every slider frame "
           "pay (docs/studies/latent-generators.md, \"A wide generator from scratch\")."));
    // Each world starts on its shipped generator's width: 16 for Sprites, 8 otherwise.
    const auto shippedWidth = [this] {
        const int channels = m_world->currentData().toString() == "sprites" ? ShippedSpritesDetailChannels : 8;
        m_detailChannels->setCurrentIndex(m_detailChannels->findData(channels));
    };
    connect(m_world, &QComboBox::currentIndexChanged, this, shippedWidth);
    shippedWidth();
    // Until the user picks a world, the page offers the open generator's world and size (at first launch the Scenes
    // generator is open, and "Sprites, 32 x 32" read as if the page had not noticed).
    connect(m_world, &QComboBox::activated, this, [this] { m_worldChosen = true; });
    connect(m_explorer, &DirectionExplorer::generatorOpened, this, [this] {
        const auto &info = m_explorer->generatorInfo();
        if (m_worldChosen || !info || !mayBelongToRenderedWorld(m_explorer->generatorPath()))
            return;
        const FactorWorld *world = FactorWorld::forImages(info->channels, info->resolution);
        const int index = world ? m_world->findData(QString::fromStdString(world->key)) : -1;
        const int size = m_resolution->findData(info->resolution);
        if (index < 0 || size < 0)
            return;
        m_world->setCurrentIndex(index);
        m_resolution->setCurrentIndex(size);
    });
    m_iterations = new QSpinBox(this);
    m_iterations->setRange(10, 200000);
    m_iterations->setSingleStep(500);
    m_iterations->setValue(DefaultIterations);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1000000);
    m_start = new QPushButton(tr("Train GAN"), this);
    connect(m_start, &QPushButton::clicked, this, &GanTrainPanel::train);
    m_resume = new QPushButton(tr("Resume run…"), this);
    m_resume->setToolTip(tr("Continue a stopped GAN run folder from its last checkpoint, with its own settings."));
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("GAN run folder to resume"), QString::fromStdString(runsHome()) + "/latent");
        if (!folder.isEmpty())
            resume(folder);
    });
    m_folder = new QLineEdit(this);
    m_folder->setPlaceholderText(tr("run folder (default: a new folder under the runs folder)"));
    m_folder->setToolTip(tr("Where the next run is written; it must be empty or new."));
    auto *browse = new QPushButton(tr("Folder…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getSaveFileName(this, tr("New GAN run folder"),
            QString::fromStdString(runsHome()) + "/latent/gan", QString(), nullptr, QFileDialog::ShowDirsOnly);
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    m_growFrom = new QLineEdit(this);
    m_growFrom->setPlaceholderText(tr("start from a smaller or same-size generator (optional)"));
    m_growFrom->setToolTip(
        tr("A 32 px run's generator.pt (same widths) to grow into this run: its layers are copied "
           "and the new stage starts as an upsampling, so training refines detail instead of "
           "learning the layout again: a Sprites run grown from 32 px reached the shipped generator's coverage "
           "score in half the 64 px iterations. A generator of this run's own size and settings is fine-tuned "
           "as it is, against a fresh critic."));
    auto *browseGenerator = new QPushButton(tr("Generator…"), this);
    connect(browseGenerator, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Generator to start from"),
            QString::fromStdString(runsHome()) + "/latent", tr("Generators (*.pt)"));
        if (!file.isEmpty())
            m_growFrom->setText(file);
    });
    m_jobButtons = new JobButtons(m_controller, {m_start, m_resume}, this);
    m_stop = m_jobButtons->stop();
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_world);
    controls->addWidget(new QLabel(tr("Resolution"), this));
    controls->addWidget(m_resolution);
    controls->addWidget(m_network);
    controls->addWidget(new QLabel(tr("Fine stages"), this));
    controls->addWidget(m_detailChannels);
    controls->addWidget(new QLabel(tr("Iterations"), this));
    controls->addWidget(m_iterations);
    controls->addWidget(new QLabel(tr("Seed"), this));
    controls->addWidget(m_seed);
    controls->addWidget(m_start);
    controls->addWidget(m_resume);
    controls->addWidget(m_stop);
    controls->addStretch(1);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Run folder"), this));
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    folderRow->addWidget(new QLabel(tr("Grow from"), this));
    folderRow->addWidget(m_growFrom, 1);
    folderRow->addWidget(browseGenerator);
    // A Scenes sub-world: unchecked factors are held at one scene, so a lever can be tried in minutes on the smallest
    // world that fails (the wall hue and orientation; docs/studies/latent-generators.md, "A 16 px proxy") before hours
    // on all six.
    m_sceneFactorRow = new QWidget(this);
    auto *factorRow = new QHBoxLayout(m_sceneFactorRow);
    factorRow->setContentsMargins(0, 0, 0, 0);
    factorRow->addWidget(new QLabel(tr("Scenes factors that vary"), m_sceneFactorRow));
    for (const std::string &name : sceneFactorNames()) {
        auto *box = new QCheckBox(QString::fromStdString(name).replace('_', ' '), m_sceneFactorRow);
        box->setObjectName(QString::fromStdString(name));
        box->setChecked(true);
        box->setToolTip(tr("Unchecked factors are held at one value (a blue cube at the centre orientation, red "
                           "floor, green wall): a smaller world for trying a recipe (the CLI's --vary)."));
        factorRow->addWidget(box);
        m_sceneFactors << box;
    }
    m_viewNegatives = new QDoubleSpinBox(m_sceneFactorRow);
    m_viewNegatives->setRange(0.0, GanConfig::MaxMirrorNegatives);
    m_viewNegatives->setSingleStep(0.5);
    m_viewNegatives->setDecimals(1);
    m_viewNegatives->setValue(ShippedViewNegatives);
    m_viewNegatives->setToolTip(
        tr("Weight of view negatives: rooms rendered from 2 to 15 of their orientations and averaged are shown to the "
           "critic as fake, so the generator does not settle on the mean room of all views (a dome). 0 = off; the "
           "shipped Scenes generator trained with 1 (3 commits as fast but drops wall hues). Off while orientation "
           "is held."));
    factorRow->addSpacing(12);
    factorRow->addWidget(new QLabel(tr("View negatives"), m_sceneFactorRow));
    factorRow->addWidget(m_viewNegatives);
    factorRow->addStretch(1);
    // View negatives average a room over its orientations, so they need orientation to vary (GanConfig::validate).
    for (QCheckBox *box : std::as_const(m_sceneFactors))
        if (box->objectName() == "orientation")
            connect(box, &QCheckBox::toggled, m_viewNegatives, &QWidget::setEnabled);
    m_settings = {m_world, m_resolution, m_network, m_detailChannels, m_iterations, m_seed, m_folder, browse,
        m_growFrom, browseGenerator, m_sceneFactorRow};
    connect(m_controller, &JobController::idle, this, [this] {
        if (m_world->isEnabled())
            return; // another page's job ended
        for (QWidget *setting : std::as_const(m_settings))
            setting->setEnabled(true);
        m_folder->setText(m_folderBeforeRun); // the run's folder was shown while it trained; the next is new
    });
    const auto showSceneFactors
        = [this] { m_sceneFactorRow->setVisible(m_world->currentData().toString() == "scenes"); };
    connect(m_world, &QComboBox::currentIndexChanged, this, showSceneFactors);
    showSceneFactors();
    m_status = new QLabel(tr("The style network trains with a hinge loss and a spectral-norm critic, the ProGAN "
                             "network with the logistic loss and an R1 critic; both sample an EMA generator. Runs go "
                             "to the application's data folder and open in the explorer when done."),
        this);
    m_status->setWordWrap(true);
    m_coverage = new QLabel(tr("Each checkpoint's factor coverage (Sprites, Scenes) appears here; the best one becomes "
                               "generator.pt."),
        this);
    m_coverage->setWordWrap(true);
    m_coverage->setToolTip(tr(
        "Read by the world's factor reader on the checkpoint's samples. Coverage: the share of each factor's values "
        "drawn. Entropy: how evenly (1 = uniform). Realism: how well the samples pass the reader's check next to real "
        "renders (1 = as well). Sharpness: their edge energy (Laplacian) over real renders' (1 = as crisp, 0.5 = "
        "half; noise pushes it over 1). One view (Scenes): the share of samples nearer to a render of what the reader "
        "reads than to that room averaged over its 15 orientations (renders 1; the dome, a room drawn as the mean of "
        "its views, 0). Heart IoU (Sprites): how well what the reader calls hearts overlap the hearts it reads, the "
        "shape "
        "a Sprites GAN draws worst (real hearts 0.92). The score, coverage x entropy x realism, picks generator.pt."));
    m_plot = new MetricPlot(this);
    m_plot->setTitle(tr("GAN losses"));
    m_plot->setAxisLabels(tr("iteration"), tr("loss"));
    m_samples = new QLabel(this);
    m_samples->setFixedSize(SamplesSide, SamplesSide);
    m_samples->setFrameShape(QFrame::StyledPanel);
    m_samples->setAlignment(Qt::AlignCenter);
    m_samples->setWordWrap(true);
    m_samples->setText(tr("Samples from the generator appear here while it trains"));
    auto *body = new QHBoxLayout;
    body->addWidget(m_plot, 1);
    body->addWidget(m_samples, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(folderRow);
    layout->addWidget(m_sceneFactorRow);
    layout->addWidget(m_status);
    layout->addWidget(m_coverage);
    layout->addLayout(body, 1);
}

bool GanTrainPanel::train()
{
    GanConfig config;
    config.resolution = m_resolution->currentData().toInt();
    config.iterations = m_iterations->value();
    config.seed = std::uint64_t(m_seed->value());
    const QString world = m_world->currentData().toString();
    if (world == "sprites" || world == "scenes") {
        config.sprites = world == "sprites";
        if (!config.sprites) {
            config.dataset.kind = DatasetKind::Scenes;
            for (QCheckBox *box : std::as_const(m_sceneFactors))
                if (box->isChecked())
                    config.variedSceneFactors.push_back(box->objectName().toStdString());
            if (config.variedSceneFactors.empty()) {
                m_status->setText(tr("Check at least one Scenes factor to vary (all six: the full world)."));
                return false;
            }
            if (config.variedSceneFactors.size() == std::size_t(m_sceneFactors.size()))
                config.variedSceneFactors.clear(); // the full world, written as before the option
            config.viewNegatives = m_viewNegatives->isEnabled() ? m_viewNegatives->value() : 0.0;
        }
        config.mappingLrMultiplier = ShippedMappingLrMultiplier;
        config.r1Gamma = ShippedR1Gamma;
    } else {
        config.sprites = false;
        if (!parseDatasetKey(world.toStdString(), config.dataset.kind)) {
            m_status->setText(tr("Unknown dataset %1").arg(world));
            return false;
        }
        // Colour independent of the class (9 in 10 images conflicting, one colour in ten aligned): a GAN of the
        // debias set's 1 % would tie each digit to its colour, and every direction would move both.
        config.dataset.ratio = UnbiasedColourRatio;
        config.mappingLrMultiplier = ShippedMappingLrMultiplier;
    }
    if (m_network->currentData().toString() == "progan")
        useProGanRecipe(config);
    config.minChannels = m_detailChannels->currentData().toInt();
    if (const QString grow = m_growFrom->text().trimmed(); !grow.isEmpty())
        config.growFrom = QFileInfo(grow).absoluteFilePath().toStdString();
    const QString defaultDir = QDir(QString::fromStdString(runsHome()))
                                   .filePath(QStringLiteral("latent/%1-gan%2-%3")
                                                 .arg(world)
                                                 .arg(config.resolution)
                                                 .arg(QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss")));
    const QString runDir = m_folder->text().trimmed().isEmpty() ? defaultDir : m_folder->text().trimmed();
    return start(config, runDir, false);
}

bool GanTrainPanel::resume(const QString &runDir)
{
    GanConfig config;
    try {
        config = readGanConfig(runDir.toStdString());
    } catch (const std::exception &problem) {
        m_status->setText(tr("Cannot resume: %1").arg(QString::fromUtf8(problem.what())));
        return false;
    }
    config.iterations = std::max(config.iterations, m_iterations->value());
    return start(config, runDir, true);
}

void GanTrainPanel::setRunFolder(const QString &folder)
{
    m_folder->setText(folder);
}

void GanTrainPanel::setIterations(int iterations)
{
    m_iterations->setValue(iterations);
}

void GanTrainPanel::setGrowFrom(const QString &generator)
{
    m_growFrom->setText(generator);
}

QString GanTrainPanel::runFolder() const
{
    return m_folder->text();
}

QString GanTrainPanel::coverageText() const
{
    return m_coverage->text();
}

QString GanTrainPanel::status() const
{
    return m_status->text();
}

bool GanTrainPanel::start(const GanConfig &config, const QString &runDir, bool resume)
{
    auto *job = new GanTrainingJob(config, runDir, resume);
    m_samples->setText(tr("Samples from the generator\nappear here every %1 iterations").arg(config.sampleEvery));
    m_plot->clearSeries();
    const int lossD = m_plot->addSeries(tr("D loss"), QColor(200, 60, 40));
    const int lossG = m_plot->addSeries(tr("G loss"), QColor(40, 90, 200));
    const int iterations = config.iterations;
    connect(job, &GanTrainingJob::logged, this, [this, lossD, lossG, iterations](const GanLog &log) {
        m_plot->addPoint(lossD, log.iteration, log.lossD);
        m_plot->addPoint(lossG, log.iteration, log.lossG);
        m_status->setText(tr("Iteration %1 of %2: D %3, G %4, %5 ms per iteration; %6 elapsed, about %7 left")
                              .arg(log.iteration)
                              .arg(iterations)
                              .arg(log.lossD, 0, 'f', 3)
                              .arg(log.lossG, 0, 'f', 3)
                              .arg(log.secondsPerIteration * 1000.0, 0, 'f', 1)
                              .arg(durationText(log.elapsedSeconds))
                              .arg(durationText(log.secondsPerIteration * (iterations - log.iteration))));
    });
    connect(job, &GanTrainingJob::sampled, this, [this](int, const ImageU8 &grid) {
        m_samples->setPixmap(QPixmap::fromImage(
            toQImage(grid).scaled(m_samples->size() - QSize(4, 4), Qt::KeepAspectRatio, Qt::FastTransformation)));
    });
    connect(job, &GanTrainingJob::checkpointed, this, [this](int iteration, const QString &summary, bool selected) {
        m_coverage->setText(summary.isEmpty() ? tr("Checkpoint %1 written.").arg(iteration)
                                              : tr("Checkpoint %1: %2%3")
                                                    .arg(iteration)
                                                    .arg(summary)
                                                    .arg(selected ? tr(", the best so far: generator.pt") : QString()));
    });
    connect(job, &GanTrainingJob::trained, this, [this](const QString &generator, bool stopped) {
        m_status->setText(
            (stopped ? tr("Stopped; opening the last checkpoint %1") : tr("Trained: opening %1")).arg(generator));
        m_explorer->openGenerator(generator);
    });
    connect(job, &Job::failed, this, [this](const QString &message) { m_status->setText(message); });
    if (!m_controller->start(std::unique_ptr<Job>(job))) {
        m_status->setText(tr("Another job is running; stop it first."));
        return false;
    }
    m_jobButtons->markRunning();
    m_status->setText(resume ? tr("Resuming %1…").arg(runDir) : tr("Training into %1…").arg(runDir));
    // Where this run goes stays in view while it trains (the status line turns into its progress).
    m_folderBeforeRun = m_folder->text();
    m_folder->setText(runDir);
    for (QWidget *setting : std::as_const(m_settings))
        setting->setEnabled(false);
    return true;
}

} // namespace untangle
