#include "debiastrainpage.h"

#include "branchheatmaps.h"
#include "datasetbuilderpage.h"
#include "datasetcues.h"
#include "datasetform.h"
#include "datasetnaming.h"
#include "debiascurves.h"
#include "debiasseeds.h"
#include "debiasseedsjob.h"
#include "debiastrainingjob.h"
#include "inspectionlabels.h"
#include "jobcontroller.h"
#include "metricplot.h"
#include "runfolderkind.h"
#include "runform.h"
#include "runhistory.h"
#include "runreport.h"
#include "seedshistory.h"
#include "timelinebar.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QUrl>
#include <QVBoxLayout>
#include <memory>

#include <cmath>

namespace untangle {
namespace {
constexpr int TopShare = 50; // percent of the views' height for the accuracy and decodability curves
} // namespace

DebiasTrainPage::DebiasTrainPage(JobController *controller, DatasetBuilderPage *datasets, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_datasets(datasets)
    , m_history(new RunHistory(this))
    , m_comparison(new RunHistory(this))
    , m_seeds(new SeedsHistory(m_history, this))
{
    m_form = new RunForm(this);
    m_start = new QPushButton(tr("Start"), this);
    m_pause = new QPushButton(tr("Pause"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    auto *open = new QPushButton(tr("Open run…"), this);
    auto *compare = new QPushButton(tr("Compare with…"), this);
    compare->setToolTip(tr("Overlay another run's accuracy curves (e.g. ERM against DeNetDM)"));
    auto *showFolder = new QPushButton(tr("Show folder"), this);
    auto *report = new QPushButton(tr("Report…"), this);
    report->setToolTip(tr("A one-page PDF or PNG: settings, final table, curves and heat maps"));
    m_status = new QLabel(tr("Not started. The dataset is the one built on the Dataset page."), this);
    m_status->setWordWrap(true);
    m_folderLabel = new QLabel(this);
    m_folderLabel->setWordWrap(true);
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setObjectName("hint");

    auto *formBox = new QGroupBox(tr("Train"), this);
    auto *formLayout = new QVBoxLayout(formBox);
    formLayout->addWidget(m_form);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    formLayout->addLayout(buttons);
    auto *fileButtons = new QGridLayout; // two by two: four labels in a row clip at 1280 px ("ompare with")
    fileButtons->addWidget(open, 0, 0);
    fileButtons->addWidget(compare, 0, 1);
    fileButtons->addWidget(showFolder, 1, 0);
    fileButtons->addWidget(report, 1, 1);
    formLayout->addLayout(fileButtons);
    formLayout->addWidget(m_status);
    formLayout->addWidget(m_folderLabel);
    formLayout->addStretch(1);
    formBox->setMaximumWidth(356);

    m_curves = new DebiasCurves(m_history, this);
    m_curves->setSeedSpread(m_seeds);
    m_heatMaps = new BranchHeatMaps(this);
    m_timeline = new TimelineBar(this);
    m_timeline->setCount(0);
    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_heatMaps);
    bottom->addWidget(m_curves->lossPlot());
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 1);
    auto *views = new QSplitter(Qt::Vertical, this);
    views->addWidget(m_curves);
    views->addWidget(bottom);
    views->setStretchFactor(0, 1);
    views->setStretchFactor(1, 1);
    // Half and half from the first show (sizes are weights until then): by size hints alone the maps took 60 % at
    // 1280x800 and left the accuracy curves a 100 px strip under their four legend rows.
    views->setSizes({TopShare, 100 - TopShare});
    auto *split = new QComboBox(this);
    split->addItem(tr("test accuracy"));
    split->addItem(tr("valid accuracy"));
    split->setToolTip(tr("Which unbiased split the accuracy curves show (valid selects the epoch, test reports)"));
    connect(split, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_curves->setShowValid(index == 1);
        showEvaluation(m_timeline->position()); // the marker goes back on the rebuilt plots
    });
    auto *bottomRow = new QHBoxLayout;
    bottomRow->addWidget(m_timeline, 1);
    bottomRow->addWidget(split);
    auto *right = new QVBoxLayout;
    right->addWidget(views, 1);
    right->addLayout(bottomRow);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(formBox);
    layout->addLayout(right, 1);

    connect(m_start, &QPushButton::clicked, this, &DebiasTrainPage::start);
    connect(m_pause, &QPushButton::clicked, this,
        [this] { m_controller->isPaused() ? m_controller->resume() : m_controller->pause(); });
    connect(m_stop, &QPushButton::clicked, m_controller, &JobController::stop);
    connect(m_controller, &JobController::pausedChanged, this,
        [this](bool paused) { m_pause->setText(paused ? tr("Resume") : tr("Pause")); });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder"), m_form->runFolder());
        QString error;
        if (!dir.isEmpty() && !openRun(dir, &error))
            QMessageBox::warning(this, tr("Open run"), error);
    });
    connect(compare, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Compare with the run in"), m_form->runFolder());
        if (!dir.isEmpty())
            compareWith(dir);
    });
    connect(showFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(
            QUrl::fromLocalFile(m_history->runDir().isEmpty() ? m_form->runFolder() : m_history->runDir()));
    });
    connect(report, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save run report"), m_history->runDir() + "/report.pdf", tr("PDF (*.pdf);;PNG (*.png)"));
        QString error;
        if (!path.isEmpty() && !exportReport(path, &error))
            QMessageBox::warning(this, tr("Report"), error);
    });
    connect(m_history, &RunHistory::evaluationAdded, this, [this](int) {
        m_timeline->setCount(int(m_history->evaluations().size()));
        updateStatus();
    });
    // The status's last lines (hardest samples, the biased branch's probe health) follow what arrives after them.
    for (const auto signal : {&RunHistory::hardSamplesChanged, &RunHistory::resultChanged})
        connect(m_history, signal, this, &DebiasTrainPage::updateStatus);
    connect(m_history, &RunHistory::probeAdded, this, &DebiasTrainPage::updateStatus);
    connect(m_seeds, &SeedsHistory::summaryChanged, this, &DebiasTrainPage::updateStatus);
    connect(m_history, &RunHistory::cleared, this, [this] {
        m_timeline->setCount(0);
        m_heatMaps->clear();
        updateStatus();
    });
    connect(m_timeline, &TimelineBar::positionChanged, this, &DebiasTrainPage::showEvaluation);
    setRunning(false);
}

