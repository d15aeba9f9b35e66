#include "spritesexplorer.h"

#include "imageconversion.h"
#include "imagegrid.h"
#include "spritesrenderer.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace untangle {
namespace {
constexpr int SpriteResolution = 64;
constexpr int MaxTickedValues = 6;
constexpr int NearestDrawings = 6; // one row beside the render
constexpr int DrawingCell = 80; // 64 px samples a little enlarged: the strip sits beside a 128 px render
constexpr int DisplayScale = 2; // 64 px sprites drawn at 128 px: single pixels visible, room left for the check
// Marked for lupdate in the class's tr() context; translated where they are shown.
const char *const FactorNames[SpriteFactorCount]
    = {QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "Shape"), QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "Scale"),
        QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "Orientation"),
        QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "Position x"),
        QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "Position y")};
} // namespace

SpritesExplorer::SpritesExplorer(QWidget *parent)
    : QWidget(parent)
{
    auto *explorer = new QGroupBox(tr("Sprites ground truth: factors → image"), this);
    auto *form = new QFormLayout;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        auto *slider = new QSlider(Qt::Horizontal, explorer);
        slider->setRange(0, SpriteFactorSizes[f] - 1);
        slider->setValue(SpriteFactorSizes[f] / 2);
        slider->setMinimumWidth(220);
        if (SpriteFactorSizes[f] <= MaxTickedValues) { // shape's 3 and scale's 6 values are steps, not a continuum
            slider->setTickPosition(QSlider::TicksBelow);
            slider->setTickInterval(1);
        }
        connect(slider, &QSlider::valueChanged, this, &SpritesExplorer::render);
        form->addRow(tr(FactorNames[f]), slider);
        m_sliders.push_back(slider);
    }
    m_factors = new QLabel(explorer);
    form->addRow(QString(), m_factors);
    m_sprite = new QLabel(explorer);
    m_sprite->setFixedSize(SpriteResolution * DisplayScale, SpriteResolution * DisplayScale);
    m_sprite->setFrameShape(QFrame::Box);
    m_stripTitle = new QLabel(explorer);
    m_stripTitle->setWordWrap(true);
    m_strip = new ImageGrid(explorer);
    m_strip->setCellSize(DrawingCell);
    m_strip->setFixedHeight(DrawingCell + 2 * m_strip->fontMetrics().height() + 8);
    m_strip->setFixedWidth(NearestDrawings * (DrawingCell + 8));
    m_stripTitle->setFixedWidth(m_strip->width());
    auto *drawings = new QVBoxLayout;
    drawings->addWidget(m_stripTitle);
    drawings->addWidget(m_strip);
    drawings->addStretch(1);
    auto *explorerLayout = new QHBoxLayout(explorer);
    explorerLayout->addLayout(form, 1);
    explorerLayout->addWidget(m_sprite, 0, Qt::AlignTop);
    explorerLayout->addLayout(drawings);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(explorer);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setDrawings({}, {}, {}, {});
    render();
}

QImage SpritesExplorer::spriteImage() const
{
    return m_sprite->pixmap().toImage();
}

SpriteFactors SpritesExplorer::sliderFactors() const
{
    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), m_sliders[f]->value());
    return factors;
}

void SpritesExplorer::render()
{
    const SpriteFactors factors = sliderFactors();
    const QImage image = toQImage(renderSprite(factors, SpriteResolution));
    m_sprite->setPixmap(
        QPixmap::fromImage(image.scaled(m_sprite->size(), Qt::KeepAspectRatio, Qt::FastTransformation)));
    static const char *const shapes[] = {QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "square"),
        QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "ellipse"),
        QT_TRANSLATE_NOOP("untangle::SpritesExplorer", "heart")};
    m_factors->setText(tr("%1, scale %2, %3°, x %4, y %5")
                           .arg(tr(shapes[factors.shape]))
                           .arg(spriteScale(factors.scale), 0, 'f', 2)
                           .arg(spriteOrientation(factors.orientation) * 180.0 / M_PI, 0, 'f', 0)
                           .arg(spritePosition(factors.x), 0, 'f', 2)
                           .arg(spritePosition(factors.y), 0, 'f', 2));
    showNearestDrawings();
}

