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
 */
class ImageGrid : public QWidget {
    Q_OBJECT

public:
    explicit ImageGrid(QWidget *parent = nullptr);

    void setItems(const QVector<GridItem> &items);
    const QVector<GridItem> &items() const { return m_items; }
    /** Edge of the square each image is drawn in, in pixels. */
    void setCellSize(int pixels);
    int cellSize() const { return m_cellSize; }
    /** Index of the item under pos (widget coordinates), or -1. */
    int itemAt(const QPoint &pos) const;
    /** Rectangle the image of item index is drawn in. */
    QRect imageRect(int index) const;
    int columnCount() const;

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

signals:
    void itemClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    int rowHeight() const;
    QFont captionFont() const;
    int columnsFor(int width) const;

    QVector<GridItem> m_items;
    int m_cellSize = 56;
    bool m_hasCaptions = false;
};

} // namespace untangle
