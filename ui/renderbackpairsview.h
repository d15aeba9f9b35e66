#pragma once

#include <QImage>
#include <QStringList>
#include <QWidget>

namespace untangle {

/**
 * A generator's samples over what the reader read in them (Sprites: per shape read, a row of samples over a row of
 * the sprites their readings render to, as spriteRenderBackPairs draws them), scaled to fit the widget with
 * nearest-neighbour sampling, each row captioned on its left. Empty, it shows a placeholder text.
 */
class RenderBackPairsView : public QWidget {
    Q_OBJECT

public:
    explicit RenderBackPairsView(QWidget *parent = nullptr);

    /** `pairs`: 2 x captions.size() rows of cells `cell` px square with 2 px gaps; one caption per row. */
    void setPairs(const QImage &pairs, int cell, const QStringList &rowCaptions);
    void clear(const QString &placeholder);
    /** The scale the picture is drawn at now (0 when empty). */
    double scale() const;
    const QStringList &rowCaptions() const { return m_captions; }
    const QImage &pairs() const { return m_pairs; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int captionWidth() const;

    QImage m_pairs;
    int m_cell = 0;
    QStringList m_captions;
    QString m_placeholder;
};

} // namespace untangle
