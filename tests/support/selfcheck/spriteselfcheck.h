#pragma once
// Std-only helpers for the Sprites evaluation tests, which cannot include torch.
#include "sprites/spriterescoring.h"

namespace untangle::selfcheck {

/**
 * Rescoring on a hand-made "generator" whose answer is known: w has 5 coordinates, one per factor in SpriteFactor
 * order, and G(w) renders the sprite with index_f = clamp(round(centre_f + spread_f * w_f)) (see the .cpp for the
 * spreads: a 1.5 sigma step moves shape ~1 class, scale ~2, orientation 3 steps, x and y ~10 positions). The
 * directions are the five coordinate axes named after their factor, so direction f should move factor f only.
 */
SpriteRescoring rescoreAxisSpriteGenerator(int resolution, const SpriteRescoringOptions &options);

} // namespace untangle::selfcheck
