#include "imageconversion.h"

namespace untangle {
namespace {

QImage wrap(const std::uint8_t *data, int width, int height, int channels)
{
    const QImage::Format format = channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    // The QImage only borrows data: copy() detaches it before the buffer can go away.
    return QImage(data, width, height, width * channels, format).copy();
}

} // namespace

QImage toQImage(const LabeledImages &split, int index)
{
    return wrap(split.imageData(index), split.width, split.height, split.channels);
}

QImage toQImage(const ImageU8 &image)
{
    return wrap(image.bytes.data(), image.width, image.height, image.channels);
}

} // namespace untangle
