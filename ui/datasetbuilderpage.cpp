#include "datasetbuilderpage.h"

#include "datasetbuildjob.h"
#include "datasetcues.h"
#include "datasetform.h"
#include "datasetpreview.h"
#include "datasetsettings.h"
#include "exportlffjob.h"
#include "jobcontroller.h"

#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QVBoxLayout>
#include <memory>

namespace untangle {

DatasetBuilderPage::DatasetBuilderPage(JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_form = new DatasetForm(this);
    m_preview = new DatasetPreview(this);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse); // the fetch command can be copied
    m_error->setStyleSheet("QLabel { color: #c92a2a; }");
    m_error->hide();

    auto *formBox = new QGroupBox(tr("Build a biased dataset"), this);
    auto *formLayout = new QVBoxLayout(formBox);
    formLayout->addWidget(m_form);
    m_about = new QLabel(formBox);
    m_about->setWordWrap(true);
    m_about->setObjectName("hint");
    formLayout->addWidget(m_about);
    formLayout->addWidget(m_error);
    formLayout->addStretch(1);
    formBox->setMaximumWidth(356); // as wide as the Train page's form: the preview needs the room

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(formBox);
    layout->addWidget(m_preview, 1);

    // The help names this dataset's cues: "colour = digit" is wrong for Sprites or corruptions.
    connect(m_form, &DatasetForm::kindChanged, this, [this](DatasetKind kind) {
        const DatasetCues cues = datasetCues(kind);
        m_about->setText(datasetHasRatio(kind)
                ? tr("Training images follow the bias (%1) except a conflicting share; valid and test are "
                     "unbiased, so a model that learned the shortcut (the %2 instead of the %3) fails on them.")
                      .arg(cues.rule, cues.bias, cues.target)
                : tr("Targets and biases come from the folder's labels, as it was built; a model that learned the "
                     "shortcut fails on the conflicting images of valid and test."));
    });
    connect(m_form, &DatasetForm::specChanged, this, &DatasetBuilderPage::requestBuild);
    connect(m_form, &DatasetForm::exportRequested, this, &DatasetBuilderPage::exportLff);
    m_form->setSpec(m_form->spec()); // announces the first kind, so the help says its cues
    connect(m_controller, &JobController::idle, this, [this] {
        if (m_pending)
            startBuild();
    });
}

QString DatasetBuilderPage::aboutText() const
{
    return m_about->text();
}

DatasetHandle DatasetBuilderPage::currentDataset() const
{
    return m_preview->dataset();
}

QString DatasetBuilderPage::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void DatasetBuilderPage::requestBuild()
{
    m_pending = true;
    if (!m_controller->isBusy())
        startBuild();
}

void DatasetBuilderPage::startBuild()
{
    m_pending = false;
    const DatasetSpec spec = m_form->spec();
    auto *job = new DatasetBuildJob(spec);
    connect(job, &DatasetBuildJob::built, this, [this](const DatasetHandle &dataset) {
        m_error->hide();
        m_preview->showDataset(dataset);
        emit datasetBuilt(dataset);
    });
    connect(job, &Job::failed, this, &DatasetBuilderPage::showError);
    if (m_controller->start(std::unique_ptr<Job>(job))) {
        ++m_buildsStarted;
        QSettings settings;
        saveDatasetSpec(settings, spec);
    } else {
        m_pending = true; // another job holds the worker; build when it is idle
    }
}

void DatasetBuilderPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    emit buildFailed(message);
}

void DatasetBuilderPage::exportLff()
{
    const DatasetHandle dataset = currentDataset();
    if (!dataset) {
        QMessageBox::information(this, tr("Export"), tr("Build a dataset first."));
        return;
    }
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export LfF / DeNetDM format into"));
    if (folder.isEmpty())
        return;
    auto *job = new ExportLffJob(dataset, folder);
    connect(job, &Job::failed, this, &DatasetBuilderPage::showError);
    if (!m_controller->start(std::unique_ptr<Job>(job)))
        QMessageBox::information(this, tr("Export"), tr("The worker is busy; try again when it is idle."));
}

} // namespace untangle
