#pragma once

#include "imageu8.h"

#include <QImage>
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
 * The traversal grid as in the papers: rows = the explorer's directions (with their current signs and names),
 * columns = shifts from -range to +range sigma, the centre column unedited, all from the explorer's first seed and
 * truncation. Rendered on the render thread; exported as PNG; one direction's walk exported as a video.
 */
class TraversalView : public QWidget {
    Q_OBJECT

public:
    TraversalView(DirectionExplorer *explorer, LatentRenderService *service, QWidget *parent = nullptr);

    void setColumns(int columns);
    int columns() const;
    void setRange(double range);
    /** Renders on the render thread; traversalRendered or failed follows. */
    void renderTraversal();
    /** The last traversal: one row of images per direction. */
    const std::vector<std::vector<ImageU8>> &rows() const { return m_rows; }
    QImage gridImage() const { return m_grid; }
    bool exportPng(const QString &path, QString *error = nullptr) const;
    /** Writes the walk along direction `direction` on the render thread; videoWritten or failed follows. */
    void exportWalk(int direction, const QString &path);
    QString statusText() const;

signals:
    void traversalRendered();
    void videoWritten(const QString &path);
    void failed(const QString &message);

private:
    void showRows(const std::vector<std::vector<ImageU8>> &rows, const QStringList &names);
    void refreshDirectionChoices();

    DirectionExplorer *m_explorer;
    LatentRenderService *m_service;
    QSpinBox *m_columns = nullptr;
    QDoubleSpinBox *m_range = nullptr;
    QComboBox *m_walkDirection = nullptr;
    QSpinBox *m_walkFrames = nullptr;
    QLabel *m_image = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_status = nullptr;
    std::vector<std::vector<ImageU8>> m_rows;
    QImage m_grid;
};

} // namespace untangle