void SpritesExplorer::setDrawings(const QString &generator, const QVector<QImage> &images,
    const QVector<SpriteFactors> &read, const QVector<double> &renderAgreement)
{
    const bool consistent = images.size() == read.size() && images.size() == renderAgreement.size();
    m_generator = generator;
    m_images = consistent ? images : QVector<QImage>();
    m_read = consistent ? read : QVector<SpriteFactors>();
    m_renderAgreement = consistent ? renderAgreement : QVector<double>();
    m_strip->setVisible(!m_images.isEmpty());
    showNearestDrawings();
}

void SpritesExplorer::showNearestDrawings()
{
    m_nearest.clear();
    if (m_images.isEmpty()) {
        m_stripTitle->setText(tr("Once the open Sprites generator is measured (below), its samples nearest this "
                                 "sprite show here: how the generator draws it."));
        m_strip->setItems({});
        return;
    }
    const SpriteFactors wanted = sliderFactors();
    QVector<double> distance(m_read.size());
    for (int i = 0; i < m_read.size(); ++i)
        distance[i] = spriteReadingDistance(m_read[i], wanted);
    QVector<int> order(m_read.size());
    std::iota(order.begin(), order.end(), 0);
    const int shown = int(std::min<qsizetype>(NearestDrawings, order.size()));
    std::partial_sort(
        order.begin(), order.begin() + shown, order.end(), [&](int a, int b) { return distance[a] < distance[b]; });
    QVector<GridItem> items;
    for (int k = 0; k < shown && std::isfinite(distance[order[k]]); ++k) {
        const int i = order[k];
        m_nearest << i;
        const SpriteFactors &r = m_read[i];
        items << GridItem {m_images[i], QColor(), tr("IoU %1").arg(m_renderAgreement[i], 0, 'f', 2),
            tr("Sample %1, read as shape %2, scale %3, %4°, x %5, y %6; IoU with that sprite rendered %7")
                .arg(i)
                .arg(r.shape)
                .arg(spriteScale(r.scale), 0, 'f', 2)
                .arg(spriteOrientation(r.orientation) * 180.0 / M_PI, 0, 'f', 0)
                .arg(spritePosition(r.x), 0, 'f', 2)
                .arg(spritePosition(r.y), 0, 'f', 2)
                .arg(m_renderAgreement[i], 0, 'f', 2)};
    }
    m_strip->setItems(items);
    m_stripTitle->setText(m_nearest.isEmpty()
            ? tr("%1 draws no sample the reader reads as this shape (of %2).").arg(m_generator).arg(m_images.size())
            : tr("How %1 draws it: its %2 samples nearest this sprite by what the reader reads (of %3):")
                  .arg(m_generator)
                  .arg(m_nearest.size())
                  .arg(m_images.size()));
}

double spriteReadingDistance(const SpriteFactors &reading, const SpriteFactors &sprite)
{
    if (reading.shape != sprite.shape)
        return std::numeric_limits<double>::infinity();
    const auto span = [](SpriteFactor f) { return double(SpriteFactorSizes[int(f)] - 1); };
    const double period = 2.0 * M_PI / spriteSymmetryOrder(sprite.shape);
    double angle
        = std::fmod(std::abs(spriteOrientation(reading.orientation) - spriteOrientation(sprite.orientation)), period);
    angle = std::min(angle, period - angle) / (period / 2.0); // 0 = the same angle, 1 = as far as the symmetry allows
    return std::abs(reading.scale - sprite.scale) / span(SpriteFactor::Scale) + angle
        + std::abs(reading.x - sprite.x) / span(SpriteFactor::PositionX)
        + std::abs(reading.y - sprite.y) / span(SpriteFactor::PositionY);
}

} // namespace untangle
