#include "debiasinspectpage.h"

#include "cueconflictpanel.h"
#include "debiastrainpage.h"
#include "inspectionlabels.h"
#include "inspectionservice.h"
#include "inspectrunjob.h"
#include "jobcontroller.h"
#include "runhistory.h"
#include "saliencystrip.h"
#include "samplebrowser.h"
#include "timelinebar.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>
#include <memory>

#include <algorithm>

namespace untangle {
namespace {
constexpr int BrowserStretch = 1; // the browsers take whatever height the selected-image views leave
const char *const ProblemStyle = "color: #b3261e;"; // a refusal or failure must not read like progress
} // namespace

DebiasInspectPage::DebiasInspectPage(JobController *controller, DebiasTrainPage *trainPage, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_trainPage(trainPage)
    , m_service(new InspectionService(this))
{
    connect(m_service, &InspectionService::inspected, this, &DebiasInspectPage::showAnswer);
    connect(m_service, &InspectionService::failed, this, [this](quint64 id, const QString &message) {
        if (id == m_service->lastRequestId())
            setStatus(tr("Cannot show %1: %2").arg(m_selectedName, message), true);
    });
    m_inspect = new QPushButton(tr("Inspect this run"), this);
    m_inspect->setToolTip(tr("Load the run shown on the Train page: its selected models and every head's verdict on "
                             "the test split"));
    m_save = new QPushButton(tr("Save view as PNG…"), this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_inspect);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_save);

    m_imageIndex = new QSpinBox(this);
    m_imageIndex->setPrefix(tr("test #"));
    m_imageIndex->setRange(0, 0);
    m_random = new QPushButton(tr("Random"), this);
    m_selection = new QLabel(this);
    auto *selectionRow = new QHBoxLayout;
    selectionRow->addWidget(new QLabel(tr("Image:"), this));
    selectionRow->addWidget(m_imageIndex);
    selectionRow->addWidget(m_random);
    selectionRow->addWidget(m_selection, 1);
    auto *clickHint = new QLabel(tr("or click any image below"), this);
    clickHint->setObjectName("hint");
    selectionRow->addWidget(clickHint);

    auto *cueBox = new QGroupBox(tr("Which cue does each head follow?"), this);
    m_cuePanel = new CueConflictPanel(cueBox);
    (new QVBoxLayout(cueBox))->addWidget(m_cuePanel);
    auto *saliencyBox = new QGroupBox(tr("Where each head looks"), this);
    m_saliency = new SaliencyStrip(saliencyBox);
    (new QVBoxLayout(saliencyBox))->addWidget(m_saliency);
    auto *views = new QHBoxLayout;
    views->addWidget(cueBox, 1);
    views->addWidget(saliencyBox); // as wide as its strip of images

    m_browser = new SampleBrowser(this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(selectionRow);
    layout->addLayout(views);
    layout->addWidget(m_browser, BrowserStretch);

    connect(m_inspect, &QPushButton::clicked, this, &DebiasInspectPage::inspect);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save view as PNG"), QDir::home().filePath("inspect.png"), tr("PNG images (*.png)"));
        if (!path.isEmpty() && !saveViewAs(path))
            QMessageBox::warning(this, tr("Save view"), tr("Could not write %1.").arg(path));
    });
    connect(m_imageIndex, &QSpinBox::valueChanged, this, &DebiasInspectPage::selectTestImage);
    connect(m_random, &QPushButton::clicked, this, &DebiasInspectPage::selectRandomImage);
    connect(m_browser, &SampleBrowser::testImageClicked, this, &DebiasInspectPage::selectTestImage);
    connect(m_browser, &SampleBrowser::trainImageClicked, this, &DebiasInspectPage::selectTrainImage);
    // A run that finishes (or a job that ends) while the page is on screen is inspected without another click.
    connect(m_controller, &JobController::idle, this, [this] {
        if (isVisible())
            inspectIfStale();
    });
    RunHistory *history = m_trainPage->history();
    connect(history, &RunHistory::hardSamplesChanged, this, [this] {
        if (isCurrent())
            m_browser->setHardSamples(m_trainPage->history()->hardSamples());
    });
    connect(history, &RunHistory::cleared, this, [this] {
        if (m_inspection && !isCurrent())
            setStatus(tr("Showing %1; the Train page now shows %2. Inspect this run to switch.")
                          .arg(QDir::toNativeSeparators(m_inspection->runDir),
                              QDir::toNativeSeparators(m_trainPage->history()->runDir())));
    });
    m_random->setEnabled(false);
    m_imageIndex->setEnabled(false);
    m_cuePanel->showUnavailable(tr("Nothing inspected yet."));
    setStatus(tr("Open or train a run on the Train page, then inspect it here."));
}

DebiasInspectPage::~DebiasInspectPage() = default;

QString DebiasInspectPage::statusText() const
{
    return m_status->text();
}

