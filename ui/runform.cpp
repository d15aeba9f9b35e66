#include "runform.h"

#include "datalocations.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

namespace untangle {
namespace {

QSpinBox *spinBox(QWidget *parent, int low, int high, int value, const QString &toolTip)
{
    auto *box = new QSpinBox(parent);
    box->setRange(low, high);
    box->setValue(value);
    box->setToolTip(toolTip);
    return box;
}

/** Two fields side by side in one form row (deep / shallow depth, stage 1 / 2 epochs). */
QWidget *pairRow(QWidget *parent, QWidget *first, QWidget *second)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(first);
    layout->addWidget(second);
    return row;
}

/** runs/run-N with the smallest N not taken: a fresh run never lands on an earlier one (the runner would refuse). */
QString nextFreeRunFolder(const QString &runs)
{
    for (int n = 1;; ++n)
        if (const QString candidate = QStringLiteral("%1/run-%2").arg(runs).arg(n); !QFileInfo::exists(candidate))
            return candidate;
}

} // namespace

RunForm::RunForm(QWidget *parent)
    : QWidget(parent)
{
    const DebiasConfig defaults;
    m_method = new QComboBox(this);
    m_method->addItem(tr("DeNetDM (deep + shallow, then distil)"), int(DebiasMethod::DeNetDM));
    m_method->addItem(tr("ERM (deep network alone)"), int(DebiasMethod::Erm));
    m_method->addItem(tr("LfF (Learning from Failure)"), int(DebiasMethod::Lff));
    m_deepDepth
        = spinBox(this, 2, 12, defaults.deepDepth, tr("Linear layers of the deep branch, head included (paper: 5)"));
    m_shallowDepth = spinBox(
        this, 2, 12, defaults.shallowDepth, tr("Linear layers of the shallow branch, head included (paper: 3)"));
    m_width = spinBox(this, 4, 1024, defaults.width, tr("Hidden units per MLP layer (paper: 100)"));
    m_stage1Epochs = spinBox(this, 1, 1000, defaults.stage1Epochs, tr("Stage-1 epochs (paper: 100)"));
    m_stage2Epochs = spinBox(this, 0, 1000, defaults.stage2Epochs, tr("Stage-2 epochs (paper: 100; 0 = stage 1 only)"));
    m_batch = spinBox(this, 1, 4096, defaults.batchSize, tr("Batch size (paper: 64)"));
    m_seed = spinBox(this, 0, 999999, 0, tr("Training seed: initialisation and shuffling"));
    m_dataSeed = spinBox(this, 0, 999999, int(defaults.dataset.seed),
        tr("Data seed: which images are conflicting and the colour noise. Keep it fixed to compare training seeds on "
           "one dataset, as the official code does"));
    // Up to 8: with more seeds than cores each gets one thread, and 8 runs at once already need ~4 GiB.
    m_seedCount = spinBox(this, 1, 8, 1,
        tr("Training seeds run at once (seed, seed + 1, …) on one dataset; the views show their mean with a ± 1 std "
           "band, the tables mean ± std. One seed tells little: the spread over seeds is as large as most effects."));
    m_lffRecipe = new QComboBox(this);
    m_lffRecipe->addItem(tr("official"), int(LffRecipe::Official));
    m_lffRecipe->addItem(tr("untangle"), int(LffRecipe::Untangle));
    m_lffRecipe->setToolTip(tr("LfF's settings: official = the official code's Colored MNIST recipe (batch 256, "
                               "3 hidden layers, the last partial batch kept); untangle = DeNetDM's (batch 64, 4 "
                               "hidden layers, the last partial batch dropped)"));
    m_threads = spinBox(this, 0, 64, 0, tr("LibTorch threads; 0 = all cores but one, so the window stays responsive"));
    m_threads->setSpecialValueText(tr("auto"));
    m_learningRate = new QDoubleSpinBox(this);
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(1e-5, 1.0);
    m_learningRate->setSingleStep(1e-4);
    m_learningRate->setValue(defaults.learningRate);

    m_folder = new QLineEdit(this);
    m_folder->setToolTip(tr("Where the run's files go (config, metrics, checkpoint); an existing run resumes"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the run folder"));
    auto *folderRow = new QWidget(this);
    auto *folderLayout = new QHBoxLayout(folderRow);
    folderLayout->setContentsMargins(0, 0, 0, 0);
    folderLayout->addWidget(m_folder, 1);
    folderLayout->addWidget(browse);
    setRunFolder(nextFreeRunFolder(QString::fromStdString(runsHome())));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    // The method's and the folder's texts are long: they get the form's whole width, under their labels.
    form->addRow(new QLabel(tr("Method"), this));
    form->addRow(m_method);
    form->addRow(tr("LfF recipe"), m_lffRecipe);
    form->addRow(tr("Deep / shallow depth"), pairRow(this, m_deepDepth, m_shallowDepth));
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Epochs stage 1 / 2"), pairRow(this, m_stage1Epochs, m_stage2Epochs));
    form->addRow(tr("Learning rate"), m_learningRate);
    form->addRow(tr("Batch"), m_batch);
    form->addRow(tr("Seed / data seed"), pairRow(this, m_seed, m_dataSeed));
    form->addRow(tr("Seeds at once / threads"), pairRow(this, m_seedCount, m_threads));
    form->addRow(new QLabel(tr("Run folder"), this));
    form->addRow(folderRow);

    connect(m_method, &QComboBox::currentIndexChanged, this, &RunForm::updateForMethod);
    connect(m_lffRecipe, &QComboBox::activated, this, &RunForm::applyRecipeToFields);
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Run folder"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    updateForMethod();
}

DebiasConfig RunForm::config(const DatasetSpec &dataset) const
{
    DebiasConfig c;
    c.method = DebiasMethod(m_method->currentData().toInt());
    c.dataset = dataset;
    c.dataset.seed = std::uint64_t(m_dataSeed->value());
    c.architecture = defaultArchitecture(dataset.kind);
    if (c.method == DebiasMethod::Lff) // the recipe's drop_last; batch and depth come from the fields below
        applyLffRecipe(c,
            c.architecture == BranchArchitecture::Mlp ? LffRecipe(m_lffRecipe->currentData().toInt())
                                                      : LffRecipe::Untangle);
    c.deepDepth = c.targetDepth = m_deepDepth->value();
    c.shallowDepth = m_shallowDepth->value();
    c.width = m_width->value();
    c.stage1Epochs = m_stage1Epochs->value();
    c.stage2Epochs = c.method == DebiasMethod::DeNetDM ? m_stage2Epochs->value() : 0;
    c.learningRate = m_learningRate->value();
    c.batchSize = m_batch->value();
    c.seed = std::uint64_t(m_seed->value());
    c.threads = m_threads->value();
    return c;
}

void RunForm::setConfig(const DebiasConfig &c)
{
    m_method->setCurrentIndex(std::max(0, m_method->findData(int(c.method))));
    m_shownMethod = c.method; // the fields below are the run's own, not a recipe's
    m_deepDepth->setValue(c.deepDepth);
    m_shallowDepth->setValue(c.shallowDepth);
    m_width->setValue(c.width);
    m_stage1Epochs->setValue(c.stage1Epochs);
    m_stage2Epochs->setValue(c.stage2Epochs);
    m_learningRate->setValue(c.learningRate);
    m_batch->setValue(c.batchSize);
    m_seed->setValue(int(c.seed));
    m_dataSeed->setValue(int(c.dataset.seed));
    m_threads->setValue(c.threads);
    if (const auto recipe = lffRecipeOf(c); recipe && c.method == DebiasMethod::Lff)
        m_lffRecipe->setCurrentIndex(std::max(0, m_lffRecipe->findData(int(*recipe))));
}

int RunForm::seedCount() const
{
    return m_seedCount->value();
}

void RunForm::setSeedCount(int count)
{
    m_seedCount->setValue(count);
}

QString RunForm::runFolder() const
{
    return m_folder->text();
}

void RunForm::setRunFolder(const QString &folder)
{
    m_folder->setText(QDir::cleanPath(folder));
}

void RunForm::updateForMethod()
{
    const auto method = DebiasMethod(m_method->currentData().toInt());
    m_shallowDepth->setEnabled(method == DebiasMethod::DeNetDM);
    m_stage2Epochs->setEnabled(method == DebiasMethod::DeNetDM);
    m_lffRecipe->setEnabled(method == DebiasMethod::Lff);
    // Entering LfF shows its recipe's batch and depth; leaving it puts DeNetDM's back.
    if (method == DebiasMethod::Lff && m_shownMethod != DebiasMethod::Lff) {
        applyRecipeToFields();
    } else if (method != DebiasMethod::Lff && m_shownMethod == DebiasMethod::Lff) {
        const DebiasConfig defaults;
        m_batch->setValue(defaults.batchSize);
        m_deepDepth->setValue(defaults.deepDepth);
    }
    m_shownMethod = method;
}

void RunForm::applyRecipeToFields()
{
    DebiasConfig c;
    applyLffRecipe(c, LffRecipe(m_lffRecipe->currentData().toInt()));
    m_batch->setValue(c.batchSize);
    m_deepDepth->setValue(c.deepDepth);
}

} // namespace untangle
