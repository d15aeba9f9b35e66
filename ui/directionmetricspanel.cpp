#include "directionmetricspanel.h"

#include "directionexplorer.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "sre/srerunner.h"

#include <algorithm>
#include <memory>
#include <qcustomplot.h>

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace untangle {
namespace {
constexpr double BarWidth = 0.35; // two sets side by side within one metric's unit slot
const QColor SetColors[] = {QColor(150, 150, 150), QColor(40, 110, 200), QColor(220, 120, 30)};

constexpr int DefaultSeeds = 3; // the least that shows a spread: one seed gives a number without an interval

QTableWidgetItem *number(double value)
{
    auto *item = new QTableWidgetItem(std::isfinite(value) ? QString::number(value, 'f', 3) : QStringLiteral("—"));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString signedNumber(double value)
{
    return (value < 0 ? QStringLiteral("−") : QStringLiteral("+")) + QString::number(std::abs(value), 'f', 3);
}

/** after - before: the mean change, and over several seeds its lowest and highest value, bold when they agree in sign
 *  (every seed moved the score the same way). */
QTableWidgetItem *changeItem(const PairedChange &change)
{
    if (change.seeds == 0)
        return number(NAN);
    QString text = signedNumber(change.mean);
    if (change.seeds > 1)
        text += QStringLiteral(" [%1, %2]").arg(signedNumber(change.low), signedNumber(change.high));
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (change.seeds > 1 && (change.low > 0 || change.high < 0)) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        item->setToolTip(QObject::tr("Every one of the %1 seeds moved this score the same way.").arg(change.seeds));
    } else if (change.seeds > 1) {
        item->setToolTip(QObject::tr("The %1 seeds disagree on the sign of the change.").arg(change.seeds));
    }
    return item;
}
} // namespace

QVector<double> lastSreRankingAccuracy(const QString &directionsPath)
{
    if (directionsPath.isEmpty())
        return {};
    try {
        const std::vector<SreLog> logs = readSreLogs(QFileInfo(directionsPath).dir().path().toStdString());
        if (logs.empty())
            return {};
        const std::vector<double> &accuracy = logs.back().heldOutAccuracy;
        return QVector<double>(accuracy.begin(), accuracy.end());
    } catch (const std::exception &) {
        return {}; // a metrics file too large to be one is no metric
    }
}

QVector<double> sreRankingAccuracy(const std::optional<DirectionSet> &after, const QString &afterPath)
{
    if (!after)
        return {};
    const std::string &method = after->method;
    const bool sre = method.size() > 4 && method.compare(method.size() - 4, 4, "+sre") == 0;
    const bool stepped = std::any_of(
        after->provenance.begin(), after->provenance.end(), [](const auto &entry) { return entry.first == "step"; });
    if (sre && stepped) {
        QVector<double> scores;
        for (const NamedDirection &direction : after->directions)
            scores << direction.score;
        return scores;
    }
    return lastSreRankingAccuracy(afterPath);
}

DirectionMetricsPanel::DirectionMetricsPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
{
    m_quick = new QCheckBox(tr("Quick (1/5 of the protocol's samples)"), this);
    m_quick->setChecked(true);
    m_seeds = new QSpinBox(this);
    m_seeds->setRange(1, MaxEvaluationSeeds);
    m_seeds->setValue(DefaultSeeds);
    m_seeds->setToolTip(tr("The whole protocol (encoder and samples) is run once per seed: the bars show each set's "
                           "range over the seeds, the table the change after − before seed by seed."));
    m_start = new QPushButton(tr("Evaluate before vs after SRE"), this);
    connect(m_start, &QPushButton::clicked, this, &DirectionMetricsPanel::evaluate);
    m_jobButtons = new JobButtons(m_controller, {m_start}, this);
    m_stop = m_jobButtons->stop();
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_start);
    controls->addWidget(m_quick);
    controls->addWidget(new QLabel(tr("Seeds"), this));
    controls->addWidget(m_seeds);
    controls->addWidget(m_stop);
    controls->addStretch(1);
    m_status = new QLabel(tr("Scores the directions of a Sprites or Scenes generator against the real factors "
                             "(encoder distillation, then MIG, DCI, FactorVAE, β-VAE, each beside its noise floor)."),
        this);
    m_status->setWordWrap(true);

    m_chart = new QCustomPlot(this);
    m_chart->setMinimumHeight(260);
    m_chart->yAxis->setRange(0.0, 1.0);
    m_chart->yAxis->setLabel(tr("score"));
    m_chart->legend->setVisible(false); // shown with the bars it names: an empty legend is a stray box
    m_chart->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    setMetricAxis(); // before the first result the axis names what will be scored, not 0 ... 5
    // Until the first result the empty chart says what fills it (and the score table, empty, stays hidden).
    m_emptyHint = new QCPItemText(m_chart);
    m_emptyHint->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyHint->position->setCoords(0.5, 0.45);
    m_emptyHint->setText(tr("Evaluate before vs after SRE scores both sets here: each metric's mean over the seeds, "
                            "the range as whiskers,\nthe noise floor as a cross (about 2.5 min with 3 seeds, quick)."));
    m_emptyHint->setColor(palette().color(QPalette::PlaceholderText));
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->hide();
    m_directions = new QTableWidget(this);
    m_directions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(m_table);
    tables->addWidget(m_directions);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_chart, 3);
    layout->addWidget(tables, 2); // the seven metric rows fit at 1280 x 800
    connect(m_explorer, &DirectionExplorer::directionsChanged, this, &DirectionMetricsPanel::refreshDirectionTable);
    connect(m_explorer, &DirectionExplorer::attributionChanged, this, &DirectionMetricsPanel::refreshDirectionTable);
    refreshDirectionTable();
}

