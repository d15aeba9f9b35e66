#include "directioncomputepanel.h"

#include "cellheatmap.h"
#include "datalocations.h"

#include "directionexplorer.h"
#include "factorattributionpanel.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "latentdirectionsjob.h"
#include "metricplot.h"
#include "sre/srerunner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <memory>

namespace untangle {
namespace {
constexpr int DefaultCount = 10; // the SRE paper's K for the synthetic datasets
constexpr int DefaultSreSteps = 1000; // a few minutes on a CPU; the paper's 6001 from the CLI

/** Ten categorical colours (Tableau 10) so the ten SRE curves stay apart; past ten they repeat darker. */
QColor seriesColor(int k)
{
    static const QRgb palette[]
        = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    const QColor colour(palette[k % 10]);
    return k < 10 ? colour : colour.darker(100 + 40 * (k / 10));
}
} // namespace

DirectionComputePanel::DirectionComputePanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
{
    m_method = new QComboBox(this);
    m_method->addItem(tr("SeFa"), int(DirectionMethod::SeFa));
    m_method->addItem(tr("GANSpace"), int(DirectionMethod::GanSpace));
    m_method->addItem(tr("Voynov–Babenko"), int(DirectionMethod::Voynov));
    m_sre = new QCheckBox(tr("+SRE"), this);
    m_sre->setToolTip(tr("Refine the found directions with the Scale Ranking Estimator"));
    m_sre->setChecked(true);
    m_count = new QSpinBox(this);
    m_count->setRange(2, 64);
    m_count->setValue(DefaultCount);
    m_steps = new QSpinBox(this);
    m_steps->setRange(10, 100000);
    m_steps->setSingleStep(100);
    m_steps->setValue(DefaultSreSteps);
    m_steps->setSuffix(tr(" SRE steps"));
    connect(m_sre, &QCheckBox::toggled, m_steps, &QWidget::setEnabled);
    m_start = new QPushButton(tr("Compute"), this);
    connect(m_start, &QPushButton::clicked, this, &DirectionComputePanel::compute);
    m_resume = new QPushButton(tr("Resume SRE…"), this);
    m_resume->setToolTip(tr("Continue a stopped SRE run folder from its checkpoint, with its own settings."));
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("SRE run folder to resume"), QString::fromStdString(runsHome()) + "/latent");
        if (!folder.isEmpty())
            resumeSre(folder);
    });
    m_jobButtons = new JobButtons(m_controller, {m_start, m_resume}, this);
    m_stop = m_jobButtons->stop();
    m_stop->setToolTip(tr("Stops at the next step; the SRE run folder keeps its checkpoint for Resume SRE…"));
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Direction source"), this));
    controls->addWidget(m_method);
    controls->addWidget(m_sre);
    controls->addWidget(new QLabel(tr("K"), this));
    controls->addWidget(m_count);
    controls->addWidget(m_steps);
    controls->addWidget(m_start);
    controls->addWidget(m_stop);
    controls->addWidget(m_resume);
    controls->addStretch(1);
    m_status
        = new QLabel(tr("Directions are written to the application's data folder and loaded into the explorer."), this);
    m_status->setWordWrap(true);
    m_plot = new MetricPlot(this);
    m_plot->setTitle(tr("SRE held-out ranking accuracy per direction"));
    m_plot->setAxisLabels(tr("step"), tr("accuracy"));
    // Ranking two shifts of one direction right half the time is chance (the dotted line); curves of directions
    // that stay there dip under it, so the axis starts well below 0.5.
    m_plot->setYRange(0.25, 1.0);

    // The matrix SRE is changing, beside the curves: rows = directions, columns = the world's factors.
    auto *liveBox = new QWidget(this);
    m_liveCaption = new QLabel(tr("While SRE trains on a Sprites or Scenes generator, the direction × factor matrix "
                                  "(how much each direction moves each factor) appears here and follows it."),
        liveBox);
    m_liveCaption->setWordWrap(true);
    // As on the Factors page: shape's reading is the noisiest, so on |mean change| its column can outshine a
    // direction's own factor; x random direction reads every column against its own noise.
    m_liveCells = new QComboBox(liveBox);
    m_liveCells->addItem(tr("cells: |mean change|"));
    m_liveCells->addItem(tr("cells: × random direction"));
    m_liveCells->setToolTip(tr("|mean change| (at ±1.5σ, as a fraction of the factor's range) is the paper's rescoring "
                               "matrix; × random direction divides each cell by what random directions move of that "
                               "factor (on the live matrix's latents)."));
    m_liveCells->setCurrentIndex(1); // as on the Factors page: the view the row names are read from
    connect(m_liveCells, &QComboBox::currentIndexChanged, this, [this] {
        if (m_liveStep >= 0)
            showLiveCells();
    });
    m_live = new CellHeatMap(liveBox);
    m_live->setValueFormat(QStringLiteral("%.2f"));
    m_live->setAxisTitles(tr("direction"), tr("factor"));
    m_live->setMinimumSize(300, 260);
    m_live->setVisible(false);
    auto *liveLayout = new QVBoxLayout(liveBox);
    liveLayout->setContentsMargins(0, 0, 0, 0);
    liveLayout->addWidget(m_liveCaption);
    liveLayout->addWidget(m_liveCells, 0, Qt::AlignLeft);
    liveLayout->addWidget(m_live, 1);
    auto *views = new QSplitter(Qt::Horizontal, this);
    views->addWidget(m_plot);
    views->addWidget(liveBox);
    views->setStretchFactor(0, 1);
    views->setStretchFactor(1, 1); // the matrix needs room for six factor columns beside ten row labels
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(views, 1);
}

