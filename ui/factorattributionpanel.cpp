#include "factorattributionpanel.h"

#include "cellheatmap.h"
#include "directionexplorer.h"
#include "factors/factorlabels.h"
#include "generatorworld.h"
#include "jobbuttons.h"
#include "jobcontroller.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <memory>

#include <algorithm>

namespace untangle {

namespace {

constexpr int MaxSamples = 2048;

constexpr int LongWord = 8; // a longer word is split over two lines (hyphenated) so neighbouring labels do not touch

} // namespace

QString factorColumnLabel(const QString &name)
{
    QStringList lines;
    for (const QString &word : name.split('_', Qt::SkipEmptyParts))
        if (word.size() > LongWord) {
            const int half = int(word.size() + 1) / 2;
            lines << word.left(half) + "-" << word.mid(half);
        } else {
            lines << word;
        }
    return lines.join('\n');
}

QString intervalText(const ConfidenceInterval &interval)
{
    return QString::fromStdString(interval.format(3));
}

QString intervalChangeText(const ConfidenceInterval &before, const ConfidenceInterval &after)
{
    switch (intervalOrder(after, before)) {
    case IntervalOrder::Below:
        return QObject::tr("lower (its interval lies below the start's)");
    case IntervalOrder::Above:
        return QObject::tr("higher (its interval lies above the start's)");
    case IntervalOrder::Overlapping:
        break;
    }
    return QObject::tr("no clear change (the intervals overlap)");
}

FactorAttributionPanel::FactorAttributionPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
{
    m_start = new QPushButton(tr("Attribute directions to factors"), this);
    connect(m_start, &QPushButton::clicked, this, [this] { attribute(); });
    m_jobButtons = new JobButtons(m_controller, {m_start}, this);
    m_stop = m_jobButtons->stop();
    m_samples = new QSpinBox(this);
    m_samples->setRange(16, MaxSamples);
    m_samples->setValue(DefaultAttributionSamples);
    m_samples->setPrefix(tr("latents "));
    m_samples->setToolTip(tr("Latents z per shift; the CLI's rescoring uses 512."));
    m_name = new QPushButton(tr("Name directions after their factors"), this);
    m_name->setEnabled(false);
    connect(m_name, &QPushButton::clicked, this, &FactorAttributionPanel::nameDirections);
    m_cells = new QComboBox(this);
    m_cells->addItem(tr("cells: |mean change|"));
    m_cells->addItem(tr("cells: × random direction"));
    m_cells->setToolTip(tr("|mean change| is the paper's rescoring matrix; × random direction divides each cell by "
                           "what random directions move of that factor, the number the row names come from."));
    // × random by default: the view the row names are read from. On |mean change| the factor the reader is least
    // sure of (shape, on Scenes) is bright in every row, whatever the direction moves.
    m_cells->setCurrentIndex(1);
    connect(m_cells, &QComboBox::currentIndexChanged, this, [this] { showResults(); });
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_start);
    controls->addWidget(m_samples);
    controls->addWidget(m_stop);
    controls->addWidget(m_name);
    controls->addWidget(m_cells);
    controls->addStretch(1);
    m_status = new QLabel(tr("Which ground-truth factor each direction moves: every cell is the mean change of a "
                             "factor (as a fraction of its range) when shifting ±1.5σ along a direction, read by the "
                             "world's factor reader (Sprites or Scenes generators)."),
        this);
    m_status->setWordWrap(true);
    m_before = new CellHeatMap(this);
    m_after = new CellHeatMap(this);
    for (CellHeatMap *map : {m_before, m_after}) {
        map->setValueFormat(QStringLiteral("%.2f"));
        map->setAxisTitles(tr("direction"), tr("factor"));
        map->setMinimumSize(360, 320);
    }
    m_before->setVisible(false); // no empty axes: the maps appear with their first results
    m_after->setVisible(false);
    auto *maps = new QHBoxLayout;
    maps->addWidget(m_before, 1);
    maps->addWidget(m_after, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addLayout(maps, 1);

    // Maps of a set that was replaced (or of another generator) would name factors the sliders no longer move.
    connect(m_explorer, &DirectionExplorer::attributionChanged, this, [this] {
        if (const FactorAttribution *before = m_explorer->attribution(0)) {
            // Attributions the page did not measure: stored in the sets by `label`, adopted as they load. Shown as
            // measured ones; the page's own results, pushed to the explorer, already match and change nothing.
            QVector<FactorAttribution> known {*before};
            if (const FactorAttribution *after = m_explorer->attribution(1))
                known << *after;
            if (known.size() > m_results.size()) {
                m_results = known;
                showResults();
                m_name->setEnabled(true);
            }
            return;
        }
        if (m_results.isEmpty())
            return;
        m_results.clear();
        m_before->setVisible(false);
        m_after->setVisible(false);
        m_name->setEnabled(false);
        m_status->setText(tr("The directions changed: attribute them again."));
    });
}

bool FactorAttributionPanel::attribute(JobPriority priority)
{
    if (!m_explorer->hasGenerator() || !m_explorer->hasDirections()) {
        m_status->setText(tr("Open a generator and load directions first."));
        return false;
    }
    if (!mayBelongToRenderedWorld(m_explorer->generatorPath())) {
        m_status->setText(tr("This generator learned real images (its run folder says which): no factor reader knows "
                             "their factors. Attribution works on Sprites and Scenes generators."));
        return false;
    }
    // The "before" set may be attributed on these latents already (named at the start of SRE): the same numbers,
    // so only "after" is measured, against the same random-direction floor.
    QVector<FactorAttribution> known;
    if (const FactorAttribution *before = m_explorer->attribution(0); before && before->samples == m_samples->value())
        known << *before;
    QVector<DirectionSet> sets;
    QStringList labels;
    if (known.isEmpty()) {
        sets.push_back(m_explorer->directions());
        labels << tr("before SRE (%1)").arg(QString::fromStdString(m_explorer->directions().method));
    }
    if (m_explorer->hasAfterSre()) {
        sets.push_back(*m_explorer->afterSre());
        labels << tr("after SRE (%1)").arg(QString::fromStdString(m_explorer->afterSre()->method));
    }
    if (sets.isEmpty()) {
        setResults(known); // its caption is the page's last word
        return true;
    }
    auto *job = new FactorAttributionJob(m_explorer->generatorPath(), sets, labels, m_samples->value(),
        known.isEmpty() ? std::vector<double>() : known.front().randomFloor);
    connect(job, &FactorAttributionJob::attributed, this,
        [this, known](const QVector<FactorAttribution> &results) { setResults(known + results); });
    connect(job, &Job::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(job, &Job::progress, this, [this](double, const QString &message) { m_status->setText(message + "…"); });
    connect(job, &Job::stopped, this, [this] {
        m_status->setText(
            tr("Stopped before every direction was measured: press \"%1\" to measure them.").arg(m_start->text()));
    });
    if (!m_controller->start(std::unique_ptr<Job>(job), priority)) {
        m_status->setText(tr("Another job is running; stop it first."));
        return false;
    }
    m_jobButtons->markRunning();
    return true;
}

void FactorAttributionPanel::setResults(const QVector<FactorAttribution> &results)
{
    m_results = results;
    showResults();
    m_name->setEnabled(!results.isEmpty());
    for (int i = 0; i < results.size() && i < 2; ++i) // the pages that name factors read it from the explorer
        m_explorer->setAttribution(i, results[i]);
}

int FactorAttributionPanel::samples() const
{
    return m_samples->value();
}

void FactorAttributionPanel::setTimesRandom(bool on)
{
    m_cells->setCurrentIndex(on ? 1 : 0);
}

bool FactorAttributionPanel::timesRandom() const
{
    return m_cells->currentIndex() == 1;
}

void FactorAttributionPanel::showResults()
{
    const QVector<FactorAttribution> &results = m_results;
    if (results.isEmpty())
        return;
    // The cells as shown: the change itself, or its multiple of a random direction's change of the same factor.
    const bool times = timesRandom();
    QVector<QVector<QVector<double>>> cells;
    for (const auto &result : results)
        cells << shownCells(result, times);
    double top = 0.0; // one colour scale for both maps, so they compare
    for (const auto &matrix : cells)
        for (const auto &row : matrix)
            for (double value : row)
                top = std::max(top, value);
    QStringList captions;
    for (int i = 0; i < 2; ++i) {
        CellHeatMap *map = i == 0 ? m_before : m_after;
        map->setVisible(i < results.size());
        if (i >= results.size())
            continue;
        const auto &result = results[i];
        QStringList rows, columns;
        for (int k = 0; k < result.magnitude.size(); ++k)
            rows << (result.directionNames.value(k) == result.labels.value(k) // named after what it moves: once
                    ? result.labels.value(k)
                    : tr("%1: moves %2").arg(result.directionNames.value(k), result.labels.value(k)));
        for (const QString &name : result.factorNames)
            columns << factorColumnLabel(name);
        map->setFixedRange(0.0, std::max(top, 1e-6));
        map->setValueFormat(times ? QStringLiteral("%.1f") : QStringLiteral("%.2f"));
        map->setMatrix(cells[i], rows, columns);
        map->setTitle(result.setLabel);
        captions << tr("%1: matched diagonal %2, off-diagonal %3")
                        .arg(result.setLabel, intervalText(result.authorsDiagonal),
                            intervalText(result.authorsOffDiagonal));
    }
    QString change;
    if (results.size() > 1)
        change = tr(" After SRE the off-diagonal (spill-over, lower is better) shows %1 and the diagonal %2, measured "
                    "on %3 latents (a shipped set's matrix is stored by untangle-cli label on 512; Attribute measures "
                    "again on the latents box's count).")
                     .arg(intervalChangeText(results[0].authorsOffDiagonal, results[1].authorsOffDiagonal),
                         intervalChangeText(results[0].authorsDiagonal, results[1].authorsDiagonal))
                     .arg(results[1].samples);
    m_status->setText((times ? tr("Each cell: the |mean change| of a factor at ±1.5σ divided by what random "
                                  "directions move of that factor. ")
                             : tr("|mean change| of each factor at +1.5σ and −1.5σ (fraction of its range). "))
        + tr("Each row is named after the factor it moves most against random directions (\"scale 11x\": 11 times "
             "what a random direction moves the scale; \"weak (scale 0.7x)\": it moves no factor more than a random "
             "direction does). The authors' statistic (+ε, each factor's best direction) with its 95% interval over "
             "the latents: %1.")
              .arg(captions.join(QStringLiteral("; ")))
        + change);
}

bool FactorAttributionPanel::nameDirections()
{
    if (m_results.isEmpty())
        return false;
    const auto &before = m_results.first();
    Matrix magnitude {int(before.magnitude.size()), int(before.factorNames.size()), {}};
    for (const auto &row : before.magnitude)
        magnitude.values.insert(magnitude.values.end(), row.begin(), row.end());
    std::vector<std::string> names;
    for (const QString &name : before.factorNames)
        names.push_back(name.toStdString());
    return m_explorer->nameAfterFactors(magnitude, names, before.randomFloor);
}

void FactorAttributionPanel::setSamples(int samples)
{
    m_samples->setValue(samples);
}

QString FactorAttributionPanel::status() const
{
    return m_status->text();
}

} // namespace untangle
