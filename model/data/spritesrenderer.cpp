#include "spritesrenderer.h"

#include "mathconstants.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace untangle {
namespace {

// Geometry is defined once in 64x64 pixel space; 32x32 samples the same picture at every second pixel centre.
constexpr int ReferenceResolution = 64; // dSprites' native size
constexpr double HalfExtent = 10.0; // L (docs/methods/sre.md §7.1: ~10 px): a scale-1 square spans 20 of 64 px
// m: the farthest any shape reaches from its centre is L*sqrt(2) = 14.14 (rotated square corner); a margin of 16
// keeps reach inside [1.86, 62.14], so the two outermost rows/columns stay empty at 64 and at 32.
constexpr double Margin = 16.0;
constexpr std::uint8_t Foreground = 255; // binary sprites, white on black

// Heart: the implicit curve (X^2 + Y^2 - 1)^3 - X^2 Y^3 <= 0 spans X in [-1.138, 1.138] and Y in [-1, 1.236], tip at
// (0, -1). Sprite units map onto it as X = HeartScale*qx, Y = HeartCentroidY - HeartScale*qy: the flip makes the tip
// point down in the image (upright heart at orientation 0); measured numerically on a fine grid:
constexpr double HeartScale = 1.14; // the heart's width fills the unit box; its reach 1.135 < sqrt(2) still fits
constexpr double HeartCentroidY
    = 0.2935; // area centroid of the curve: the heart turns about its centroid, like the others

constexpr double EllipseMinorAxis = 0.5; // dSprites-like ellipse: 2:1 axes, long axis along x at orientation 0
constexpr double Sqrt2 = 1.41421356237309504880;

int sizeOf(SpriteFactor factor)
{
    return SpriteFactorSizes[std::size_t(factor)];
}

void checkIndex(const char *name, int value, int size)
{
    if (value < 0 || value >= size)
        throw std::invalid_argument(std::string("sprite ") + name + " index " + std::to_string(value)
            + " is outside 0.." + std::to_string(size - 1));
}

void checkFactors(const SpriteFactors &f, int resolution)
{
    checkIndex("shape", f.shape, sizeOf(SpriteFactor::Shape));
    checkIndex("scale", f.scale, sizeOf(SpriteFactor::Scale));
    checkIndex("orientation", f.orientation, sizeOf(SpriteFactor::Orientation));
    checkIndex("x", f.x, sizeOf(SpriteFactor::PositionX));
    checkIndex("y", f.y, sizeOf(SpriteFactor::PositionY));
    if (resolution != 32 && resolution != 64)
        throw std::invalid_argument(
            "sprite resolution " + std::to_string(resolution) + " is not supported (use 32 or 64)");
}

double linspace(double from, double to, int count, int index)
{
    return from + (to - from) * double(index) / double(count - 1);
}

/** Membership of q (sprite units, the shape inscribed in the unit box) in the canonical shape. */
template <SpriteShape Shape> bool inside(double qx, double qy)
{
    if constexpr (Shape == SpriteShape::Square) {
        return std::max(std::abs(qx), std::abs(qy)) <= 1.0;
    } else if constexpr (Shape == SpriteShape::Ellipse) {
        const double v = qy / EllipseMinorAxis;
        return qx * qx + v * v <= 1.0;
    } else {
        const double x = HeartScale * qx;
        const double y = HeartCentroidY - HeartScale * qy;
        const double x2 = x * x;
        const double r = x2 + y * y - 1.0;
        return r * r * r - x2 * y * y * y <= 0.0;
    }
}

template <SpriteShape Shape> void rasterise(const SpriteFactors &f, int resolution, std::uint8_t *out)
{
    const double pixel = double(ReferenceResolution) / resolution; // 64-space size of one output pixel
    const double span = ReferenceResolution - 2.0 * Margin;
    const double cx = Margin + spritePosition(f.x) * span;
    const double cy = Margin + spritePosition(f.y) * span;
    // The last orientation (2 pi) is the same rotation as the first; computing it as 0 keeps the two pixel-identical
    // (sin(2 pi) = -2.4e-16 in double would flip pixel centres that lie exactly on an edge).
    const int lastOrientation = sizeOf(SpriteFactor::Orientation) - 1;
    const double theta = spriteOrientation(f.orientation == lastOrientation ? 0 : f.orientation);
    const double inverseSize = 1.0 / (spriteScale(f.scale) * HalfExtent);
    const double c = std::cos(theta) * inverseSize;
    const double s = std::sin(theta) * inverseSize;
    const double reach = spriteScale(f.scale) * HalfExtent * Sqrt2; // every shape fits the rotated unit box

    // Only pixel centres (i + 0.5) * pixel within [centre - reach, centre + reach] can be inside.
    auto firstIndex = [&](double lo) { return std::max(0, int(std::ceil(lo / pixel - 0.5))); };
    auto lastIndex = [&](double hi) { return std::min(resolution - 1, int(std::floor(hi / pixel - 0.5))); };
    const int i0 = firstIndex(cx - reach), i1 = lastIndex(cx + reach);
    const int j0 = firstIndex(cy - reach), j1 = lastIndex(cy + reach);

    for (int j = j0; j <= j1; ++j) {
        const double dy = (j + 0.5) * pixel - cy;
        std::uint8_t *row = out + std::size_t(j) * resolution;
        for (int i = i0; i <= i1; ++i) {
            const double dx = (i + 0.5) * pixel - cx;
            // q = R(-theta) (p - c) / (s L); with y pointing down, growing theta turns the sprite clockwise on screen.
            const double qx = c * dx + s * dy;
            const double qy = -s * dx + c * dy;
            if (inside<Shape>(qx, qy))
                row[i] = Foreground;
        }
    }
}

} // namespace

