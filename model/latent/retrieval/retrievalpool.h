#pragma once

#include "datasetspec.h"
#include "evaluation/disentanglement.h"
#include "factors/factorworld.h"
#include "labeledimages.h"
#include "progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** Where retrieval pool images come from. */
enum class PoolSource {
    Sprites, // procedural sprites with seeded uniform random factors (the factors are the ground truth)
    Scenes, // procedural 3D-Shapes-like scenes with seeded uniform random factors, RGB
    Dataset, // one split of any dataset the data layer builds (its target / bias labels are the ground truth)
};

enum class PoolSplit { Train, Valid, Test };

struct RetrievalPoolSpec {
    PoolSource source = PoolSource::Sprites;
    int count = 5000; // Sprites / Scenes: images to render
    int resolution = 64; // Sprites: 64 or 32 (the renderer's sizes); Scenes: 16..256
    std::uint64_t seed = 0; // Sprites: factor draws
    DatasetSpec dataset; // Dataset: what buildDataset builds
    PoolSplit split = PoolSplit::Test; // Dataset: test is unbiased, so labels are balanced ground truth
};

/** The images queries are answered from, with what is known about them. */
struct RetrievalPool {
    std::string key; // everything that determines the images (part of the score cache's key)
    std::string description; // one line for people
    LabeledImages images; // NHWC uint8, RGB when 3 channels
    FactorMatrix factors; // ground truth per image (rows = 0 when there is none)
    std::vector<std::string> factorNames;
    /** One per factor: how its values relate, which decides what retrieval counts as relevant (factorValuesRelevant).
     *  The rendered worlds' own kinds; a dataset's target and bias labels are Categorical (classes, no order). */
    std::vector<FactorKind> factorKinds;

    int count() const { return images.count; }
};

/** Spelling of the Sprites factors in reports: shape, scale, orientation, x, y. */
std::vector<std::string> spriteFactorNames();

/**
 * Renders or builds the pool a spec describes; deterministic for a spec. Throws std::invalid_argument for a bad
 * count or resolution, DataError / Cancelled from the data layer.
 */
RetrievalPool buildRetrievalPool(const RetrievalPoolSpec &spec, const ProgressFn &progress = {});

} // namespace untangle
