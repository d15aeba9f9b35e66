#include "traversalview.h"

#include "directionexplorer.h"
#include "explore/traversalgrid.h"
#include "explore/walkvideo.h"
#include "imageconversion.h"
#include "latentrenderservice.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace untangle {
namespace {
constexpr int DefaultColumns = 9; // 4 shifts each way around the unedited centre
constexpr double DefaultRange = 2.0; // +-2 sigma, as the explorer's sliders
constexpr double MaxDisplayScale = 3.0; // small grids are enlarged to fit the view, up to 3x ...
constexpr double MinDisplayScale = 0.75; // ... and ten rows shrunk a little to fit 1280 x 800 without scrolling
constexpr int NameMargin = 130; // room for a direction name left of its row
constexpr int TileGap = 2;
constexpr int ShiftLabelHeight = 18; // the sigma of each column above the grid
constexpr int DefaultWalkFrames = 72; // three seconds at 24 fps
} // namespace

TraversalView::TraversalView(DirectionExplorer *explorer, LatentRenderService *service, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_service(service)
{
    m_columns = new QSpinBox(this);
    m_columns->setRange(3, 15);
    m_columns->setSingleStep(2);
    m_columns->setValue(DefaultColumns);
    m_range = new QDoubleSpinBox(this);
    m_range->setRange(0.1, 10.0);
    m_range->setSingleStep(0.5);
    m_range->setValue(DefaultRange);
    m_range->setSuffix(tr(" σ"));
    m_set = new QComboBox(this);
    m_set->addItem(tr("before SRE"));
    m_set->setToolTip(tr("Which set's directions the rows follow (the after-SRE set once one is loaded)."));
    auto *render = new QPushButton(tr("Render"), this);
    connect(render, &QPushButton::clicked, this, &TraversalView::renderTraversal);
    auto *savePng = new QPushButton(tr("Export PNG…"), this);
    connect(savePng, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export traversal"), "traversal.png", "PNG (*.png)");
        QString error;
        if (!path.isEmpty())
            m_status->setText(exportPng(path, &error) ? tr("Saved %1").arg(path) : error);
    });
    m_walkDirection = new QComboBox(this);
    m_walkFrames = new QSpinBox(this);
    m_walkFrames->setRange(8, 1000);
    m_walkFrames->setValue(DefaultWalkFrames);
    m_walkFrames->setSuffix(tr(" frames"));
    auto *saveWalk = new QPushButton(tr("Export walk video…"), this);
    connect(saveWalk, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export a walk"), "walk.avi", tr("Motion JPEG (*.avi);;MPEG-4 (*.mp4)"));
        if (!path.isEmpty())
            exportWalk(m_walkDirection->currentIndex(), path);
    });

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Columns"), this));
    controls->addWidget(m_columns);
    controls->addWidget(new QLabel(tr("Range ±"), this));
    controls->addWidget(m_range);
    controls->addWidget(m_set);
    controls->addWidget(render);
    controls->addWidget(savePng);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Walk along"), this));
    controls->addWidget(m_walkDirection);
    controls->addWidget(m_walkFrames);
    controls->addWidget(saveWalk);
    controls->addStretch(1);

    m_image = new QLabel(this);
    m_image->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_scroll = new QScrollArea(this);
    m_scroll->viewport()->installEventFilter(this); // re-fits the grid to the view (eventFilter)
    auto *scroll = m_scroll;
    scroll->setWidget(m_image);
    scroll->setWidgetResizable(true);
    m_status = new QLabel(tr("Rows are directions, columns shifts in σ; the centre column is unedited."), this);
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);

    connect(m_explorer, &DirectionExplorer::directionsChanged, this, &TraversalView::refreshDirectionChoices);
    connect(m_explorer, &DirectionExplorer::attributionChanged, this, [this] {
        if (!m_rows.empty()) // the grid stays; its row labels follow the attribution
            showRows(std::vector<std::vector<ImageU8>>(m_rows), rowNames(m_shownAfter));
    });
    connect(this, &TraversalView::failed, m_status, &QLabel::setText);
    connect(this, &TraversalView::videoWritten, this,
        [this](const QString &path) { m_status->setText(tr("Saved %1").arg(path)); });
}

void TraversalView::setColumns(int columns)
{
    m_columns->setValue(columns);
}
int TraversalView::columns() const
{
    return m_columns->value() | 1;
}
void TraversalView::setRange(double range)
{
    m_range->setValue(range);
}
QString TraversalView::statusText() const
{
    return m_status->text();
}

