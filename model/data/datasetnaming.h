#pragma once

#include "coloredmnist.h"
#include "datasetspec.h"

#include <string>
#include <vector>

namespace untangle {

/** Throws DataError unless 0 <= ratio <= 1. */
void checkRatio(double ratio);
/** "1% conflicting, colour noise 0.005, seed 0" */
std::string describeOptions(const ColoringOptions &options);
std::vector<std::string> digitNames();
std::vector<std::string> colourNames();
std::vector<std::string> fashionNames();
std::vector<std::string> spriteShapeNames();
std::vector<std::string> spriteBandNames();
/** The Scenes bias: object hue bands (scenesdataset.h). */
std::vector<std::string> sceneHueBandNames();

/** One ground-truth factor of a procedural dataset and its number of values. */
struct DatasetFactor {
    std::string name;
    int count = 0;
};

/** The factors a procedural dataset is rendered from (Sprites, Scenes), in their own order; empty for the others. */
std::vector<DatasetFactor> datasetFactors(DatasetKind kind);

/**
 * The label names a dataset kind always has (digits and colours, garments and corruptions, shapes and bands),
 * so a run can be labelled without rebuilding its data. False for kinds whose names come from the files.
 */
bool fixedLabelNames(DatasetKind kind, std::vector<std::string> &targets, std::vector<std::string> &biases);

} // namespace untangle
