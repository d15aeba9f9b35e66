#include "renderbackpairsview.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace untangle {

namespace {
constexpr int CaptionGap = 8; // between a caption and its row
constexpr int TileGap = 2; // between the picture's rows (tileImages)
constexpr double MaxScale = 3.0; // 64 px cells drawn at most 192 px: larger only blurs the page's proportions
constexpr double MinScale = 0.5;
} // namespace

RenderBackPairsView::RenderBackPairsView(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RenderBackPairsView::setPairs(const QImage &pairs, int cell, const QStringList &rowCaptions)
{
    m_pairs = pairs;
    m_cell = cell;
    m_captions = rowCaptions;
    updateGeometry();
    update();
}

void RenderBackPairsView::clear(const QString &placeholder)
{
    m_pairs = QImage();
    m_captions.clear();
    m_placeholder = placeholder;
    updateGeometry();
    update();
}

int RenderBackPairsView::captionWidth() const
{
    int width = 0;
    for (const QString &caption : m_captions)
        for (const QString &line : caption.split('\n'))
            width = std::max(width, fontMetrics().horizontalAdvance(line));
    return width + CaptionGap;
}

double RenderBackPairsView::scale() const
{
    if (m_pairs.isNull())
        return 0.0;
    const double across = double(width() - captionWidth()) / m_pairs.width();
    const double down = double(height()) / m_pairs.height();
    return std::clamp(std::min(across, down), MinScale, MaxScale);
}

QSize RenderBackPairsView::minimumSizeHint() const
{
    if (m_pairs.isNull())
        return {200, fontMetrics().height() * 2};
    return {captionWidth() + int(m_pairs.width() * MinScale), int(m_pairs.height() * MinScale)};
}

QSize RenderBackPairsView::sizeHint() const
{
    if (m_pairs.isNull())
        return minimumSizeHint();
    return {captionWidth() + m_pairs.width(), m_pairs.height()};
}

void RenderBackPairsView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (m_pairs.isNull()) {
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const double s = scale();
    const int left = captionWidth();
    const QRectF target(left, 0, m_pairs.width() * s, m_pairs.height() * s);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // single pixels stay single pixels
    painter.drawImage(target, m_pairs);
    const double rowPitch = (m_cell + TileGap) * s;
    for (int r = 0; r < int(m_captions.size()); ++r) {
        const QRectF cell(0, r * rowPitch, left - CaptionGap, m_cell * s);
        painter.drawText(cell, Qt::AlignRight | Qt::AlignVCenter, m_captions[r]);
    }
}

} // namespace untangle
