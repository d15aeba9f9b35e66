#pragma once

#include <QWidget>

class QLabel;
class QSlider;

namespace untangle {

/**
 * The ground truth the GAN work is measured against: the Sprites renderer, one slider per factor (shape, scale,
 * orientation, x, y), so a learned direction can be compared with the factor it should move.
 */
class SpritesExplorer : public QWidget {
    Q_OBJECT

public:
    explicit SpritesExplorer(QWidget *parent = nullptr);

    QSlider *factorSlider(int factor) const { return m_sliders.value(factor); }
    QImage spriteImage() const;

private:
    void render();

    QVector<QSlider *> m_sliders;
    QLabel *m_sprite = nullptr;
    QLabel *m_factors = nullptr;
};

} // namespace untangle