void DirectionComputePanel::showLiveAttribution(int step, const FactorAttribution &attribution)
{
    if (step == 0) {
        m_startDiagonal = attribution.authorsDiagonal;
        m_startOffDiagonal = attribution.authorsOffDiagonal;
    }
    m_liveStep = step;
    m_liveShown = attribution;
    showLiveCells();
    const bool named = m_rowNames.size() == attribution.magnitude.size();
    // What the cells are is the cells box's to say; the caption gives the matched statistic and where names come from.
    const QString measured = step == 0
        ? tr("The authors' matched off-diagonal (spill-over, lower is better) is %1, the diagonal %2 (95% intervals "
             "over %3 latents).")
              .arg(intervalText(attribution.authorsOffDiagonal), intervalText(attribution.authorsDiagonal))
              .arg(attribution.samples)
        : tr("Matched off-diagonal (spill-over, lower is better) %1 at the start, %2 now: %3. Diagonal %4 → %5 (95% "
             "intervals over %6 latents).")
              .arg(intervalText(m_startOffDiagonal), intervalText(attribution.authorsOffDiagonal),
                  intervalChangeText(m_startOffDiagonal, attribution.authorsOffDiagonal), intervalText(m_startDiagonal),
                  intervalText(attribution.authorsDiagonal))
              .arg(attribution.samples);
    const QString names = named
        ? tr(" Rows are named as on the Factors page, by the starting set on %1 latents; on %2 a weak factor's cell "
             "can outgrow the named one.")
              .arg(m_namedOn)
              .arg(attribution.samples)
        : QString();
    m_liveCaption->setText(measured + names);
}

void DirectionComputePanel::showLiveCells()
{
    const FactorAttribution &attribution = m_liveShown;
    QStringList rows, columns;
    const bool named = m_rowNames.size() == attribution.magnitude.size();
    for (int k = 0; k < attribution.magnitude.size(); ++k)
        rows << QStringLiteral("d%1 → %2").arg(k + 1).arg((named ? m_rowNames : attribution.labels).value(k));
    for (const QString &name : attribution.factorNames)
        columns << factorColumnLabel(name);
    m_live->setValueFormat(liveTimesRandom() ? QStringLiteral("%.1f") : QStringLiteral("%.2f"));
    m_live->setMatrix(shownCells(attribution, liveTimesRandom()), rows, columns);
    m_live->setTitle(m_liveStep == 0 ? tr("Start of SRE") : tr("SRE step %1 of %2").arg(m_liveStep).arg(m_sreSteps));
    m_live->setVisible(true);
}

void DirectionComputePanel::setLiveTimesRandom(bool on)
{
    m_liveCells->setCurrentIndex(on ? 1 : 0);
}

bool DirectionComputePanel::liveTimesRandom() const
{
    return m_liveCells->currentIndex() == 1;
}

void DirectionComputePanel::nameLiveRows(const QString &setPath, const FactorAttribution &start)
{
    m_rowNames = start.labels;
    m_namedOn = start.samples;
    if (m_explorer->hasDirections() && !m_explorer->attribution(0)
        && QFileInfo(m_explorer->directionsPath()).canonicalFilePath() == QFileInfo(setPath).canonicalFilePath()
        && m_explorer->directions().count() == start.magnitude.size())
        m_explorer->setAttribution(0, start);
}

QString DirectionComputePanel::liveCaption() const
{
    return m_liveCaption->text();
}

QString DirectionComputePanel::statusText() const
{
    return m_status->text();
}

