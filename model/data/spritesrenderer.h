#pragma once

#include "imageu8.h"

#include <array>
#include <cstdint>

namespace untangle {

/** dSprites factor order and sizes: shape 3, scale 6, orientation 40, x 32, y 32 (docs/methods/sre.md §3.1, §7.1). */
enum class SpriteFactor { Shape = 0, Scale, Orientation, PositionX, PositionY };
constexpr int SpriteFactorCount = 5;
constexpr std::array<int, SpriteFactorCount> SpriteFactorSizes = {3, 6, 40, 32, 32};
enum class SpriteShape { Square = 0, Ellipse = 1, Heart = 2 };
constexpr int SpriteShapeCount = SpriteFactorSizes[int(SpriteFactor::Shape)];

/** One sprite as factor indices (each in 0..SpriteFactorSizes[f]-1). */
struct SpriteFactors {
    int shape = 0;
    int scale = 0;
    int orientation = 0;
    int x = 0;
    int y = 0;

    int index(SpriteFactor factor) const;
    void setIndex(SpriteFactor factor, int value);
};

/** Values behind the indices: scale linspace(0.5, 1, 6), orientation linspace(0, 2pi, 40), position linspace(0, 1, 32).
 */
double spriteScale(int index);
double spriteOrientation(int index);
/** Rotational symmetry order of a shape index: a square repeats every pi/2 (4), an ellipse every pi (2), a heart 1. */
int spriteSymmetryOrder(int shape);
double spritePosition(int index);

/**
 * Renders a white sprite on black, exactly and deterministically from its factors, at resolution 64 or 32
 * (32 uses the same geometry scaled by 1/2). One channel, pixel values 0 or 255. Throws std::invalid_argument on
 * an index out of range or another resolution.
 */
ImageU8 renderSprite(const SpriteFactors &factors, int resolution);
/** Same, into resolution*resolution bytes at out (no allocation: used to render whole datasets). */
void renderSpriteInto(const SpriteFactors &factors, int resolution, std::uint8_t *out);

} // namespace untangle
