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
 * before or after SRE, or both side by side), columns = shifts from -range to +range sigma labelled above the grid, the
 * centre column unedited, all from the explorer's first seed and truncation. Rendered on the render thread; exported
 * as PNG; one direction's walk exported as a video.
 */
class TraversalView : public QWidget {
    Q_OBJECT

public:
    TraversalView(DirectionExplorer *explorer, LatentRenderService *service, QWidget *parent = nullptr);

    void setColumns(int columns);
    int columns() const;
    void setRange(double range);
    /** Which sets the rows follow: the main set, the after-SRE set, or each row before SRE beside the same row after
     *  it (what SRE changed, in one picture; the default once an after-SRE set is loaded, until the user picks). */
    enum class Sets { Before, After, BeforeAndAfter };
    /** Without an after-SRE set in the explorer every choice draws the main set. */
    void setSets(Sets sets);
    /** What the last traversal showed. */
    Sets shownSets() const { return m_shown; }
    /** Renders on the render thread; traversalRendered or failed follows. */
    void renderTraversal();
    /** The last traversal: one row of images per direction (the after-SRE set's when only it is shown). */
    const std::vector<std::vector<ImageU8>> &rows() const { return m_rows; }
    /** The after-SRE rows drawn right of rows() when both sets are shown; otherwise empty. */
    const std::vector<std::vector<ImageU8>> &afterRows() const { return m_afterRows; }
    /** The labels drawn left of the rows: each direction's name and, once attributed, the factor it moves. */
    const QStringList &shownRowNames() const { return m_names; }
    /** With both sets shown, the labels right of the after-SRE rows: the factor each after-SRE direction moves. */
    const QStringList &shownAfterNames() const { return m_afterNames; }
    QImage gridImage() const { return m_grid; }
    bool exportPng(const QString &path, QString *error = nullptr) const;
    /** Writes the walk along direction `direction` of the main set (the after-SRE set when only that one is chosen) on
     *  the render thread; videoWritten or failed follows. */
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
    void showRows(std::vector<std::vector<ImageU8>> rows, std::vector<std::vector<ImageU8>> afterRows, Sets sets);
    /** The row labels of the shown sets from the explorer's names and attribution. */
    void relabel();
    /** Draws the kept grid scaled to the view, with the sigma of each column and the name of each row. */
    void drawFitted();
    QStringList rowNames(bool after) const;
    Sets requestedSets() const;
    void refreshDirectionChoices();

    DirectionExplorer *m_explorer;
    LatentRenderService *m_service;
    QSpinBox *m_columns = nullptr;
    QDoubleSpinBox *m_range = nullptr;
    QComboBox *m_walkDirection = nullptr;
    QComboBox *m_set = nullptr; // before / after / before and after SRE
    bool m_setChosen = false; // the user picked a set: loading an after-SRE set no longer picks the side-by-side view
    Sets m_shown = Sets::Before; // the last traversal's sets
    QString m_renderedKey; // the explorer's loadedKey() when the last traversal was asked for
    QSpinBox *m_walkFrames = nullptr;
    QLabel *m_image = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_status = nullptr;
    std::vector<std::vector<ImageU8>> m_rows;
    std::vector<std::vector<ImageU8>> m_afterRows;
    QStringList m_names;
    QStringList m_afterNames;
    ImageU8 m_gridBytes; // the bare grid (both sets side by side when shown), as exported
    QImage m_grid;
};

} // namespace untangle
