#pragma once

#include "labeledimages.h"
#include "runinspector.h"

#include <vector>

namespace untangle {

/** Images the head (an index into ImagePredictions) gets wrong, the most confident first, at most limit. */
std::vector<int> confidentMistakes(const std::vector<ImagePredictions> &predictions, const LabeledImages &split,
    int head, int limit, int *total = nullptr);

/** Images on which two heads predict different classes, the most confident disagreements first, at most limit. */
std::vector<int> disagreements(
    const std::vector<ImagePredictions> &predictions, int headA, int headB, int limit, int *total = nullptr);

/** Every image of one (target, bias) cell, in split order. */
std::vector<int> cellMembers(const LabeledImages &split, int target, int bias);

} // namespace untangle
