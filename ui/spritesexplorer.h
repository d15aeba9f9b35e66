#pragma once

#include "spritesrenderer.h"

#include <QImage>
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;

namespace untangle {

class ImageGrid;

/**
 * The ground truth the GAN work is measured against: the Sprites renderer, one slider per factor (shape, scale,
 * orientation, x, y), so a learned direction can be compared with the factor it should move. Once the open
 * generator's samples were read (setDrawings), beside the render: the samples whose reading is nearest the sliders'
 * sprite, i.e. how the generator draws it.
 */
class SpritesExplorer : public QWidget {
    Q_OBJECT

public:
    explicit SpritesExplorer(QWidget *parent = nullptr);

    QSlider *factorSlider(int factor) const { return m_sliders.value(factor); }
    QImage spriteImage() const;

    /** The open generator's samples, what the reader reads in each and each one's render-back IoU (same lengths);
     *  empty clears the strip. `generator` names it in the strip's title. */
    void setDrawings(const QString &generator, const QVector<QImage> &images, const QVector<SpriteFactors> &read,
        const QVector<double> &renderAgreement);
    /** Indices into the drawings nearest the sliders' sprite, nearest first (the strip shows them). */
    const QVector<int> &nearestDrawings() const { return m_nearest; }
    ImageGrid *drawingsStrip() const { return m_strip; }

private:
    SpriteFactors sliderFactors() const;
    void render();
    void showNearestDrawings();

    QVector<QSlider *> m_sliders;
    QLabel *m_sprite = nullptr;
    QLabel *m_factors = nullptr;
    QLabel *m_stripTitle = nullptr;
    ImageGrid *m_strip = nullptr;
    QString m_generator;
    QVector<QImage> m_images;
    QVector<SpriteFactors> m_read;
    QVector<double> m_renderAgreement;
    QVector<int> m_nearest;
};

/**
 * How far a reading is from a sprite, for "nearest drawings": infinite for another shape; else the scale, angle and
 * position differences, each over its full range (angles modulo the shape's symmetry, so a square at 0 and at 90
 * degrees are the same sprite), summed.
 */
double spriteReadingDistance(const SpriteFactors &reading, const SpriteFactors &sprite);

} // namespace untangle
