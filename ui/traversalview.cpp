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
#include <optional>

namespace untangle {
namespace {
constexpr int DefaultColumns = 9; // 4 shifts each way around the unedited centre
constexpr double DefaultRange = 2.0; // +-2 sigma, as the explorer's sliders
constexpr double MaxDisplayScale = 3.0; // small grids are enlarged to fit the view, up to 3x ...
constexpr double MinDisplayScale = 0.75; // ... and ten rows shrunk a little to fit 1280 x 800 without scrolling
constexpr int NameMargin = 130; // room for a direction name left of its row
constexpr int TileGap = 2;
constexpr int ShiftLabelHeight = 18; // the sigma of each column above the grid
constexpr int SetGap = 12; // white columns between the before-SRE and after-SRE grids
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
    m_set->addItem(tr("before SRE"), int(Sets::Before));
    m_set->setToolTip(
        tr("Which set's directions the rows follow; once an after-SRE set is loaded, also each row before "
           "SRE beside the same row after it."));
    connect(m_set, &QComboBox::activated, this, [this] { m_setChosen = true; });
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
    m_image->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
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
        if (!m_rows.empty()) { // the grid stays; its row labels follow the attribution
            relabel();
            drawFitted();
        }
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

void TraversalView::setSets(Sets sets)
{
    const int index = m_set->findData(int(sets));
    m_set->setCurrentIndex(index >= 0 ? index : 0);
}

TraversalView::Sets TraversalView::requestedSets() const
{
    return m_explorer->hasAfterSre() ? Sets(m_set->currentData().toInt()) : Sets::Before;
}

void TraversalView::refreshDirectionChoices()
{
    const QVariant was = m_set->currentData();
    const bool hadAfter = m_set->count() > 1;
    while (m_set->count() > 1)
        m_set->removeItem(1);
    if (m_explorer->hasAfterSre()) {
        m_set->addItem(tr("after SRE"), int(Sets::After));
        m_set->addItem(tr("before | after SRE"), int(Sets::BeforeAndAfter));
    }
    // An after-SRE set just loaded opens on both sets side by side, unless the user has picked a view.
    const QVariant wanted = hadAfter || m_setChosen ? was : QVariant(int(Sets::BeforeAndAfter));
    const int index = m_set->findData(wanted);
    m_set->setCurrentIndex(index >= 0 ? index : 0);
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
    const Sets sets = requestedSets();
    DirectionSet main = m_explorer->directions();
    std::optional<DirectionSet> second;
    if (sets != Sets::Before) {
        DirectionSet after = *m_explorer->afterSre();
        // The rows keep the main set's names: the after-SRE direction k refines direction k.
        for (int k = 0; k < std::min(after.count(), main.count()); ++k)
            after.directions[std::size_t(k)].name = main.directions[std::size_t(k)].name;
        if (sets == Sets::After)
            main = std::move(after);
        else
            second = std::move(after);
    }
    // A set larger than a grid shows its first directions; side by side, the rows both sets have.
    const int shownRows = std::min({main.count(), second ? second->count() : main.count(), MaxTraversalRows});
    if (shownRows < main.count() || (second && shownRows < second->count()))
        for (int k = 0; k < shownRows; ++k)
            options.rows.push_back(k);
    m_status->setText(tr("Rendering…"));
    QPointer<TraversalView> self(this);
    m_service->runWith([self, main, second, options, sets](LatentRenderer &renderer) {
        try {
            auto rows = untangle::renderTraversal(renderer, main, options);
            std::vector<std::vector<ImageU8>> afterRows;
            if (second)
                afterRows = untangle::renderTraversal(renderer, *second, options);
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, rows = std::move(rows), afterRows = std::move(afterRows), sets]() mutable {
                    if (self)
                        self->showRows(std::move(rows), std::move(afterRows), sets);
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

void TraversalView::relabel()
{
    m_names = rowNames(m_shown == Sets::After);
    m_afterNames.clear();
    if (m_shown != Sets::BeforeAndAfter)
        return;
    const FactorAttribution *attribution = m_explorer->attribution(1);
    for (int k = 0; k < int(m_afterRows.size()); ++k)
        m_afterNames << (attribution && k < attribution->labels.size() ? attribution->labels[k] : QString());
}

void TraversalView::showRows(
    std::vector<std::vector<ImageU8>> rows, std::vector<std::vector<ImageU8>> afterRows, Sets sets)
{
    // Recorded with the rows, not when they were asked for: a failed render leaves the last picture and its labels.
    m_shown = sets;
    m_rows = std::move(rows);
    m_afterRows = std::move(afterRows);
    const int columnCount = m_rows.empty() ? 1 : int(m_rows.front().size());
    const auto tiled = [columnCount](const std::vector<std::vector<ImageU8>> &grid) {
        std::vector<ImageU8> all;
        for (const auto &row : grid)
            all.insert(all.end(), row.begin(), row.end());
        return tileImageGrid(all, columnCount, TileGap);
    };
    m_gridBytes = tiled(m_rows);
    if (!m_afterRows.empty())
        m_gridBytes = joinSideBySide(m_gridBytes, tiled(m_afterRows), SetGap);
    m_grid = toQImage(m_gridBytes);
    relabel();
    drawFitted();
    const QString shownSets = m_shown == Sets::BeforeAndAfter ? tr("before SRE (left) and after SRE (right)")
        : m_shown == Sets::After                              ? tr("after SRE")
                                                              : tr("before SRE");
    m_status->setText(tr("%1 directions %5 × %2 shifts from −%3σ to +%3σ, seed %4; the centre column is unedited.")
                          .arg(m_rows.size())
                          .arg(columnCount)
                          .arg(m_range->value())
                          .arg(m_explorer->seed())
                          .arg(shownSets));
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
    const int rowCount = int(m_rows.size());
    const int columnCount = m_rows.empty() ? 1 : int(m_rows.front().size());
    const bool both = !m_afterRows.empty();
    // The on-screen copy gets the direction names; the exported PNG stays the bare grid, as in the papers. Side by
    // side, each half gets a title line and the after-SRE rows their own factor labels on the right.
    const int header = ShiftLabelHeight * (both ? 2 : 1);
    const int rightMargin = both ? NameMargin : 0;
    // Fit the whole grid, its sigma labels included, in the view: a traversal is read as one picture.
    const QSize room = m_scroll->viewport()->size() - QSize(NameMargin + rightMargin + 8, header + 8);
    const double scale
        = std::clamp(std::min(double(room.width()) / m_grid.width(), double(room.height()) / m_grid.height()),
            MinDisplayScale, MaxDisplayScale);
    // Enlarged: whole pixels, as the explorer's grids; shrunk: filtered, so thin outlines do not drop out.
    const QImage big = m_grid.scaled(
        m_grid.size() * scale, Qt::KeepAspectRatio, scale >= 1.0 ? Qt::FastTransformation : Qt::SmoothTransformation);
    QImage labelled(big.width() + NameMargin + rightMargin, big.height() + header, QImage::Format_RGB32);
    labelled.fill(palette().window().color());
    QPainter painter(&labelled);
    painter.drawImage(NameMargin, header, big);
    painter.setPen(palette().windowText().color());
    // One set's grid is (width - SetGap) / 2 wide side by side; each column's shift in sigma above it (the centre
    // column is the unedited image), and side by side each half's set above those.
    const double setWidth = (both ? (m_grid.width() - SetGap) / 2.0 : m_grid.width()) * scale;
    const double columnWidth = (setWidth + TileGap * scale) / std::max(1, columnCount);
    const double range = m_range->value();
    for (int half = 0; half < (both ? 2 : 1); ++half) {
        const double left = NameMargin + half * (setWidth + SetGap * scale);
        if (both) {
            QFont bold = painter.font();
            bold.setBold(true);
            painter.setFont(bold);
            painter.drawText(QRectF(left, 0, setWidth, ShiftLabelHeight), Qt::AlignCenter,
                half == 0 ? tr("before SRE") : tr("after SRE"));
            painter.setFont(font());
        }
        for (int c = 0; c < columnCount; ++c) {
            const double shift = columnCount > 1 ? -range + 2.0 * range * c / (columnCount - 1) : 0.0;
            const QString text = std::abs(shift) < 1e-9
                ? QStringLiteral("0")
                : QStringLiteral("%1%2σ")
                      .arg(shift > 0 ? QStringLiteral("+") : QStringLiteral("−"))
                      .arg(std::abs(shift), 0, 'g', 2);
            painter.drawText(QRectF(left + c * columnWidth, header - ShiftLabelHeight, columnWidth, ShiftLabelHeight),
                Qt::AlignCenter, text);
        }
    }
    const int rowHeight = rowCount == 0 ? 0 : int((big.height() + TileGap * scale) / rowCount);
    for (int r = 0; r < rowCount && r < m_names.size(); ++r)
        painter.drawText(
            QRect(4, header + r * rowHeight, NameMargin - 8, rowHeight), Qt::AlignRight | Qt::AlignVCenter, m_names[r]);
    for (int r = 0; r < rowCount && r < m_afterNames.size(); ++r)
        painter.drawText(QRect(NameMargin + big.width() + 6, header + r * rowHeight, rightMargin - 8, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, m_afterNames[r]);
    painter.end();
    m_image->setPixmap(QPixmap::fromImage(labelled));
}

bool TraversalView::exportPng(const QString &path, QString *error) const
{
    try {
        if (m_gridBytes.isEmpty())
            throw std::runtime_error("render a traversal first");
        writePngFile(path.toStdString(), m_gridBytes);
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
    // The walk follows the set the page shows alone: after SRE when only that set is shown, else the main set.
    const DirectionSet set = requestedSets() == Sets::After ? *m_explorer->afterSre() : m_explorer->directions();
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
