#include "saliencystrip.h"

#include "imageconversion.h"
#include "imagegrid.h"
#include "inspectionlabels.h"
#include "runinspector.h"

#include <QLabel>
#include <QVBoxLayout>

namespace untangle {
namespace {
constexpr int CellEdge = 84; // 28-pixel inputs at about 3x (the overlay comes 4x upscaled); fits "shallow 0 (89%)"
constexpr int GridSpacing = 6; // ImageGrid's gap between cells
constexpr int SaliencyUpscale = 4; // overlay pixels per input pixel: nearest, so each input pixel stays a block
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

void SaliencyStrip::showImage(RunInspector &inspector, const QStringList &heads, const ImageU8 &image,
    const QString &caption, const std::vector<std::string> &targetNames)
{
    const ImagePredictions predictions = inspector.predict(std::vector<ImageU8> {image}).front();
    QVector<GridItem> items;
    items.push_back(GridItem {toQImage(image), QColor(), caption, caption});
    for (const QString &head : heads) {
        const HeadPrediction &p = predictions[std::size_t(headIndex(inspector, head))];
        const ImageU8 overlay = inspector.saliencyOverlay(image, head.toStdString(), -1, SaliencyUpscale);
        items.push_back(GridItem {toQImage(overlay), QColor(), head + QLatin1Char(' ') + predictionText(p, targetNames),
            probabilitiesText(p, targetNames)});
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