bool DirectionComputePanel::compute()
{
    if (!m_explorer->hasGenerator()) {
        m_status->setText(tr("Open a generator first."));
        return false;
    }
    LatentDirectionsConfig config;
    config.generatorPath = m_explorer->generatorPath();
    config.method = DirectionMethod(m_method->currentData().toInt());
    config.count = m_count->value();
    config.refineWithSre = m_sre->isChecked();
    config.sreSteps = m_steps->value();
    config.nameSamples = m_factors ? m_factors->samples() : DefaultAttributionSamples;
    if (m_explorer->hasDirections()) // a set computed again takes the loaded one's stored names (Factors shows them)
        config.namedSets << m_explorer->directionsPath();
    m_sreSteps = config.sreSteps;
    const QString key = QString::fromStdString(directionMethodKey(config.method));
    config.outDir = QDir(QString::fromStdString(runsHome()))
                        .filePath(QStringLiteral("latent/%1-%2-%3")
                                      .arg(QFileInfo(config.generatorPath).completeBaseName(), key,
                                          QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss")));
    return start(new LatentDirectionsJob(config));
}

bool DirectionComputePanel::resumeSre(const QString &runDir)
{
    SreConfig sre;
    try {
        sre = readSreConfig(runDir.toStdString());
    } catch (const std::exception &problem) {
        m_status->setText(tr("Cannot resume: %1").arg(QString::fromUtf8(problem.what())));
        return false;
    }
    // The explorer shows the run's own generator and initial directions, so "after SRE" sits beside what it refines.
    const QString generator = QString::fromStdString(sre.generatorPath);
    const QString initial = QString::fromStdString(sre.directionsPath);
    if (QFileInfo(generator).canonicalFilePath() != QFileInfo(m_explorer->generatorPath()).canonicalFilePath()) {
        // One answer to this open, success or failure: a later open must not load this run's directions.
        auto opened = std::make_shared<QMetaObject::Connection>();
        auto failed = std::make_shared<QMetaObject::Connection>();
        *opened = connect(m_explorer, &DirectionExplorer::generatorOpened, this, [this, opened, failed, initial] {
            disconnect(*opened);
            disconnect(*failed);
            m_explorer->loadDirections(initial);
        });
        *failed = connect(m_explorer, &DirectionExplorer::generatorFailed, this, [opened, failed] {
            disconnect(*opened);
            disconnect(*failed);
        });
        m_explorer->openGenerator(generator);
    } else {
        m_explorer->loadDirections(initial);
    }
    LatentDirectionsConfig config;
    config.generatorPath = generator;
    config.resumeSreDir = runDir;
    config.nameSamples = m_factors ? m_factors->samples() : DefaultAttributionSamples;
    m_sreSteps = sre.steps;
    if (!start(new LatentDirectionsJob(config)))
        return false;
    m_status->setText(tr("Resuming SRE in %1 (%2 steps in all)…").arg(runDir).arg(sre.steps));
    return true;
}

bool DirectionComputePanel::start(LatentDirectionsJob *job)
{
    connect(job, &LatentDirectionsJob::directionsFound, this, [this](const QString &path) {
        m_explorer->loadDirections(path);
        m_status->setText(tr("Found %1").arg(path));
    });
    connect(job, &LatentDirectionsJob::sreLogged, this, [this](int step, const QVector<double> &accuracy, double mean) {
        for (int k = 0; k < accuracy.size(); ++k)
            m_plot->addPoint(m_plot->addSeries(tr("d%1").arg(k + 1), seriesColor(k)), step, accuracy[k]);
        m_plot->addPoint(m_plot->addSeries(tr("mean"), Qt::black, Qt::DashLine), step, mean);
        m_plot->addPoint(m_plot->addSeries(tr("chance"), Qt::gray, Qt::DotLine), step, 0.5);
        m_status->setText(tr("SRE step %1: mean held-out ranking accuracy %2").arg(step).arg(mean, 0, 'f', 3));
    });
    // Only this page's own job speaks here: another page's failure (an export, a build) is not this page's news.
    connect(job, &Job::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(job, &LatentDirectionsJob::sreAttributed, this, &DirectionComputePanel::showLiveAttribution);
    connect(job, &LatentDirectionsJob::sreNamed, this, &DirectionComputePanel::nameLiveRows);
    m_rowNames.clear();
    connect(job, &LatentDirectionsJob::sreFinished, this, [this](const QString &path) {
        m_explorer->loadAfterSre(path);
        m_status->setText(tr("SRE done: %1 (shown as \"after SRE\")").arg(path));
    });
    m_plot->clearSeries();
    m_live->setVisible(false);
    m_liveStep = -1;
    if (!m_controller->start(std::unique_ptr<Job>(job))) { // owns it from here, even when it refuses
        m_status->setText(tr("Another job is running; stop it first."));
        return false;
    }
    m_jobButtons->markRunning();
    return true;
}

} // namespace untangle