QStringList DebiasTrainPage::labelNames(bool targets) const
{
    std::vector<std::string> targetList, biasList;
    const auto dataset = m_datasets->currentDataset();
    if (dataset && dataset->spec.kind == m_history->config().dataset.kind) {
        targetList = dataset->dataset.targetNames;
        biasList = dataset->dataset.biasNames;
    } else {
        fixedLabelNames(m_history->config().dataset.kind, targetList, biasList);
    }
    QStringList names;
    for (const auto &n : targets ? targetList : biasList)
        names << QString::fromStdString(n);
    return names;
}

void DebiasTrainPage::start()
{
    const DatasetSpec spec = m_datasets->form()->spec();
    const DebiasConfig config = m_form->config(spec);
    if (const std::string problem = validateConfig(config); !problem.empty()) {
        QMessageBox::warning(this, tr("Train"), QString::fromStdString(problem));
        return;
    }
    const QString dir = m_form->runFolder();
    const bool batchThere = QFileInfo::exists(dir + "/seeds.json");
    bool resume = false, overwrite = false;
    if (QFileInfo::exists(dir + "/checkpoint.pt") || batchThere) {
        QMessageBox ask(QMessageBox::Question, tr("Train"),
            (batchThere ? tr("%1 already holds a batch of seeds. Resume every seed from its last checkpoint, or start "
                             "over (its files are replaced)?")
                        : tr("%1 already holds a run. Resume it from its last checkpoint, or start over (its files are "
                             "replaced)?"))
                .arg(dir),
            QMessageBox::Cancel, this);
        QPushButton *resumeButton = ask.addButton(tr("Resume"), QMessageBox::AcceptRole);
        QPushButton *overButton = ask.addButton(tr("Start over"), QMessageBox::DestructiveRole);
        ask.exec();
        if (ask.clickedButton() != resumeButton && ask.clickedButton() != overButton)
            return;
        resume = ask.clickedButton() == resumeButton;
        overwrite = ask.clickedButton() == overButton;
    }
    const auto dataset = m_datasets->currentDataset();
    const int trainCount = dataset && dataset->spec.kind == spec.kind ? dataset->dataset.train.count : 0;
    if (resume && batchThere) {
        // A batch resumes with its own plan (seeds and settings), whatever the form says.
        QString error;
        if (!openRun(dir, &error)) {
            QMessageBox::warning(this, tr("Train"), error);
            return;
        }
        startSeeds(m_history->config(), m_seeds->seeds(), dir, true, false);
        return;
    }
    if (m_form->seedCount() > 1 && !resume) {
        const std::vector<std::uint64_t> seeds = consecutiveSeeds(config.seed, m_form->seedCount());
        m_seeds->clear(config, seeds, dir, trainCount);
        startSeeds(config, seeds, dir, false, overwrite);
        return;
    }
    if (resume)
        openRun(dir);
    else {
        m_seeds->reset();
        m_history->clear(config, dir, trainCount);
    }

    auto *job = new DebiasTrainingJob(config, dir, resume, overwrite);
    connect(job, &DebiasTrainingJob::evaluated, m_history, &RunHistory::addEvaluation);
    connect(job, &DebiasTrainingJob::probed, m_history, &RunHistory::addProbe);
    connect(job, &DebiasTrainingJob::hardSamplesFound, m_history, &RunHistory::setHardSamples);
    connect(job, &DebiasTrainingJob::finishedRun, m_history, &RunHistory::setResult);
    launch(job);
}

