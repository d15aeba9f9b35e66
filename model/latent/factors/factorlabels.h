#pragma once
// Directions named after the ground-truth factor they move (issue 13: "wall hue 0.82"), from a rescoring matrix, so
// the explorer's sliders, the traversal and retrieval all speak of the same attribution. Std types only.
#include "common/latentmatrix.h"
#include "directions/directionset.h"

#include <string>
#include <vector>

namespace untangle {

/** One direction's attribution: its dominant factor and how much of its factor movement goes there. */
struct FactorLabel {
    int factor = -1; // column of the rescoring matrix; -1 when the direction moves no factor at all
    double strength = 0.0; // that factor's cell
    double share = 0.0; // strength / the row's sum: 1 = it moves only this factor
    std::string text; // "wall hue 0.82" (factor name with spaces, share with two decimals) or "no factor"
};

/** Throws std::invalid_argument when the matrix has another number of columns than names, or no rows. */
std::vector<FactorLabel> factorLabels(const Matrix &magnitude, const std::vector<std::string> &factorNames);

/**
 * The set with each direction renamed to its label (magnitude row k = direction k); the previous name is kept at the
 * start of the note ("was: sefa 3"), unless the direction was already labelled. Throws std::invalid_argument when the
 * matrix has another number of rows than the set has directions.
 */
DirectionSet labelledByFactors(
    const DirectionSet &set, const Matrix &magnitude, const std::vector<std::string> &factorNames);

} // namespace untangle
