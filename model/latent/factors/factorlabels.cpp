#include "factors/factorlabels.h"

#include "factors/factorworld.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace untangle {

namespace {

constexpr const char *PreviousNamePrefix = "was: ";
// A factor no random direction moves at all would make any movement of it infinitely selective: a floor under the
// floor, well below what 512 latents resolve (random directions move a hue by ~0.01).
constexpr double SmallestFloor = 1e-3;

} // namespace

std::vector<double> randomDirectionFloor(const Matrix &floorMagnitude)
{
    std::vector<double> floor(std::size_t(std::max(0, floorMagnitude.cols)), 0.0);
    if (floorMagnitude.rows < 1)
        return {};
    for (int k = 0; k < floorMagnitude.rows; ++k)
        for (int f = 0; f < floorMagnitude.cols; ++f)
            floor[std::size_t(f)] += std::abs(floorMagnitude.at(k, f)) / floorMagnitude.rows;
    return floor;
}

double timesRandomDirection(double cell, double floor)
{
    return std::abs(cell) / std::max(SmallestFloor, floor);
}

std::vector<FactorLabel> factorLabels(
    const Matrix &magnitude, const std::vector<std::string> &factorNames, const std::vector<double> &floor)
{
    if (magnitude.rows < 1 || magnitude.cols != int(factorNames.size())
        || magnitude.values.size() != std::size_t(magnitude.rows) * std::size_t(magnitude.cols))
        throw std::invalid_argument("a factor attribution needs a K x F matrix with one name per factor column");
    if (!floor.empty() && floor.size() != factorNames.size())
        throw std::invalid_argument("a factor attribution's random-direction floor needs one value per factor");
    std::vector<FactorLabel> labels;
    for (int k = 0; k < magnitude.rows; ++k) {
        FactorLabel label;
        double total = 0.0, best = 0.0;
        for (int f = 0; f < magnitude.cols; ++f) {
            const double cell = std::abs(magnitude.at(k, f));
            // the cell in units of a random direction's movement of this factor, or as it is without a floor
            const double score = floor.empty() ? cell : timesRandomDirection(cell, floor[std::size_t(f)]);
            total += score;
            if (score > best) {
                best = score;
                label.strength = cell;
                label.factor = f;
            }
        }
        if (label.factor < 0 || total <= 0.0) {
            label.factor = -1;
            label.text = "no factor";
        } else {
            label.share = best / total;
            const std::string name = factorDisplayName(factorNames[std::size_t(label.factor)]);
            char text[96];
            if (floor.empty()) {
                std::snprintf(text, sizeof text, "%s %.2f", name.c_str(), label.share);
            } else {
                label.timesRandom = best;
                // A direction that moves no factor more than a random direction does is not named after one: its
                // best factor is said in brackets, so a slider never claims a factor it moves at chance.
                // (Decided on the printed value: "1.0x" is named, "0.9x" is weak; 9.97 prints "10x", not "10.0x".)
                const char *format = best < 0.95 ? "weak (%s %.1fx)" : best < 9.95 ? "%s %.1fx" : "%s %.0fx";
                std::snprintf(text, sizeof text, format, name.c_str(), best);
            }
            label.text = text;
        }
        labels.push_back(label);
    }
    return labels;
}

DirectionSet labelledByFactors(const DirectionSet &set, const Matrix &magnitude,
    const std::vector<std::string> &factorNames, const std::vector<double> &floor)
{
    if (magnitude.rows != set.count())
        throw std::invalid_argument("the attribution has " + std::to_string(magnitude.rows) + " rows for "
            + std::to_string(set.count()) + " directions");
    const auto labels = factorLabels(magnitude, factorNames, floor);
    DirectionSet labelled = set;
    for (int k = 0; k < set.count(); ++k) {
        auto &direction = labelled.directions[std::size_t(k)];
        if (direction.note.rfind(PreviousNamePrefix, 0) != 0) // the first labelling keeps the method's name
            direction.note
                = PreviousNamePrefix + direction.name + (direction.note.empty() ? "" : "; " + direction.note);
        direction.name = labels[std::size_t(k)].text;
    }
    return labelled;
}

} // namespace untangle