bool DebiasTrainPage::startSeeds(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds,
    const QString &dir, bool resume, bool overwrite)
{
    auto *job = new DebiasSeedsJob(config, seeds, dir, resume, overwrite);
    connect(job, &DebiasSeedsJob::evaluated, m_seeds, &SeedsHistory::addEvaluation);
    connect(job, &DebiasSeedsJob::probed, m_seeds, &SeedsHistory::addProbe);
    connect(job, &DebiasSeedsJob::hardSamplesFound, m_seeds, &SeedsHistory::setHardSamples);
    connect(job, &DebiasSeedsJob::finishedSeeds, m_seeds, &SeedsHistory::setOutcome);
    return launch(job);
}

bool DebiasTrainPage::launch(Job *job)
{
    connect(job, &Job::failed, this,
        [this](const QString &message) { QMessageBox::warning(this, tr("Training failed"), message); });
    connect(job, &Job::finished, this, [this] {
        setRunning(false);
        updateStatus();
        emit runFinished();
    });
    if (!m_controller->start(std::unique_ptr<Job>(job))) {
        QMessageBox::information(this, tr("Train"), tr("The worker is busy; try again when it is idle."));
        return false;
    }
    setRunning(true);
    return true;
}

bool DebiasTrainPage::openRun(const QString &runDir, QString *error)
{
    QString problem;
    if (QFileInfo::exists(runDir + "/seeds.json")) {
        if (!m_seeds->loadFolder(runDir, &problem)) {
            if (error)
                *error = problem;
            return false;
        }
        m_form->setConfig(m_history->config());
        m_form->setSeedCount(m_seeds->seedCount());
        m_form->setRunFolder(runDir);
        m_timeline->setPosition(m_timeline->count() - 1);
        return true;
    }
    // Out of batch mode before the run's records arrive (the curves would look for bands); a batch on show comes
    // back when the folder turns out not to be a run.
    const QString shownBatch = m_seeds->isActive() ? m_history->runDir() : QString();
    m_seeds->reset();
    if (!m_history->loadFolder(runDir, &problem)) {
        if (!shownBatch.isEmpty())
            m_seeds->loadFolder(shownBatch);
        // "config has no method" says little about a GAN or SRE folder: say what it is and where it opens.
        const QString kind = notADebiasRunText(runDir);
        if (error)
            *error = kind.isEmpty() ? problem : kind;
        return false;
    }
    m_form->setConfig(m_history->config());
    m_form->setSeedCount(1);
    m_form->setRunFolder(runDir);
    m_timeline->setPosition(m_timeline->count() - 1);
    return true;
}

