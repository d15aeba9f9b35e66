#pragma once

#include <QWidget>

class QLabel;
class QSlider;

namespace untangle {

/**
 * The Latent workspace. Today it explores the ground truth the GAN work will be measured against: the Sprites
 * renderer, one slider per factor (shape, scale, orientation, x, y). Generators, directions and SRE come next.
 */
class LatentWorkspace : public QWidget {
    Q_OBJECT

public:
    explicit LatentWorkspace(QWidget *parent = nullptr);

    QSlider *factorSlider(int factor) const { return m_sliders.value(factor); }
    QImage spriteImage() const;

private:
    void render();

    QVector<QSlider *> m_sliders;
    QLabel *m_sprite = nullptr;
    QLabel *m_factors = nullptr;
};

} // namespace untangle
