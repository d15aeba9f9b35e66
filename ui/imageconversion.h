#pragma once

#include "imageu8.h"
#include "labeledimages.h"

#include <QImage>

namespace untangle {

/** A detached QImage of one image of a split (RGB888 for 3 channels, Grayscale8 for 1). */
QImage toQImage(const LabeledImages &split, int index);
/** A detached QImage of a model image. */
QImage toQImage(const ImageU8 &image);

} // namespace untangle
