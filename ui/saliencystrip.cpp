#include "saliencystrip.h"

#include "imageconversion.h"
#include "imagegrid.h"
#include "inspectionlabels.h"

#include <QLabel>
#include <QVBoxLayout>

namespace untangle {
namespace {
constexpr int CellEdge = 84; // 28-pixel inputs at about 3x (the overlay comes 4x upscaled); fits "shallow 0 (89%)"
constexpr int GridSpacing = 6; // ImageGrid's gap between cells
} // namespace

SaliencyStrip::SaliencyStrip(QWidget *parent)
    : QWidget(parent)
{
    m_grid = new ImageGrid(this);
    m_grid->setCellSize(CellEdge);
    auto *hint = new QLabel(tr("|∂ logit / ∂ pixel| of each head's predicted class, over the image (blue = no effect, "
                               "red = most)."),
        this);
    hint->setObjectName("hint");
    hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_grid);
    layout->addWidget(hint);
    layout->addStretch(1);
}

void SaliencyStrip::showVerdicts(const ImageInspection &answer, const RunHeads &runHeads, const QStringList &heads,
    const QString &caption, const std::vector<std::string> &targetNames)
{
    QVector<GridItem> items;
    items.push_back(GridItem {toQImage(answer.image), QColor(), caption, caption});
    for (int i = 0; i < heads.size() && i < int(answer.saliency.size()); ++i) {
        const int h = headIndex(runHeads, heads[i]);
        if (h < 0 || h >= int(answer.predictions.size()))
            continue;
        const HeadPrediction &p = answer.predictions[std::size_t(h)];
        items.push_back(GridItem {toQImage(answer.saliency[std::size_t(i)]), QColor(),
            heads[i] + QLatin1Char(' ') + predictionText(p, targetNames), probabilitiesText(p, targetNames)});
    }
    m_grid->setItems(items);
    // One row, as wide as its images: the strip sits beside the cue-conflict table and must not take its room.
    m_grid->setFixedWidth(GridSpacing + int(items.size()) * (CellEdge + GridSpacing));
}

void SaliencyStrip::clear()
{
    m_grid->setItems({});
}

} // namespace untangle
