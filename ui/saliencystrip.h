#pragma once

#include "imageinspection.h"

#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

namespace untangle {

class ImageGrid;

/**
 * The selected image and, beside it, each head's input-gradient saliency over it: where a colour-following head
 * looks (everywhere the colour is) against where a shape-following one looks (the strokes).
 */
class SaliencyStrip : public QWidget {
    Q_OBJECT

public:
    /** Overlay pixels per input pixel (nearest, so each input pixel stays a block): what to ask the models for. */
    static constexpr int OverlayUpscale = 4;

    explicit SaliencyStrip(QWidget *parent = nullptr);

    /** Item 0 is the image itself, then one overlay per head (answer.saliency, for the heads in this order, each for
     *  the head's own predicted class). */
    void showVerdicts(const ImageInspection &answer, const RunHeads &runHeads, const QStringList &heads,
        const QString &caption, const std::vector<std::string> &targetNames);
    void clear();
    ImageGrid *grid() const { return m_grid; }

private:
    ImageGrid *m_grid = nullptr;
};

} // namespace untangle
