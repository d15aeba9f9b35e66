#pragma once

#include <QColor>
#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

namespace untangle {

/** One image in an ImageGrid: the picture, an optional coloured frame (a marker), a caption and a tooltip. */
struct GridItem {
    QImage image;
    QColor frame; // invalid = no frame
    QString caption; // drawn under the image when not empty
    QString toolTip;
};

/**
 * A grid of small images scaled up with nearest-neighbour sampling (so a 28x28 digit stays crisp), each with an
 * optional coloured frame and caption. Columns follow the widget's width; clicking an image emits itemClicked.
 * A caption wider than its image goes onto two lines (split at " · ", "Ankle boot" over "crimson") and its column
 * widens up to twice the image, so long class names read in full.
 */
class ImageGrid : public QWidget {
    Q_OBJECT

public:
    explicit ImageGrid(QWidget *parent = nullptr);

    void setItems(const QVector<GridItem> &items);
    const QVector<GridItem> &items() const { return m_items; }
    /** Edge of the square each image is drawn in, in pixels. */
    void setCellSize(int pixels);
    /**
     * Instead of growing taller than the space it is given (height for width), shrink the images to fit it: the
     * largest edge up to maxPixels at which every item shows (a preview without a scroll bar), with full two-line
     * captions while the images stay at least 44 px, else with one elided line.
     */
    void setFitToArea(int maxPixels);
    int cellSize() const { return m_cellSize; }
    /** What the grid says, centred, while it has no items (what to do to fill it); empty = nothing. */
    void setEmptyText(const QString &text);
    QString emptyText() const { return m_emptyText; }
    /** Index of the item under pos (widget coordinates), or -1. */
    int itemAt(const QPoint &pos) const;
    /** Rectangle the image of item index is drawn in. */
    QRect imageRect(int index) const;
    int columnCount() const;
    /** Width of one column (the image, or more for long captions) and the caption lines it draws (0, 1 or 2). */
    int columnWidth() const { return m_columnWidth; }
    int captionLineCount() const { return m_captionLines; }
    /** The width a caption line has, and the font captions are drawn in. */
    int captionWidth() const;
    QFont captionFont() const;
    /** The caption of item index as drawn: one line, or two. */
    QStringList captionLines(int index) const;

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return m_fitMaxCell == 0; }
    int heightForWidth(int width) const override;

signals:
    void itemClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    int rowHeight() const;
    int columnsFor(int width) const;
    void layoutCaptions();
    /** In fit-to-area mode: the largest cell edge whose rows fit the height. */
    void fitCells();

    QVector<GridItem> m_items;
    QString m_emptyText;
    int m_cellSize = 56;
    int m_columnWidth = 56;
    int m_captionLines = 0;
    int m_fitMaxCell = 0; // 0: height follows width; else the largest cell edge in fit-to-area mode
    /** How fit-to-area lays captions out, from most to least room: two lines in columns widened to the longest
     *  line, two lines at the image's width (each line elided), one elided line (the tooltip has the rest). */
    enum class CaptionFit { Full, Narrow, OneLine };
    CaptionFit m_captionFit = CaptionFit::Full;
};

} // namespace untangle
