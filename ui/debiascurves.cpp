#include "debiascurves.h"

#include "metricplot.h"
#include "runhistory.h"
#include "seedshistory.h"

#include <QHBoxLayout>
#include <QHash>

#include <cmath>

namespace untangle {
namespace {

/** One colour per head or branch, the same in every plot and heat-map title. */
QColor headColor(const QString &head)
{
    static const QHash<QString, QColor> colors = {
        {"deep", QColor(0xd9, 0x48, 0x01)},
        {"shallow", QColor(0x1c, 0x7e, 0xd6)},
        {"poe", QColor(0x86, 0x8e, 0x96)},
        {"target", QColor(0x2b, 0x8a, 0x3e)},
        {"model", QColor(0xd9, 0x48, 0x01)},
        {"biased", QColor(0xd9, 0x48, 0x01)},
        {"debiased", QColor(0x2b, 0x8a, 0x3e)},
    };
    return colors.value(head, Qt::darkGray);
}

/** Summaries drawn per head: conflicting solid (the number that matters), aligned dotted, unbiased dashed. */
struct Summary {
    const char *name;
    Qt::PenStyle style;
    double (*value)(const GroupAccuracy &);
};
const Summary Summaries[] = {
    {"confl.", Qt::SolidLine, [](const GroupAccuracy &g) { return g.conflicting; }},
    {"aligned", Qt::DotLine, [](const GroupAccuracy &g) { return g.aligned; }},
    {"unbiased", Qt::DashLine, [](const GroupAccuracy &g) { return g.unbiased; }},
};

double percent(double v)
{
    return std::isfinite(v) ? 100.0 * v : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

DebiasCurves::DebiasCurves(RunHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    m_loss = new MetricPlot(this);
    m_loss->setTitle(tr("Training loss"));
    m_loss->setAxisLabels(tr("epoch"), tr("cross-entropy"));
    m_accuracy = new MetricPlot(this);
    m_accuracy->setAxisLabels(tr("epoch"), tr("accuracy %"));
    m_accuracy->setYRange(0, 100);
    m_probe = new MetricPlot(this);
    m_probe->setAxisLabels(tr("epoch"), tr("decoder accuracy %"));
    m_probe->setYRange(0, 100);
    updateTitles();

    // The loss plot is not laid out here: the page puts it beside the heat maps, where there is room.
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_accuracy, 3);
    layout->addWidget(m_probe, 2);

    connect(history, &RunHistory::cleared, this, &DebiasCurves::rebuild);
    connect(history, &RunHistory::evaluationAdded, this, [this](int index) { addEvaluation(index); });
    connect(history, &RunHistory::probeAdded, this, [this](int index) { addProbe(m_history->probes()[index]); });
}

void DebiasCurves::setSeedSpread(const SeedsHistory *seeds)
{
    m_seeds = seeds;
}

void DebiasCurves::updateTitles()
{
    const int seeds = m_seeds && m_seeds->isActive() ? m_seeds->seedCount() : 0;
    const QString split = m_showValid ? tr("Valid accuracy per head") : tr("Test accuracy per head");
    // Titles stay one line at 1280 px: "mean of 3 seeds" is all a batch adds; the band is said in the tooltip.
    m_accuracy->setTitle(seeds > 0 ? tr("%1, mean of %n seeds ± std", nullptr, seeds).arg(split) : split);
    m_probe->setTitle(seeds > 0 ? tr("Linear decodability, mean of %n seeds", nullptr, seeds)
                                : tr("Linear decodability from each branch"));
    m_accuracy->setToolTip(seeds > 0 ? tr("Lines: the mean over seeds of each evaluation all seeds have reached. "
                                          "Shaded: mean ± 1 sample std of each head's conflicting accuracy.")
                                     : QString());
}

void DebiasCurves::rebuild()
{
    updateTitles();
    for (MetricPlot *plot : {m_loss, m_accuracy, m_probe}) {
        plot->clearSeries();
        plot->clearMarker(); // the page puts it back at the timeline's evaluation, if there is one
    }
    m_loss->addSeries(tr("loss"), Qt::black);
    m_loss->addSeries(tr("aligned"), QColor(0x2f, 0x9e, 0x44), Qt::DotLine);
    m_loss->addSeries(tr("conflicting"), QColor(0xf0, 0x8c, 0x00));
    if (m_history->config().method == DebiasMethod::DeNetDM) {
        m_loss->addSeries(tr("PoE term"), QColor(0x2b, 0x8a, 0x3e), Qt::DashLine); // stage 2's two parts
        m_loss->addSeries(tr("distill"), QColor(0x74, 0x3f, 0xb4), Qt::DashLine);
    }
    for (int i = 0; i < m_history->evaluations().size(); ++i)
        addEvaluation(i);
    for (const auto &probe : m_history->probes())
        addProbe(probe);
}

void DebiasCurves::addEvaluation(int index)
{
    const EvaluationRecord &record = m_history->evaluations()[index];
    const std::vector<HeadSpread> *spreads = m_seeds && m_seeds->isActive() ? m_seeds->spreadAt(index) : nullptr;
    const double x = m_history->epochAxis(record);
    m_loss->addPoint(m_loss->seriesId(tr("loss")), x, record.trainLoss);
    m_loss->addPoint(m_loss->seriesId(tr("aligned")), x, record.trainLossAligned);
    m_loss->addPoint(m_loss->seriesId(tr("conflicting")), x, record.trainLossConflicting);
    if (record.stage == 2) {
        m_loss->addPoint(m_loss->seriesId(tr("PoE term")), x, record.poeLoss);
        m_loss->addPoint(m_loss->seriesId(tr("distill")), x, record.distillLoss);
    }
    for (const auto &head : record.heads) {
        const QString name = QString::fromStdString(head.head);
        for (const Summary &summary : Summaries) {
            const QString label = name + " " + tr(summary.name);
            const bool known = m_accuracy->seriesId(label) >= 0;
            const int id = m_accuracy->addSeries(label, headColor(name), summary.style);
            if (!known && summary.style == Qt::DashLine)
                m_accuracy->setSeriesVisible(id, false); // on by a legend click; four lines per branch would crowd
            m_accuracy->addPoint(id, x, percent(summary.value(m_showValid ? head.valid : head.test)));
        }
        if (spreads)
            for (const HeadSpread &spread : *spreads)
                if (spread.head == head.head) {
                    const Spread &s = (m_showValid ? spread.valid : spread.test).conflicting;
                    const double mean = percent(s.mean), std = 100.0 * s.std;
                    m_accuracy->addBandPoint(
                        m_accuracy->seriesId(name + " " + tr(Summaries[0].name)), x, mean - std, mean + std);
                }
    }
}

void DebiasCurves::addProbe(const ProbeRecord &probe)
{
    const double x = m_history->epochAxis(probe);
    const QString branch = QString::fromStdString(probe.branch);
    const QColor color = headColor(branch);
    // "deep → target", "deep → bias": which branch, which attribute its features decode ("target target" read as a
    // typo for the distilled model's own row).
    const QString who = branch == "target" ? tr("distilled") : branch;
    m_probe->addPoint(m_probe->addSeries(who + tr(" → target"), color), x, 100.0 * probe.targetAccuracy);
    m_probe->addPoint(m_probe->addSeries(who + tr(" → bias"), color, Qt::DashLine), x, 100.0 * probe.biasAccuracy);
}

void DebiasCurves::setShowValid(bool valid)
{
    if (valid == m_showValid)
        return;
    m_showValid = valid;
    rebuild();
}

void DebiasCurves::setMarker(double epoch)
{
    for (MetricPlot *plot : {m_loss, m_accuracy, m_probe})
        plot->setMarker(epoch);
}

void DebiasCurves::showComparison(const RunHistory &other, const QString &label)
{
    const QColor color(0x49, 0x50, 0x57);
    for (const Summary &summary : Summaries) {
        const QString name = label + " " + tr(summary.name);
        const int id = m_accuracy->addSeries(name, color, Qt::DashDotLine);
        m_accuracy->clearData(id);
        for (const auto &record : other.evaluations()) {
            const HeadAccuracy *head
                = record.findHead(other.hasResult() ? other.result().finalHead : record.heads.back().head);
            if (head)
                m_accuracy->addPoint(id, other.epochAxis(record), percent(summary.value(head->test)));
        }
    }
}

} // namespace untangle
