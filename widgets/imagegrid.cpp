#include "imagegrid.h"

#include <QFileDialog>
#include <QHelpEvent>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace untangle {
namespace {
constexpr int Spacing = 6; // room for the frame and air between images
constexpr int FrameWidth = 3; // thick enough to read the marker colour at a glance
constexpr double CaptionScale = 0.85; // captions are secondary; the full text is in the tooltip
} // namespace

ImageGrid::ImageGrid(QWidget *parent)
    : QWidget(parent)
{
    // Right click: save the grid as it is drawn.
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(tr("Save as PNG…"), this, [this] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Save images"), "images.png", "PNG (*.png)");
            if (!path.isEmpty() && !grab().save(path))
                QMessageBox::warning(this, tr("Save images"), tr("Could not write %1").arg(path));
        });
        menu.exec(mapToGlobal(pos));
    });
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ImageGrid::setItems(const QVector<GridItem> &items)
{
    m_items = items;
    m_hasCaptions
        = std::any_of(m_items.begin(), m_items.end(), [](const GridItem &item) { return !item.caption.isEmpty(); });
    updateGeometry();
    update();
}

void ImageGrid::setCellSize(int pixels)
{
    m_cellSize = std::max(8, pixels);
    updateGeometry();
    update();
}

QFont ImageGrid::captionFont() const
{
    QFont font = this->font();
    font.setPointSizeF(std::max(6.0, font.pointSizeF() * CaptionScale));
    return font;
}

int ImageGrid::rowHeight() const
{
    return m_cellSize + Spacing + (m_hasCaptions ? QFontMetrics(captionFont()).height() : 0);
}

int ImageGrid::columnsFor(int width) const
{
    return std::max(1, (width - Spacing) / (m_cellSize + Spacing));
}

int ImageGrid::columnCount() const
{
    return columnsFor(width());
}

QRect ImageGrid::imageRect(int index) const
{
    const int columns = columnCount();
    const int row = index / columns, column = index % columns;
    return QRect(Spacing + column * (m_cellSize + Spacing), Spacing + row * rowHeight(), m_cellSize, m_cellSize);
}

int ImageGrid::itemAt(const QPoint &pos) const
{
    for (int i = 0; i < m_items.size(); ++i)
        if (imageRect(i).contains(pos))
            return i;
    return -1;
}

QSize ImageGrid::sizeHint() const
{
    const int columns = 8;
    const int width = Spacing + columns * (m_cellSize + Spacing);
    return QSize(width, heightForWidth(width));
}

int ImageGrid::heightForWidth(int width) const
{
    const int columns = columnsFor(width);
    const int rows = (int(m_items.size()) + columns - 1) / columns;
    return Spacing + rows * rowHeight();
}

void ImageGrid::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // keep the pixels of small images visible
    for (int i = 0; i < m_items.size(); ++i) {
        const GridItem &item = m_items[i];
        const QRect rect = imageRect(i);
        if (!rect.intersects(painter.clipBoundingRect().toAlignedRect()) && !painter.clipBoundingRect().isEmpty())
            continue;
        painter.drawImage(rect, item.image);
        if (item.frame.isValid()) {
            painter.setPen(QPen(item.frame, FrameWidth));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(rect.adjusted(-1, -1, 0, 0));
        }
        if (!item.caption.isEmpty()) {
            painter.setPen(palette().color(QPalette::WindowText));
            painter.setFont(captionFont());
            const QFontMetrics metrics(painter.font());
            const QRect text(rect.left() - Spacing / 2, rect.bottom() + 2, rect.width() + Spacing, metrics.height());
            painter.drawText(
                text, Qt::AlignHCenter | Qt::AlignTop, metrics.elidedText(item.caption, Qt::ElideRight, text.width()));
        }
    }
}

void ImageGrid::mouseReleaseEvent(QMouseEvent *event)
{
    const int index = itemAt(event->position().toPoint());
    if (index >= 0 && event->button() == Qt::LeftButton)
        emit itemClicked(index);
    QWidget::mouseReleaseEvent(event);
}

bool ImageGrid::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = itemAt(help->pos());
        if (index >= 0 && !m_items[index].toolTip.isEmpty())
            QToolTip::showText(help->globalPos(), m_items[index].toolTip, this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace untangle
