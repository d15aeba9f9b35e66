#include "factors/factorlabels.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace untangle {

namespace {

constexpr const char *PreviousNamePrefix = "was: ";

std::string spaced(std::string name)
{
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

} // namespace

std::vector<FactorLabel> factorLabels(const Matrix &magnitude, const std::vector<std::string> &factorNames)
{
    if (magnitude.rows < 1 || magnitude.cols != int(factorNames.size())
        || magnitude.values.size() != std::size_t(magnitude.rows) * std::size_t(magnitude.cols))
        throw std::invalid_argument("a factor attribution needs a K x F matrix with one name per factor column");
    std::vector<FactorLabel> labels;
    for (int k = 0; k < magnitude.rows; ++k) {
        FactorLabel label;
        double total = 0.0;
        for (int f = 0; f < magnitude.cols; ++f) {
            const double cell = std::abs(magnitude.at(k, f));
            total += cell;
            if (cell > label.strength) {
                label.strength = cell;
                label.factor = f;
            }
        }
        if (label.factor < 0 || total <= 0.0) {
            label.factor = -1;
            label.text = "no factor";
        } else {
            label.share = label.strength / total;
            char text[96];
            std::snprintf(
                text, sizeof text, "%s %.2f", spaced(factorNames[std::size_t(label.factor)]).c_str(), label.share);
            label.text = text;
        }
        labels.push_back(label);
    }
    return labels;
}

DirectionSet labelledByFactors(
    const DirectionSet &set, const Matrix &magnitude, const std::vector<std::string> &factorNames)
{
    if (magnitude.rows != set.count())
        throw std::invalid_argument("the attribution has " + std::to_string(magnitude.rows) + " rows for "
            + std::to_string(set.count()) + " directions");
    const auto labels = factorLabels(magnitude, factorNames);
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
