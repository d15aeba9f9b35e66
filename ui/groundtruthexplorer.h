#pragma once

#include "factors/factorworld.h"
#include "spritesrenderer.h"

#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

class QLabel;
class QSlider;

namespace untangle {

class ImageGrid;

/**
 * The ground truth the GAN work is measured against: a world's renderer (Sprites or Scenes), one slider per factor,
 * so a learned direction can be compared with the factor it should move. Once the open generator's samples were read
 * (setDrawings), beside the render: the samples whose reading is nearest the sliders' image, i.e. how the generator
 * draws it.
 */
class GroundTruthExplorer : public QWidget {
    Q_OBJECT

public:
    GroundTruthExplorer(const FactorWorld &world, QWidget *parent = nullptr);

    const FactorWorld &world() const { return m_world; }
    QSlider *factorSlider(int factor) const { return m_sliders.value(factor); }
    /** The rendered image as shown (scaled up). */
    QImage renderedImage() const;
    /** The sliders' values, one per factor of the world. */
    std::vector<int> sliderTuple() const;

    /** The open generator's samples and what the reader reads in each (samples x factors, row-major), with a caption
     *  per sample (may be empty); inconsistent sizes or none clear the strip. `generator` names it in the title. */
    void setDrawings(const QString &generator, const QVector<QImage> &images, const std::vector<int> &read,
        const QStringList &captions);
    /** Indices into the drawings nearest the sliders' image, nearest first (the strip shows them). */
    const QVector<int> &nearestDrawings() const { return m_nearest; }
    ImageGrid *drawingsStrip() const { return m_strip; }

private:
    QString describe(const std::vector<int> &tuple) const;
    void render();
    void showNearestDrawings();

    const FactorWorld &m_world;
    QVector<QSlider *> m_sliders;
    QLabel *m_image = nullptr;
    QLabel *m_values = nullptr;
    QLabel *m_stripTitle = nullptr;
    ImageGrid *m_strip = nullptr;
    QString m_generator;
    QVector<QImage> m_images;
    std::vector<int> m_read;
    QStringList m_captions;
    QVector<int> m_nearest;
};

/**
 * How far a Sprites reading is from a sprite, for "nearest drawings": infinite for another shape; else the scale,
 * angle and position differences, each over its full range (angles modulo the shape's symmetry, so a square at 0 and
 * at 90 degrees are the same sprite), summed.
 */
double spriteReadingDistance(const SpriteFactors &reading, const SpriteFactors &sprite);

/**
 * The same for any world's tuples (factorCount values each): infinite when a categorical factor differs (another
 * shape); ordinal factors over their range, circular ones around their circle (half the circle = 1), summed. Sprites
 * tuples are measured by spriteReadingDistance, which knows each shape's symmetry.
 */
double worldReadingDistance(const FactorWorld &world, const int *reading, const int *tuple);

} // namespace untangle
