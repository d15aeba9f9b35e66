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
constexpr int MaxColumnWidthFactor = 2; // a long caption may widen its column up to twice the image...
constexpr int MinCaptionColumn = 76; // ... or up to this, which holds "Gaussian noise", the longest bias name
constexpr int MinFitCell = 28; // a 28x28 digit at 1:1; smaller and the preview stops showing anything
constexpr int MinFullCaptionCell = 44; // full two-line captions, but not at the price of smaller images than this
const QString CaptionSeparator = QStringLiteral(" · "); // "target · bias": the natural place for a line break

/** A caption as two lines: at the separator, else at the last space that leaves the first line within width. */
QStringList splitCaption(const QString &caption)
{
    const int at = int(caption.indexOf(CaptionSeparator));
    if (at > 0)
        return {caption.left(at), caption.mid(at + CaptionSeparator.size())};
    const int space = int(caption.lastIndexOf(' ', caption.size() / 2 + 1));
    if (space > 0)
        return {caption.left(space), caption.mid(space + 1)};
    return {caption};
}
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
    layoutCaptions();
    fitCells();
    updateGeometry();
    update();
}

void ImageGrid::setCellSize(int pixels)
{
    m_cellSize = std::max(8, pixels);
    layoutCaptions();
    updateGeometry();
    update();
}

void ImageGrid::setFitToArea(int maxPixels)
{
    m_fitMaxCell = std::max(0, maxPixels);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    policy.setHeightForWidth(m_fitMaxCell == 0);
    setSizePolicy(policy);
    fitCells();
    updateGeometry();
    update();
}

void ImageGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitCells();
}

void ImageGrid::fitCells()
{
    if (m_fitMaxCell == 0 || width() <= 0 || height() <= 0)
        return;
    // Full captions (two lines, wider columns) while the images stay readable; else one elided line (the tooltip
    // has the rest) rather than thumbnails too small to see the cue in.
    auto largestFitting = [this](int smallest) {
        for (int cell = m_fitMaxCell; cell >= smallest; --cell) {
            m_cellSize = cell;
            layoutCaptions();
            if (heightForWidth(width()) <= height())
                return true;
        }
        return false;
    };
    // Each caption's second line (Corrupted Fashion-MNIST's corruption: the bias) stays readable, elided if need
    // be, before the grid falls back to one line where the bias is cut to its first letters.
    m_captionFit = CaptionFit::Full;
    if (!largestFitting(MinFullCaptionCell)) {
        m_captionFit = CaptionFit::Narrow;
        if (!largestFitting(MinFullCaptionCell)) {
            m_captionFit = CaptionFit::OneLine;
            if (!largestFitting(MinFitCell)) {
                m_cellSize = MinFitCell;
                layoutCaptions();
            }
        }
    }
    update();
}

void ImageGrid::layoutCaptions()
{
    const QFontMetrics metrics(captionFont());
    const bool any
        = std::any_of(m_items.begin(), m_items.end(), [](const GridItem &item) { return !item.caption.isEmpty(); });
    int widest = 0;
    for (const GridItem &item : m_items)
        widest = std::max(widest, metrics.horizontalAdvance(item.caption));
    m_captionLines = !any ? 0 : widest <= m_cellSize + Spacing || m_captionFit == CaptionFit::OneLine ? 1 : 2;
    m_columnWidth = m_cellSize;
    if (m_captionLines == 2 && m_captionFit == CaptionFit::Full) {
        int widestLine = 0;
        for (const GridItem &item : m_items)
            for (const QString &line : splitCaption(item.caption))
                widestLine = std::max(widestLine, metrics.horizontalAdvance(line));
        m_columnWidth = std::clamp(
            widestLine - Spacing, m_cellSize, std::max(MaxColumnWidthFactor * m_cellSize, MinCaptionColumn));
    }
}

int ImageGrid::captionWidth() const
{
    return m_columnWidth + Spacing;
}

QStringList ImageGrid::captionLines(int index) const
{
    const QString &caption = m_items[index].caption;
    if (caption.isEmpty())
        return {};
    // Two-line grids split every caption the same way (target over bias), so the lines line up across the grid.
    if (m_captionLines != 2)
        return {caption};
    if (caption.contains(CaptionSeparator)
        || QFontMetrics(captionFont()).horizontalAdvance(caption) > m_columnWidth + Spacing)
        return splitCaption(caption);
    return {caption};
}

QFont ImageGrid::captionFont() const
{
    QFont font = this->font();
    font.setPointSizeF(std::max(6.0, font.pointSizeF() * CaptionScale));
    return font;
}

int ImageGrid::rowHeight() const
{
    return m_cellSize + Spacing + m_captionLines * QFontMetrics(captionFont()).height();
}

int ImageGrid::columnsFor(int width) const
{
    return std::max(1, (width - Spacing) / (m_columnWidth + Spacing));
}

int ImageGrid::columnCount() const
{
    return columnsFor(width());
}

QRect ImageGrid::imageRect(int index) const
{
    const int columns = columnCount();
    const int row = index / columns, column = index % columns;
    return QRect(Spacing + column * (m_columnWidth + Spacing) + (m_columnWidth - m_cellSize) / 2,
        Spacing + row * rowHeight(), m_cellSize, m_cellSize);
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
    const int width = Spacing + columns * (m_columnWidth + Spacing);
    return QSize(width, heightForWidth(width));
}

int ImageGrid::heightForWidth(int width) const
{
    const int columns = columnsFor(width);
    const int rows = (int(m_items.size()) + columns - 1) / columns;
    return Spacing + rows * rowHeight();
}

void ImageGrid::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

void ImageGrid::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (m_items.isEmpty() && !m_emptyText.isEmpty()) {
        painter.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
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
            const int left = rect.center().x() - (m_columnWidth + Spacing) / 2;
            const QStringList lines = captionLines(i);
            for (int line = 0; line < lines.size(); ++line) {
                const QRect text(
                    left, rect.bottom() + 2 + line * metrics.height(), m_columnWidth + Spacing, metrics.height());
                painter.drawText(text, Qt::AlignHCenter | Qt::AlignTop,
                    metrics.elidedText(lines[line], Qt::ElideRight, text.width()));
            }
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
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        layoutCaptions(); // caption widths are measured in the widget's font
        updateGeometry();
    }
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