int SpriteFactors::index(SpriteFactor factor) const
{
    switch (factor) {
    case SpriteFactor::Shape:
        return shape;
    case SpriteFactor::Scale:
        return scale;
    case SpriteFactor::Orientation:
        return orientation;
    case SpriteFactor::PositionX:
        return x;
    case SpriteFactor::PositionY:
        return y;
    }
    throw std::invalid_argument("unknown sprite factor " + std::to_string(int(factor)));
}

void SpriteFactors::setIndex(SpriteFactor factor, int value)
{
    switch (factor) {
    case SpriteFactor::Shape:
        shape = value;
        return;
    case SpriteFactor::Scale:
        scale = value;
        return;
    case SpriteFactor::Orientation:
        orientation = value;
        return;
    case SpriteFactor::PositionX:
        x = value;
        return;
    case SpriteFactor::PositionY:
        y = value;
        return;
    }
    throw std::invalid_argument("unknown sprite factor " + std::to_string(int(factor)));
}

double spriteScale(int index)
{
    checkIndex("scale", index, sizeOf(SpriteFactor::Scale));
    return linspace(0.5, 1.0, sizeOf(SpriteFactor::Scale), index);
}

int spriteSymmetryOrder(int shape)
{
    switch (SpriteShape(shape)) {
    case SpriteShape::Square:
        return 4;
    case SpriteShape::Ellipse:
        return 2;
    case SpriteShape::Heart:
        return 1;
    }
    return 1;
}

double spriteOrientation(int index)
{
    checkIndex("orientation", index, sizeOf(SpriteFactor::Orientation));
    return linspace(0.0, 2.0 * Pi, sizeOf(SpriteFactor::Orientation), index);
}

double spritePosition(int index)
{
    // x and y share the same 32 positions.
    checkIndex("position", index, sizeOf(SpriteFactor::PositionX));
    return linspace(0.0, 1.0, sizeOf(SpriteFactor::PositionX), index);
}

ImageU8 renderSprite(const SpriteFactors &factors, int resolution)
{
    checkFactors(factors, resolution);
    ImageU8 image {resolution, resolution, 1, std::vector<std::uint8_t>(std::size_t(resolution) * resolution)};
    renderSpriteInto(factors, resolution, image.bytes.data());
    return image;
}

void renderSpriteInto(const SpriteFactors &factors, int resolution, std::uint8_t *out)
{
    checkFactors(factors, resolution);
    std::memset(out, 0, std::size_t(resolution) * resolution);
    switch (SpriteShape(factors.shape)) {
    case SpriteShape::Square:
        rasterise<SpriteShape::Square>(factors, resolution, out);
        break;
    case SpriteShape::Ellipse:
        rasterise<SpriteShape::Ellipse>(factors, resolution, out);
        break;
    case SpriteShape::Heart:
        rasterise<SpriteShape::Heart>(factors, resolution, out);
        break;
    }
}

} // namespace untangle