bool DirectionMetricsPanel::evaluate()
{
    if (!m_explorer->hasGenerator() || !m_explorer->hasDirections()) {
        m_status->setText(tr("Open a generator and load directions first."));
        return false;
    }
    QVector<DirectionSet> sets {m_explorer->directions()};
    QStringList labels {tr("before SRE (%1)").arg(QString::fromStdString(m_explorer->directions().method))};
    if (m_explorer->hasAfterSre()) {
        sets.push_back(*m_explorer->afterSre());
        labels << tr("after SRE (%1)").arg(QString::fromStdString(m_explorer->afterSre()->method));
    }
    auto *job
        = new DirectionEvaluationJob(m_explorer->generatorPath(), sets, labels, m_quick->isChecked(), m_seeds->value());
    connect(job, &DirectionEvaluationJob::evaluated, this, &DirectionMetricsPanel::setScores);
    connect(job, &Job::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(job, &Job::stopped, this, [this] {
        m_status->setText(
            tr("Stopped before the scores were ready: press \"%1\" to evaluate again.").arg(m_start->text()));
    });
    if (!m_controller->start(std::unique_ptr<Job>(job))) {
        m_status->setText(tr("Another job is running; stop it first."));
        return false;
    }
    m_status->setText(tr("Evaluating…"));
    m_jobButtons->markRunning();
    return true;
}

void DirectionMetricsPanel::setScores(const QVector<DirectionScores> &scores)
{
    m_scores = scores;
    const QStringList metrics = DirectionScores::metricNames();
    m_chart->clearPlottables();
    if (m_emptyHint) {
        m_chart->removeItem(m_emptyHint);
        m_emptyHint = nullptr;
    }
    m_table->show();
    auto *group = new QCPBarsGroup(m_chart);
    QVector<double> keys;
    for (int m = 0; m < metrics.size(); ++m)
        keys.push_back(m + 1);
    setMetricAxis();
    double top = 1.0;
    for (int s = 0; s < scores.size(); ++s) {
        auto *bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
        bars->setName(scores[s].label);
        bars->setWidth(BarWidth);
        bars->setBrush(SetColors[s % 3]);
        bars->setPen(Qt::NoPen);
        bars->setData(keys, scores[s].values);
        bars->setBarsGroup(group);
        for (double v : scores[s].values)
            top = std::max(top, v);
        if (scores[s].seedValues.size() > 1) { // each bar's range over the seeds
            auto *range = new QCPErrorBars(m_chart->xAxis, m_chart->yAxis);
            range->removeFromLegend();
            range->setDataPlottable(bars);
            QVector<double> below, above;
            for (int m = 0; m < metrics.size(); ++m) {
                const auto [low, high] = scores[s].seedRange(m);
                below << scores[s].values.value(m) - low;
                above << high - scores[s].values.value(m);
                top = std::max(top, high);
            }
            range->setData(below, above);
        }
    }
    if (!scores.isEmpty()) { // the floors are the same metric on random codes: one dashed tick per metric
        auto *floors = new QCPGraph(m_chart->xAxis, m_chart->yAxis);
        floors->setName(tr("noise floor"));
        floors->setLineStyle(QCPGraph::lsNone);
        floors->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssPlus, Qt::black, 10));
        floors->setData(keys, scores.front().floors);
    }
    // Headroom over the tallest bar for the legend, top left over the MIG bars, which are low on every set we know.
    m_chart->yAxis->setRange(0.0, top * 1.3);
    m_chart->legend->setVisible(!scores.isEmpty());
    m_chart->replot();

    m_table->clear();
    m_table->setRowCount(metrics.size());
    const bool paired = scores.size() == 2;
    const int seeds = scores.isEmpty() ? 0 : int(scores.front().seedValues.size());
    m_table->setColumnCount(scores.size() + 1 + (paired ? 1 : 0));
    QStringList headers;
    for (const DirectionScores &s : scores)
        headers << s.label;
    if (paired)
        headers << (seeds > 1 ? tr("after − before\n[range over %1 seeds]").arg(seeds)
                              : tr("after − before\n(1 seed)"));
    headers << tr("noise floor");
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setVerticalHeaderLabels(metrics);
    for (int m = 0; m < metrics.size(); ++m) {
        for (int s = 0; s < scores.size(); ++s)
            m_table->setItem(m, s, number(scores[s].values.value(m, NAN)));
        if (paired)
            m_table->setItem(m, 2, changeItem(pairedChange(scores[0], scores[1], m)));
        m_table->setItem(
            m, m_table->columnCount() - 1, number(scores.isEmpty() ? NAN : scores.front().floors.value(m, NAN)));
    }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    if (!scores.isEmpty()) {
        // The model layer writes ASCII for terminals; the page names the metric as its chart and table do.
        const QString summary = QString(scores.back().summary).replace("beta-VAE", "β-VAE").replace("R^2", "R²");
        m_status->setText(seeds > 1 ? tr("Means over %1 seeds; the bars show each set's range over them, the table the "
                                         "change seed by seed (bold: every seed agrees). Seed 0: %2")
                                          .arg(seeds)
                                          .arg(summary)
                                    : tr("One seed, so no interval: evaluate over several seeds to see how much each "
                                         "score moves. %1")
                                          .arg(summary));
    }
    refreshDirectionTable();
}

