#include "spritesexplorer.h"

#include "imageconversion.h"
#include "spritesrenderer.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace untangle {
namespace {
constexpr int SpriteResolution = 64;
constexpr int MaxTickedValues = 6;
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
    auto *explorerLayout = new QHBoxLayout(explorer);
    explorerLayout->addLayout(form);
    explorerLayout->addWidget(m_sprite);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(explorer);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    render();
}

QImage SpritesExplorer::spriteImage() const
{
    return m_sprite->pixmap().toImage();
}

void SpritesExplorer::render()
{
    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), m_sliders[f]->value());
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
}

} // namespace untangle
