#pragma once

#include "imageu8.h"

#include <vector>

namespace untangle {

/**
 * Which cue does a model follow? From one coloured image (colour = palette[colour]) this builds: the same shape in
 * every palette colour (the cue-conflict row), a blob of the image's colour with no shape, and the grey shape with
 * no colour. The grey is recovered as the brightest channel over the colour's brightest component.
 */
struct CueConflictSet {
    std::vector<ImageU8> recoloured; // index k: the shape in palette colour k
    ImageU8 colourOnly; // a disc in the image's colour, no digit
    ImageU8 greyOnly; // the shape in neutral grey
};

CueConflictSet makeCueConflictSet(const ImageU8 &coloured, int colour);

/** Share of the recoloured images whose prediction is their colour's class (1 = follows colour, 0 = ignores it). */
double colourReliance(const std::vector<int> &predictions);

} // namespace untangle
