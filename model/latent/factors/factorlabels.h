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
    double share = 0.0; // the factor's share of the row (of the row's times-random values when a floor is given)
    double timesRandom = 0.0; // strength / what a random direction moves of that factor; 0 without a floor
    std::string text; // "wall hue 7.1x" (with a floor; "weak (wall hue 0.8x)" when it prints under 1.0x), "wall hue
                      // 0.82" (without: the share), or "no factor"
};

/**
 * Per factor, what a random direction moves of it: the column means of the rescoring of random orthonormal
 * directions (FactorRescoring::floorMagnitude). Empty when there is no such matrix.
 */
std::vector<double> randomDirectionFloor(const Matrix &floorMagnitude);

/** |cell| as a multiple of a factor's random-direction floor (a floor under 0.001 counts as 0.001). */
double timesRandomDirection(double cell, double floor);

/**
 * Labels per direction. With a floor (randomDirectionFloor), each cell is read as a multiple of what a random
 * direction moves of that factor, and the dominant factor is the one moved most above that: factors differ in how
 * much any edit moves them (a blurry object's shape reading flips under any change, a hue needs a real one), so raw
 * cells would name nearly every direction after the most easily moved factor. Without a floor, the largest cell wins.
 * Throws std::invalid_argument when the matrix has another number of columns than names (or than floor values), or
 * no rows.
 */
std::vector<FactorLabel> factorLabels(
    const Matrix &magnitude, const std::vector<std::string> &factorNames, const std::vector<double> &floor = {});

/**
 * The set with each direction renamed to its label (magnitude row k = direction k); the previous name is kept at the
 * start of the note ("was: sefa 3"), unless the direction was already labelled. Throws std::invalid_argument when the
 * matrix has another number of rows than the set has directions.
 */
DirectionSet labelledByFactors(const DirectionSet &set, const Matrix &magnitude,
    const std::vector<std::string> &factorNames, const std::vector<double> &floor = {});

} // namespace untangle