void DebiasTrainPage::compareWith(const QString &runDir)
{
    QString error;
    if (!m_comparison->loadFolder(runDir, &error)) {
        QMessageBox::warning(this, tr("Compare"), error);
        return;
    }
    m_curves->showComparison(*m_comparison, QFileInfo(runDir).fileName());
}

void DebiasTrainPage::showEvaluation(int index)
{
    const auto &records = m_history->evaluations();
    if (index < 0 || index >= records.size())
        return;
    const EvaluationRecord &record = records[index];
    const QString scope = m_seeds->isActive() ? tr("mean of %n seeds", nullptr, m_seeds->seedCount()) : QString();
    m_heatMaps->setScope(scope);
    m_heatMaps->showRecord(record, labelNames(true), labelNames(false), datasetCues(m_history->config().dataset.kind));
    m_curves->setMarker(m_history->epochAxis(record));
    m_timeline->setLabel(tr("stage %1, epoch %2 (%3 of %4)%5%6")
                             .arg(record.stage)
                             .arg(record.epoch)
                             .arg(index + 1)
                             .arg(records.size())
                             .arg(scope.isEmpty() ? QString() : " · " + scope)
                             .arg(m_timeline->isFollowing() && m_running ? tr(" · live") : QString()));
}

BranchHealth DebiasTrainPage::stage1Health() const
{
    // A finished run says it at its selected stage-1 epoch; a live one at its newest stage-1 probe.
    if (m_history->hasResult())
        return m_history->result().stage1Health;
    const DebiasMethod method = m_history->config().method;
    if (method == DebiasMethod::Erm) // one network: no branch meant to hold the cue
        return {};
    BranchHealth health {method == DebiasMethod::DeNetDM ? "deep" : "biased"};
    for (const ProbeRecord &probe : m_history->probes())
        if (probe.stage == 1 && probe.epoch > 0 && probe.branch == health.branch) {
            health.epoch = probe.epoch;
            health.biasDecodability = probe.biasAccuracy;
            health.targetDecodability = probe.targetAccuracy;
        }
    return health;
}

