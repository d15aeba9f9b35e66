#pragma once

#include "imageu8.h"

#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

namespace untangle {

class ImageGrid;
class RunInspector;

/**
 * The selected image and, beside it, each head's input-gradient saliency over it: where a colour-following head
 * looks (everywhere the colour is) against where a shape-following one looks (the strokes).
 */
class SaliencyStrip : public QWidget {
    Q_OBJECT

public:
    explicit SaliencyStrip(QWidget *parent = nullptr);

    /** Item 0 is the image itself, then one overlay per head (for the head's own predicted class). */
    void showImage(RunInspector &inspector, const QStringList &heads, const ImageU8 &image, const QString &caption,
        const std::vector<std::string> &targetNames);
    void clear();
    ImageGrid *grid() const { return m_grid; }

private:
    ImageGrid *m_grid = nullptr;
};

} // namespace untangle
