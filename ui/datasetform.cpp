#include "datasetform.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

#include <cmath>

namespace untangle {
namespace {
// The slider moves in steps of 0.5% over the range the issue asks for, 0.5% to 20%; the spin box allows any value.
constexpr double RatioStepPercent = 0.5;
constexpr int RatioSteps = 40;
} // namespace

DatasetForm::DatasetForm(QWidget *parent)
    : QWidget(parent)
{
    m_dataset = new QComboBox(this);
    for (DatasetKind kind : allDatasetKinds())
        m_dataset->addItem(QString::fromStdString(datasetTitle(kind)), int(kind));

    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("Choose a folder…"));
    m_browse = new QPushButton(tr("Browse…"), this);
    m_pathRow = new QWidget(this);
    auto *pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(m_browse);

    m_ratioSlider = new QSlider(Qt::Horizontal, this);
    m_ratioSlider->setRange(1, RatioSteps);
    m_ratioSlider->setPageStep(2);
    m_ratioSlider->setToolTip(tr("Share of bias-conflicting training samples (the shortcut fails on them)"));
    m_ratioBox = new QDoubleSpinBox(this);
    m_ratioBox->setRange(0.0, 100.0);
    m_ratioBox->setDecimals(2);
    m_ratioBox->setSingleStep(RatioStepPercent);
    m_ratioBox->setSuffix(" %");
    m_ratioRow = new QWidget(this);
    auto *ratioLayout = new QHBoxLayout(m_ratioRow);
    ratioLayout->setContentsMargins(0, 0, 0, 0);
    ratioLayout->addWidget(m_ratioSlider, 1);
    ratioLayout->addWidget(m_ratioBox);

    m_noise = new QDoubleSpinBox(this);
    m_noise->setRange(0.0, 0.2);
    m_noise->setDecimals(3);
    m_noise->setSingleStep(0.001);
    m_noise->setToolTip(tr("Std of the per-image colour jitter on training images (paper: 0.005)"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 999999);
    m_size = new QSpinBox(this);
    m_size->setRange(0, 512);
    m_size->setSpecialValueText(tr("default"));
    m_size->setSuffix(" px");

    auto *form = new QFormLayout(this);
    form->addRow(tr("Dataset"), m_dataset);
    m_pathLabel = new QLabel(tr("Folder"), this);
    form->addRow(m_pathLabel, m_pathRow);
    m_ratioLabel = new QLabel(tr("Conflicting"), this);
    form->addRow(m_ratioLabel, m_ratioRow);
    m_noiseLabel = new QLabel(tr("Colour noise σ"), this);
    form->addRow(m_noiseLabel, m_noise);
    form->addRow(tr("Seed"), m_seed);
    m_sizeLabel = new QLabel(tr("Image size"), this);
    form->addRow(m_sizeLabel, m_size);
    auto *exportButton = new QPushButton(tr("Export LfF format…"), this);
    exportButton->setToolTip(
        tr("Write images.npy and attrs.npy per split, as the DeNetDM / LfF research code reads them"));
    form->addRow(QString(), exportButton);

    auto changed = [this] {
        if (!m_updating)
            emit specChanged();
    };
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this, changed] {
        updateVisibility();
        changed();
    });
    connect(m_ratioSlider, &QSlider::valueChanged, this, [this](int step) {
        if (m_updating)
            return;
        const QSignalBlocker block(m_ratioBox);
        m_ratioBox->setValue(step * RatioStepPercent);
        emit specChanged();
    });
    connect(m_ratioBox, &QDoubleSpinBox::valueChanged, this, [this, changed](double percent) {
        const QSignalBlocker block(m_ratioSlider);
        m_ratioSlider->setValue(int(std::lround(percent / RatioStepPercent)));
        changed();
    });
    connect(m_noise, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_seed, &QSpinBox::valueChanged, this, changed);
    connect(m_size, &QSpinBox::valueChanged, this, changed);
    connect(m_path, &QLineEdit::editingFinished, this, changed);
    connect(m_browse, &QPushButton::clicked, this, &DatasetForm::browseFolder);
    connect(exportButton, &QPushButton::clicked, this, &DatasetForm::exportRequested);

    setSpec(DatasetSpec());
}

DatasetSpec DatasetForm::spec() const
{
    DatasetSpec spec;
    spec.kind = DatasetKind(m_dataset->currentData().toInt());
    spec.ratio = m_ratioBox->value() / 100.0;
    spec.colorNoise = m_noise->value();
    spec.seed = std::uint64_t(m_seed->value());
    spec.path = m_path->text().toStdString();
    spec.imageSize = m_size->value();
    return spec;
}

void DatasetForm::setSpec(const DatasetSpec &spec)
{
    m_updating = true;
    m_dataset->setCurrentIndex(std::max(0, m_dataset->findData(int(spec.kind))));
    m_ratioBox->setValue(spec.ratio * 100.0);
    m_ratioSlider->setValue(int(std::lround(spec.ratio * 100.0 / RatioStepPercent)));
    m_noise->setValue(spec.colorNoise);
    m_seed->setValue(int(spec.seed));
    m_path->setText(QString::fromStdString(spec.path));
    m_size->setValue(spec.imageSize);
    m_updating = false;
    updateVisibility();
}

void DatasetForm::updateVisibility()
{
    const auto kind = DatasetKind(m_dataset->currentData().toInt());
    const bool path = datasetNeedsPath(kind), ratio = datasetHasRatio(kind), noise = datasetHasColorNoise(kind);
    const bool size = datasetHasImageSize(kind);
    m_pathLabel->setVisible(path);
    m_pathRow->setVisible(path);
    m_ratioLabel->setVisible(ratio);
    m_ratioRow->setVisible(ratio);
    m_noiseLabel->setVisible(noise);
    m_noise->setVisible(noise);
    m_sizeLabel->setVisible(size);
    m_size->setVisible(size);
    emit kindChanged(kind);
}

void DatasetForm::browseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), m_path->text());
    if (dir.isEmpty())
        return;
    m_path->setText(dir);
    emit specChanged();
}

} // namespace untangle