QString DebiasTrainPage::batchStatus() const
{
    QStringList seeds;
    for (std::uint64_t seed : m_seeds->seeds())
        seeds << QString::number(seed);
    const DebiasConfig &config = m_history->config();
    QString text = tr("%n seeds at once (%1) on one dataset (data seed %2).", nullptr, m_seeds->seedCount())
                       .arg(seeds.join(", "))
                       .arg(config.dataset.seed);
    const auto &records = m_history->evaluations();
    if (records.isEmpty())
        return text
            + (m_running ? tr("\nTraining; the mean appears once every seed has finished its first epoch.")
                         : tr("\nNo seed has finished an epoch yet."));
    const EvaluationRecord &last = records.back();
    const QVector<int> counts = m_seeds->evaluationCounts();
    text += tr("\nMean at stage %1, epoch %2 of %3")
                .arg(last.stage)
                .arg(last.epoch)
                .arg(last.stage == 2 ? config.stage2Epochs : config.stage1Epochs);
    if (*std::max_element(counts.begin(), counts.end()) > records.size()) { // the mean waits for the slowest seed
        QStringList reached;
        for (int count : counts)
            reached << QString::number(count);
        text += tr(" (the slowest seed's; evaluations per seed: %1 of %2)")
                    .arg(reached.join(", "))
                    .arg(totalEpochs(config));
    }
    if (m_running) {
        // The seeds train side by side, so a seed's time per epoch is the batch's wall time per epoch.
        double seconds = 0;
        for (const auto &r : records)
            seconds += r.epochSeconds + r.evalSeconds;
        const int remaining = totalEpochs(config) - int(m_history->epochAxis(last));
        if (remaining > 0)
            text += tr(" · about %1 s left").arg(std::ceil(seconds / records.size() * remaining), 0, 'f', 0);
    }
    if (const QStringList summary = m_seeds->summaryLines(); !summary.isEmpty())
        text += "\n" + summary.join("\n");
    return text;
}

void DebiasTrainPage::updateStatus()
{
    m_folderLabel->setText(m_history->runDir().isEmpty() ? QString() : tr("Run folder: %1").arg(m_history->runDir()));
    if (m_seeds->isActive()) {
        m_status->setText(batchStatus());
        return;
    }
    const auto &records = m_history->evaluations();
    if (records.isEmpty()) {
        m_status->setText(m_running ? tr("Training stage 1, epoch 1 of %1…").arg(m_history->config().stage1Epochs)
                                    : tr("Not started. The dataset is the one built on the Dataset page."));
        return;
    }
    const EvaluationRecord &last = records.back();
    const DebiasConfig &config = m_history->config();
    double seconds = 0;
    for (const auto &r : records)
        seconds += r.epochSeconds + r.evalSeconds;
    const double perEpoch = seconds / records.size();
    const int remaining = totalEpochs(config) - int(m_history->epochAxis(last));
    QString text = tr("Stage %1, epoch %2 of %3 · %4 samples/s")
                       .arg(last.stage)
                       .arg(last.epoch)
                       .arg(last.stage == 2 ? config.stage2Epochs : config.stage1Epochs)
                       .arg(last.samplesPerSecond, 0, 'f', 0);
    if (m_running && remaining > 0)
        text += tr(" · about %1 s left").arg(std::ceil(perEpoch * remaining), 0, 'f', 0);
    if (m_history->hardSamples().k > 0)
        text += tr("\nHardest %1 training samples of the %2 branch: %3% truly conflicting (%4% by chance)")
                    .arg(m_history->hardSamples().k)
                    .arg(QString::fromStdString(m_history->hardSamples().branch))
                    .arg(100.0 * m_history->hardSamples().precision, 0, 'f', 1)
                    .arg(100.0 * m_history->hardSamples().baseRate, 0, 'f', 1);
    if (const QString health = branchHealthText(stage1Health()); !health.isEmpty())
        text += "\n" + health;
    m_status->setText(text);
}

void DebiasTrainPage::setRunning(bool running)
{
    m_running = running;
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    m_form->setEnabled(!running);
    updateStatus(); // "Not started." must not outlive the start (the history was cleared before running was set)
}

bool DebiasTrainPage::exportReport(const QString &path, QString *error)
{
    if (m_seeds->isActive()) {
        QStringList seeds;
        for (std::uint64_t seed : m_seeds->seeds())
            seeds << QString::number(seed);
        const ReportSeeds batch {seeds.join(", "), m_seeds->summaryLines()};
        return writeRunReport(path, *m_history, m_curves, labelNames(true), labelNames(false), error, &batch);
    }
    return writeRunReport(path, *m_history, m_curves, labelNames(true), labelNames(false), error);
}

QString DebiasTrainPage::statusText() const
{
    return m_status->text();
}

} // namespace untangle