QString DebiasInspectPage::selectionText() const
{
    return m_selection->text();
}

void DebiasInspectPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QString::fromLatin1(ProblemStyle) : QString());
}

QString DebiasInspectPage::runKey() const
{
    const QString dir = m_trainPage->history()->runDir();
    const QFileInfo checkpoint(dir + "/checkpoint.pt");
    return dir + '|' + (checkpoint.exists() ? QString::number(checkpoint.lastModified().toMSecsSinceEpoch()) : "none");
}

bool DebiasInspectPage::isCurrent() const
{
    return m_inspection && m_inspection->runDir == m_trainPage->history()->runDir();
}

void DebiasInspectPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    inspectIfStale();
}

void DebiasInspectPage::inspectIfStale()
{
    if (!m_job && !m_trainPage->history()->runDir().isEmpty() && runKey() != m_attemptedKey)
        inspect();
}

void DebiasInspectPage::inspect()
{
    const RunHistory *history = m_trainPage->history();
    if (history->runDir().isEmpty()) {
        setStatus(tr("No run to inspect: open a run folder or train one on the Train page first."), true);
        return;
    }
    if (m_job)
        return; // already loading this (or the previous) run
    if (m_controller->isBusy()) {
        // Not queued: the user decides whether the running job matters more. The idle signal retries on screen.
        setStatus(tr("The worker is busy (%1); inspect when it is idle, or stop it.").arg(m_controller->currentTitle()),
            true);
        return;
    }
    m_attemptedKey = runKey();
    auto *job = new InspectRunJob(history->runDir(), history->config(), m_service->handOver());
    connect(job, &InspectRunJob::inspected, this, &DebiasInspectPage::showInspection);
    connect(job, &Job::progress, this,
        [this](double, const QString &message) { setStatus(tr("Inspecting: %1").arg(message)); });
    connect(job, &Job::failed, this, [this](const QString &message) {
        setStatus(tr("Cannot inspect this run: %1").arg(message), true);
        emit inspectionFailed(message);
    });
    connect(job, &Job::stopped, this, [this] { setStatus(tr("Inspection stopped.")); });
    const QString dir = history->runDir();
    if (!m_controller->start(std::unique_ptr<Job>(job)))
        return; // unreachable after the busy check; the controller deleted the job
    m_job = job;
    setStatus(tr("Inspecting %1…").arg(QDir::toNativeSeparators(dir)));
}

void DebiasInspectPage::showInspection(const RunInspection &inspection)
{
    m_inspection = std::make_shared<const RunInspection>(inspection);
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const DebiasConfig &config = m_inspection->config;
    m_heads = shownHeads(m_inspection->heads);
    m_browser->setInspection(m_inspection, m_heads, config.method);
    m_browser->setHardSamples(isCurrent() ? m_trainPage->history()->hardSamples() : HardSamples());
    setStatus(tr("%1 · %2 on %3 · %4 test images predicted. <b>Models: %5</b>; the Train page's timeline may show "
                 "another epoch.")
                  .arg(QFileInfo(m_inspection->runDir).fileName(), QString::fromStdString(methodKey(config.method)),
                      QString::fromStdString(data.description))
                  .arg(data.test.count)
                  .arg(headWeightsText(m_inspection->heads, m_heads).toHtmlEscaped()));
    const bool hasImages = data.test.count > 0;
    m_random->setEnabled(hasImages);
    m_imageIndex->setEnabled(hasImages);
    {
        const QSignalBlocker blocker(m_imageIndex);
        m_imageIndex->setRange(0, std::max(0, data.test.count - 1));
    }
    if (m_pendingCell.target >= 0 && isCurrent())
        m_browser->showCell(m_pendingCell.head, m_pendingCell.target, m_pendingCell.bias,
            mapNote(m_pendingCell.head, m_pendingCell.target, m_pendingCell.bias));
    m_pendingCell = PendingCell();
    if (hasImages)
        selectTestImage(m_imageIndex->value());
    emit inspected();
}

void DebiasInspectPage::showCell(const QString &head, int target, int bias)
{
    if (isCurrent()) {
        m_browser->showCell(head, target, bias, mapNote(head, target, bias));
        return;
    }
    // The cell belongs to the Train page's run: load it first, then show the cell.
    m_pendingCell = PendingCell {head, target, bias};
    m_browser->setCurrentWidget(m_browser->page(SampleBrowser::Cell));
    if (isVisible())
        inspect();
}