void TraversalView::setAfterSre(bool after)
{
    m_set->setCurrentIndex(after && m_set->count() > 1 ? 1 : 0);
}

void TraversalView::refreshDirectionChoices()
{
    const bool wasAfter = m_set->currentIndex() == 1;
    while (m_set->count() > 1)
        m_set->removeItem(1);
    if (m_explorer->hasAfterSre())
        m_set->addItem(tr("after SRE"));
    m_set->setCurrentIndex(wasAfter && m_set->count() > 1 ? 1 : 0);
    const int current = m_walkDirection->currentIndex();
    m_walkDirection->clear();
    for (const NamedDirection &direction : m_explorer->directions().directions)
        m_walkDirection->addItem(QString::fromStdString(direction.name));
    if (current >= 0 && current < m_walkDirection->count())
        m_walkDirection->setCurrentIndex(current);
}

void TraversalView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_explorer->hasGenerator() && m_explorer->hasDirections() && m_explorer->loadedKey() != m_renderedKey)
        renderTraversal();
}

void TraversalView::renderTraversal()
{
    if (!m_explorer->hasGenerator() || !m_explorer->hasDirections()) {
        emit failed(tr("Open a generator and load directions first."));
        return;
    }
    m_renderedKey = m_explorer->loadedKey();
    TraversalOptions options;
    options.seed = m_explorer->seed();
    options.columns = columns();
    options.range = m_range->value();
    options.truncation = m_explorer->truncation();
    const bool after = m_set->currentIndex() == 1 && m_explorer->hasAfterSre();
    DirectionSet set = after ? *m_explorer->afterSre() : m_explorer->directions();
    if (after) // the rows keep the main set's names: the after-SRE direction k refines direction k
        for (int k = 0; k < std::min(set.count(), m_explorer->directions().count()); ++k)
            set.directions[std::size_t(k)].name = m_explorer->directions().directions[std::size_t(k)].name;
    for (int k = 0; set.count() > MaxTraversalRows && k < MaxTraversalRows; ++k)
        options.rows.push_back(k); // a set larger than a grid shows its first directions
    m_shownAfter = after;
    const QStringList names = rowNames(after);
    m_status->setText(tr("Rendering…"));
    QPointer<TraversalView> self(this);
    m_service->runWith([self, set, options, names](LatentRenderer &renderer) {
        try {
            auto rows = untangle::renderTraversal(renderer, set, options);
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, rows = std::move(rows), names] {
                    if (self)
                        self->showRows(rows, names);
                },
                Qt::QueuedConnection);
        } catch (const std::exception &error) {
            const QString message = QString::fromUtf8(error.what());
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, message] {
                    if (self)
                        emit self->failed(tr("Traversal failed: %1").arg(message));
                },
                Qt::QueuedConnection);
        }
    });
}

QStringList TraversalView::rowNames(bool after) const
{
    // The rows keep the main set's names (the after-SRE direction k refines direction k), and under each the factor
    // the shown set's direction k moves, from the explorer's one attribution (the Factors page's).
    const DirectionSet &set = m_explorer->directions();
    const FactorAttribution *attribution = m_explorer->attribution(after ? 1 : 0);
    QStringList names;
    for (int k = 0; k < set.count(); ++k) {
        const NamedDirection &direction = set.directions[std::size_t(k)];
        QString name = QString::fromStdString(direction.name) + (direction.sign < 0 ? QStringLiteral(" (−)") : "");
        if (attribution && k < attribution->labels.size() && attribution->labels[k] != name)
            name += QStringLiteral("\n→ ") + attribution->labels[k];
        names << name;
    }
    return names;
}

void TraversalView::showRows(const std::vector<std::vector<ImageU8>> &rows, const QStringList &names)
{
    m_rows = rows;
    m_names = names;
    std::vector<ImageU8> all;
    for (const auto &row : rows)
        all.insert(all.end(), row.begin(), row.end());
    const int columnCount = rows.empty() ? 1 : int(rows.front().size());
    m_grid = toQImage(tileImageGrid(all, columnCount, TileGap));
    drawFitted();
    m_status->setText(tr("%1 directions %5 × %2 shifts from −%3σ to +%3σ, seed %4; the centre column is unedited.")
                          .arg(rows.size())
                          .arg(columnCount)
                          .arg(m_range->value())
                          .arg(m_explorer->seed())
                          .arg(m_shownAfter ? tr("after SRE") : tr("before SRE")));
    emit traversalRendered();
}

