#include "branchheatmaps.h"

#include "cellheatmap.h"
#include "debiasrecords.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace untangle {
namespace {
// Accuracy gaps (aligned minus conflicting, in points) that decide what a head follows. A head that learned the
// shortcut is right on aligned images and wrong on conflicting ones; one that learned the target is right on both.
constexpr double FollowsBiasGap = 40.0; // e.g. 88% vs 2%: the bias decides
constexpr double FollowsTargetGap = 15.0; // e.g. 90% vs 78%: the target decides, the bias nudges at most
} // namespace

QString cueVerdict(double aligned, double conflicting, const DatasetCues &cues)
{
    const double gap = 100.0 * (aligned - conflicting);
    if (!std::isfinite(gap))
        return QObject::tr("no verdict");
    if (gap >= FollowsBiasGap)
        return QObject::tr("it follows %1").arg(cues.bias);
    if (gap <= FollowsTargetGap)
        return QObject::tr("it follows the %1").arg(cues.target);
    return QObject::tr("it follows the %1 in part, %2 in part").arg(cues.target, cues.bias);
}

BranchHeatMaps::BranchHeatMaps(QWidget *parent)
    : QWidget(parent)
{
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);
    m_mapsLayout = new QHBoxLayout;
    m_mapsLayout->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addLayout(m_mapsLayout, 1);
    clear();
}

CellHeatMap *BranchHeatMaps::mapFor(int index)
{
    while (m_maps.size() <= index) {
        auto *map = new CellHeatMap(this);
        map->setFixedRange(0.0, 100.0); // accuracies: the same colour means the same number in every map
        map->setAxisTitles(tr("target"), tr("bias"));
        const int position = int(m_maps.size());
        connect(map, &CellHeatMap::cellClicked, this, [this, position](int row, int column) {
            if (position < m_heads.size())
                emit cellClicked(m_heads[position], row, column);
        });
        m_mapsLayout->addWidget(map);
        m_maps.push_back(map);
    }
    return m_maps[index];
}

void BranchHeatMaps::showRecord(const EvaluationRecord &record, const QStringList &targetNames,
    const QStringList &biasNames, const DatasetCues &cues)
{
    m_heads.clear();
    QStringList verdicts;
    int shown = 0;
    for (const auto &head : record.heads) {
        if (head.head == "poe")
            continue;
        CellHeatMap *map = mapFor(shown++);
        QVector<QVector<double>> cells;
        for (const auto &row : head.test.cells) {
            QVector<double> values;
            for (double v : row)
                values.push_back(std::isfinite(v) ? 100.0 * v : v);
            cells.push_back(values);
        }
        map->setMatrix(cells, targetNames, biasNames);
        const QString name = QString::fromStdString(head.head);
        // The head's name on a line of its own and whole percents (as the caption beside): every title then has
        // two lines at 1280 px and up, so the maps stay side by side at one height (one title used to wrap at
        // 1280 px and the other not).
        map->setTitle(tr("%1\n%2% confl. · %3% aligned")
                          .arg(name)
                          .arg(100.0 * head.test.conflicting, 0, 'f', 0)
                          .arg(100.0 * head.test.aligned, 0, 'f', 0));
        map->show();
        m_heads << name;
        const QString verdict = cueVerdict(head.test.aligned, head.test.conflicting, cues);
        verdicts << (verdicts.isEmpty()
                ? tr("<b>%1</b> is right on %2% of aligned images (the diagonal) and %3% of conflicting ones: %4")
                : tr("<b>%1</b> on %2% and %3%: %4"))
                        .arg(name.toHtmlEscaped())
                        .arg(100.0 * head.test.aligned, 0, 'f', 0)
                        .arg(100.0 * head.test.conflicting, 0, 'f', 0)
                        .arg(verdict.toHtmlEscaped());
    }
    for (int i = shown; i < m_maps.size(); ++i)
        m_maps[i]->hide();
    m_caption->setText(tr("<b>Stage %1, epoch %2%3</b>: test accuracy (%) per %4 × %5 cell. %6.")
                           .arg(record.stage)
                           .arg(record.epoch)
                           .arg(m_scope.isEmpty() ? QString() : ", " + m_scope.toHtmlEscaped())
                           .arg(cues.target.toHtmlEscaped(), cues.bias.toHtmlEscaped(), verdicts.join("; ")));
}

void BranchHeatMaps::clear()
{
    m_heads.clear();
    for (CellHeatMap *map : m_maps)
        map->hide();
    m_caption->setText(tr("Test accuracy per target × bias cell of each head, at the timeline's epoch, once the "
                          "first epoch is evaluated."));
}

QString BranchHeatMaps::caption() const
{
    return m_caption->text();
}

} // namespace untangle