QString DirectionMetricsPanel::statusText() const
{
    return m_status->text();
}

void DirectionMetricsPanel::setMetricAxis()
{
    const QStringList metrics = DirectionScores::metricNames();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int m = 0; m < metrics.size(); ++m)
        ticker->addTick(m + 1, metrics[m]);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setRange(0.4, metrics.size() + 0.6);
}

void DirectionMetricsPanel::refreshDirectionTable()
{
    const DirectionSet &set = m_explorer->directions();
    const QVector<double> ranking = sreRankingAccuracy(m_explorer->afterSre(), m_explorer->afterSrePath());
    m_directions->clear();
    m_directions->setRowCount(set.count());
    const QStringList headers {tr("direction"), tr("moves most (before → after SRE)"), tr("SRE ranking acc."),
        tr("R² before"), tr("R² after")};
    // The factor column is the explorer's one attribution (the Factors page's), before and, if known, after SRE.
    const FactorAttribution *before = m_explorer->attribution(0), *after = m_explorer->attribution(1);
    const auto moves = [&](int k) {
        const QString first = before ? before->labels.value(k) : QString();
        const QString second = after ? after->labels.value(k) : QString();
        if (second.isEmpty() || second == first)
            return first;
        return tr("%1 → %2").arg(first.isEmpty() ? tr("?") : first, second);
    };
    m_directions->setColumnCount(headers.size());
    m_directions->setHorizontalHeaderLabels(headers);
    for (int k = 0; k < set.count(); ++k) {
        m_directions->setItem(k, 0, new QTableWidgetItem(QString::fromStdString(set.directions[std::size_t(k)].name)));
        const QString factor = moves(k);
        auto *item = new QTableWidgetItem(factor.isEmpty() ? QStringLiteral("—") : factor);
        if (factor.isEmpty()) // not attributed yet: the worker attributes new sets when it is free
            item->setToolTip(tr("Named once the set's factor attribution is computed (Factors page)."));
        m_directions->setItem(k, 1, item);
        m_directions->setItem(k, 2, number(ranking.value(k, NAN)));
        m_directions->setItem(k, 3, number(m_scores.value(0).heldOutR2.value(k, NAN)));
        m_directions->setItem(k, 4, number(m_scores.size() > 1 ? m_scores[1].heldOutR2.value(k, NAN) : NAN));
    }
    m_directions->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

} // namespace untangle
