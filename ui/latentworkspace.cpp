#include "latentworkspace.h"

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
constexpr int DisplayScale = 4; // 64 px sprites drawn at 256 px so single pixels are visible
const char *const FactorNames[SpriteFactorCount] = {"Shape", "Scale", "Orientation", "Position x", "Position y"};
} // namespace

LatentWorkspace::LatentWorkspace(QWidget *parent) : QWidget(parent)
{
    auto *explorer = new QGroupBox(tr("Sprites ground truth: factors → image"), this);
    auto *form = new QFormLayout;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        auto *slider = new QSlider(Qt::Horizontal, explorer);
        slider->setRange(0, SpriteFactorSizes[f] - 1);
        slider->setValue(SpriteFactorSizes[f] / 2);
        slider->setMinimumWidth(220);
        connect(slider, &QSlider::valueChanged, this, &LatentWorkspace::render);
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

    auto *coming = new QLabel(
        tr("<h3>Coming to this workspace</h3><ul>"
           "<li>Train the built-in Sprites GAN here, or open a TorchScript generator.</li>"
           "<li>Find latent directions with SeFa, GANSpace and Voynov–Babenko, and refine them with the Scale "
           "Ranking Estimator (SRE).</li>"
           "<li>Scrub directions with sliders in real time, before and after SRE, and score them against the "
           "factors above (MIG, DCI, FactorVAE, β-VAE).</li>"
           "<li>Retrieve images by attribute: “more like this one, along scale”.</li></ul>"),
        this);
    coming->setWordWrap(true);
    coming->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explorer);
    layout->addWidget(coming, 1);
    render();
}

QImage LatentWorkspace::spriteImage() const
{
    return m_sprite->pixmap().toImage();
}

void LatentWorkspace::render()
{
    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), m_sliders[f]->value());
    const QImage image = toQImage(renderSprite(factors, SpriteResolution));
    m_sprite->setPixmap(QPixmap::fromImage(image.scaled(m_sprite->size(), Qt::KeepAspectRatio, Qt::FastTransformation)));
    static const char *const shapes[] = {"square", "ellipse", "heart"};
    m_factors->setText(tr("%1, scale %2, %3°, x %4, y %5")
                           .arg(shapes[factors.shape])
                           .arg(spriteScale(factors.scale), 0, 'f', 2)
                           .arg(spriteOrientation(factors.orientation) * 180.0 / M_PI, 0, 'f', 0)
                           .arg(spritePosition(factors.x), 0, 'f', 2)
                           .arg(spritePosition(factors.y), 0, 'f', 2));
}

} // namespace untangle