QString DebiasInspectPage::mapNote(const QString &head, int target, int bias) const
{
    const HeadWeights weights = m_inspection->heads.weightsOf(head.toStdString());
    const RunHistory *history = m_trainPage->history();
    const auto &records = history->evaluations();
    auto cellOf = [&](const EvaluationRecord &record) {
        const HeadAccuracy *accuracy = record.findHead(head.toStdString());
        return accuracy && target < int(accuracy->test.cells.size())
                && bias < int(accuracy->test.cells[std::size_t(target)].size())
            ? QString::number(100.0 * accuracy->test.cells[std::size_t(target)][std::size_t(bias)], 'f', 1) + '%'
            : QString();
    };
    QString atWeights;
    for (const EvaluationRecord &record : records)
        if (record.stage == weights.stage && record.epoch == weights.epoch)
            atWeights = cellOf(record);
    const int position = m_trainPage->timeline()->position();
    if (position < 0 || position >= records.size())
        return atWeights.isEmpty() ? QString() : tr("The heat map at that epoch says %1.").arg(atWeights);
    const EvaluationRecord &shown = records[position];
    const QString shownEpoch = tr("stage %1, epoch %2").arg(shown.stage).arg(shown.epoch);
    if (shown.stage == weights.stage && shown.epoch == weights.epoch)
        return tr("The Train page's timeline is at the same epoch (%1), where the %2 map says %3 for this cell.")
            .arg(shownEpoch, head, atWeights);
    const QString there = cellOf(shown);
    return tr("The Train page's timeline is at %1%2; at %3, the epoch of these verdicts, the map says %4.")
        .arg(shownEpoch,
            there.isEmpty() ? tr(" (no %1 map there)").arg(head) : tr(", where the %1 map says %2").arg(head, there),
            weightsText(weights), atWeights.isEmpty() ? tr("nothing (not evaluated)") : atWeights);
}

void DebiasInspectPage::selectTestImage(int index)
{
    if (!m_inspection || index < 0 || index >= m_inspection->dataset->dataset.test.count)
        return;
    const LabeledImages &test = m_inspection->dataset->dataset.test;
    {
        const QSignalBlocker blocker(m_imageIndex);
        m_imageIndex->setValue(index);
    }
    m_selected = test.image(index);
    m_selectedTarget = int(test.targets[index]);
    m_selectedBias = int(test.biases[index]);
    m_selectedName = tr("test #%1").arg(index);
    showSelection();
}

void DebiasInspectPage::selectTrainImage(int index)
{
    if (!m_inspection || index < 0 || index >= m_inspection->dataset->dataset.train.count)
        return;
    const LabeledImages &train = m_inspection->dataset->dataset.train;
    m_selected = train.image(index);
    m_selectedTarget = int(train.targets[index]);
    m_selectedBias = int(train.biases[index]);
    m_selectedName = tr("train #%1").arg(index);
    showSelection();
}

void DebiasInspectPage::selectRandomImage()
{
    if (m_inspection && m_inspection->dataset->dataset.test.count > 0)
        selectTestImage(int(QRandomGenerator::global()->bounded(m_inspection->dataset->dataset.test.count)));
}

void DebiasInspectPage::showSelection()
{
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const QString target = labelName(data.targetNames, m_selectedTarget);
    const QString bias = labelName(data.biasNames, m_selectedBias);
    m_selection->setText(
        tr("<b>%1</b>: target %2, bias %3 (%4)")
            .arg(m_selectedName, target, bias, m_selectedTarget == m_selectedBias ? tr("aligned") : tr("conflicting")));
    // The models answer on the inspection thread; the views change when the answer for the newest image arrives.
    ImageInspectionRequest request;
    request.image = m_selected;
    for (const QString &head : m_heads)
        request.saliencyHeads.push_back(head.toStdString());
    request.saliencyUpscale = SaliencyStrip::OverlayUpscale;
    request.cueConflict = hasColourBias(m_inspection->dataset->spec.kind);
    request.colour = m_selectedBias;
    m_service->inspect(std::move(request));
}

void DebiasInspectPage::showAnswer(const ImageInspection &answer)
{
    if (!m_inspection || answer.id != m_service->lastRequestId())
        return; // an older image's answer, overtaken by a newer click
    const BiasedDataset &data = m_inspection->dataset->dataset;
    if (answer.recoloured > 0)
        m_cuePanel->showVerdicts(
            answer, m_inspection->heads, m_heads, m_selectedBias, m_selectedTarget, data.targetNames, data.biasNames);
    else
        m_cuePanel->showUnavailable(
            tr("The cue-conflict row repaints the image in every palette colour, so it needs a dataset whose bias "
               "is a colour (Colored MNIST, Colored Fashion-MNIST). %1 biases by something else; the saliency "
               "and the browsers still show what each head relies on.")
                .arg(QString::fromStdString(datasetTitle(m_inspection->dataset->spec.kind))));
    m_saliency->showVerdicts(answer, m_inspection->heads, m_heads, m_selectedName, data.targetNames);
    m_shownAnswer = answer.id;
    emit selectionShown();
}

bool DebiasInspectPage::isSelectionShown() const
{
    return m_shownAnswer != 0 && m_shownAnswer == m_service->lastRequestId();
}

bool DebiasInspectPage::saveViewAs(const QString &path)
{
    return grab().save(path, "PNG");
}

} // namespace untangle