bool TraversalView::eventFilter(QObject *watched, QEvent *event)
{
    // The viewport, not this widget: its size is settled only after the layout ran (and a scroll bar came or went).
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize && !m_rows.empty())
        drawFitted();
    return QWidget::eventFilter(watched, event);
}

void TraversalView::drawFitted()
{
    const auto &rows = m_rows;
    const QStringList &names = m_names;
    const int columnCount = rows.empty() ? 1 : int(rows.front().size());
    // The on-screen copy gets the direction names; the exported PNG stays the bare grid, as in the papers.
    // Fit the whole grid, its sigma labels included, in the view: a traversal is read as one picture.
    const QSize room = m_scroll->viewport()->size() - QSize(NameMargin + 8, ShiftLabelHeight + 8);
    const double scale
        = std::clamp(std::min(double(room.width()) / m_grid.width(), double(room.height()) / m_grid.height()),
            MinDisplayScale, MaxDisplayScale);
    // Enlarged: whole pixels, as the explorer's grids; shrunk: filtered, so thin outlines do not drop out.
    const QImage big = m_grid.scaled(
        m_grid.size() * scale, Qt::KeepAspectRatio, scale >= 1.0 ? Qt::FastTransformation : Qt::SmoothTransformation);
    QImage labelled(big.width() + NameMargin, big.height() + ShiftLabelHeight, QImage::Format_RGB32);
    labelled.fill(palette().window().color());
    QPainter painter(&labelled);
    painter.drawImage(NameMargin, ShiftLabelHeight, big);
    painter.setPen(palette().windowText().color());
    // Each column's shift in sigma above it (the centre column is the unedited image).
    const double columnWidth = double(big.width() + TileGap * scale) / std::max(1, columnCount);
    const double range = m_range->value();
    for (int c = 0; c < columnCount; ++c) {
        const double shift = columnCount > 1 ? -range + 2.0 * range * c / (columnCount - 1) : 0.0;
        const QString text = std::abs(shift) < 1e-9 ? QStringLiteral("0")
                                                    : QStringLiteral("%1%2σ")
                                                          .arg(shift > 0 ? QStringLiteral("+") : QStringLiteral("−"))
                                                          .arg(std::abs(shift), 0, 'g', 2);
        painter.drawText(QRectF(NameMargin + c * columnWidth, 0, columnWidth, ShiftLabelHeight), Qt::AlignCenter, text);
    }
    const int rowHeight = rows.empty() ? 0 : int((big.height() + TileGap * scale) / int(rows.size()));
    for (int r = 0; r < int(rows.size()) && r < names.size(); ++r)
        painter.drawText(QRect(4, ShiftLabelHeight + r * rowHeight, NameMargin - 8, rowHeight),
            Qt::AlignRight | Qt::AlignVCenter, names[r]);
    painter.end();
    m_image->setPixmap(QPixmap::fromImage(labelled));
}

bool TraversalView::exportPng(const QString &path, QString *error) const
{
    try {
        std::vector<ImageU8> all;
        for (const auto &row : m_rows)
            all.insert(all.end(), row.begin(), row.end());
        if (all.empty())
            throw std::runtime_error("render a traversal first");
        writePngFile(path.toStdString(), tileImageGrid(all, int(m_rows.front().size()), TileGap));
        return true;
    } catch (const std::exception &failure) {
        if (error)
            *error = tr("Could not save %1: %2").arg(path, QString::fromUtf8(failure.what()));
        return false;
    }
}

void TraversalView::exportWalk(int direction, const QString &path)
{
    if (!m_explorer->hasGenerator() || !m_explorer->hasDirections()) {
        emit failed(tr("Open a generator and load directions first."));
        return;
    }
    WalkOptions options;
    options.seed = m_explorer->seed();
    options.truncation = m_explorer->truncation();
    options.range = m_range->value();
    options.frames = m_walkFrames->value();
    const DirectionSet set = m_explorer->directions();
    m_status->setText(tr("Writing %1…").arg(path));
    QPointer<TraversalView> self(this);
    m_service->runWith([self, set, options, direction, path](LatentRenderer &renderer) {
        QString message;
        try {
            writeWalkVideo(renderer, set, direction, options, path.toStdString());
        } catch (const std::exception &error) {
            message = QString::fromUtf8(error.what());
        }
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, message, path] {
                if (!self)
                    return;
                if (message.isEmpty())
                    emit self->videoWritten(path);
                else
                    emit self->failed(tr("Could not write %1: %2").arg(path, message));
            },
            Qt::QueuedConnection);
    });
}

} // namespace untangle
