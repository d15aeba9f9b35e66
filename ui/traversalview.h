#pragma once

#include "imageu8.h"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QScrollArea;
class QSpinBox;

namespace untangle {

class DirectionExplorer;
class LatentRenderService;

/**
 * The traversal grid as in the papers: rows = the explorer's directions (with their current signs and names; the set
 * before or after SRE), columns = shifts from -range to +range sigma labelled above the grid, the centre column
 * unedited, all from the explorer's first seed and
 * truncation. Rendered on the render thread; exported as PNG; one direction's walk exported as a video.
 */
class TraversalView : public QWidget {
    Q_OBJECT

public:
    TraversalView(DirectionExplorer *explorer, LatentRenderService *service, QWidget *parent = nullptr);

    void setColumns(int columns);
    int columns() const;
    void setRange(double range);
    /** Rows follow the after-SRE set (when the explorer has one) instead of the main set. */
    void setAfterSre(bool after);
    bool showsAfterSre() const { return m_shownAfter; }
    /** Renders on the render thread; traversalRendered or failed follows. */
    void renderTraversal();
    /** The last traversal: one row of images per direction. */
    const std::vector<std::vector<ImageU8>> &rows() const { return m_rows; }
    /** The labels drawn left of the rows: each direction's name and, once attributed, the factor it moves. */
    const QStringList &shownRowNames() const { return m_names; }
    QImage gridImage() const { return m_grid; }
    bool exportPng(const QString &path, QString *error = nullptr) const;
    /** Writes the walk along direction `direction` on the render thread; videoWritten or failed follows. */
    void exportWalk(int direction, const QString &path);
    QString statusText() const;

signals:
    void traversalRendered();
    void videoWritten(const QString &path);
    void failed(const QString &message);

protected:
    /** Draws the grid when the page is shown and the generator or sets changed since the last one (a newcomer met an
     *  empty grey box until pressing Render). */
    void showEvent(QShowEvent *event) override;
    /** On the view's resize, fits the last grid to it as at first (scaling the kept picture, no render). */
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showRows(const std::vector<std::vector<ImageU8>> &rows, const QStringList &names);
    /** Draws the kept grid scaled to the view, with the sigma of each column and the name of each row. */
    void drawFitted();
    QStringList rowNames(bool after) const;
    void refreshDirectionChoices();

    DirectionExplorer *m_explorer;
    LatentRenderService *m_service;
    QSpinBox *m_columns = nullptr;
    QDoubleSpinBox *m_range = nullptr;
    QComboBox *m_walkDirection = nullptr;
    QComboBox *m_set = nullptr; // before / after SRE
    bool m_shownAfter = false; // the last traversal's set
    QString m_renderedKey; // the explorer's loadedKey() when the last traversal was asked for
    QSpinBox *m_walkFrames = nullptr;
    QLabel *m_image = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_status = nullptr;
    std::vector<std::vector<ImageU8>> m_rows;
    QStringList m_names;
    QImage m_grid;
};

} // namespace untangle
