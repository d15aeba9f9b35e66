#include "labeledimages.h"

#include <algorithm>

namespace untangle {

void LabeledImages::allocate(int n, int h, int w, int c)
{
    count = n;
    height = h;
    width = w;
    channels = c;
    pixels.assign(std::size_t(n) * h * w * c, 0);
    targets.assign(n, 0);
    biases.assign(n, 0);
}

ImageU8 LabeledImages::image(int index) const
{
    ImageU8 out {width, height, channels, {}};
    const std::uint8_t *begin = imageData(index);
    out.bytes.assign(begin, begin + imageBytes());
    return out;
}

} // namespace untangle
