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

/** Most images a rendered (Sprites / Scenes) pool may hold: 20x the default 5,000. The pool is held as bytes and
 * encoded whole (100,000 Scenes at 64 x 64 take 1.2 GB); 2^31 ended in a bare std::bad_alloc. */
constexpr int MaxRetrievalPoolImages = 100000;

struct RetrievalPoolSpec {
    PoolSource source = PoolSource::Sprites;
    int count = 5000; // Sprites / Scenes: images to render, 2 to MaxRetrievalPoolImages
    int resolution = 64; // Sprites: 64 or 32 (the renderer's sizes); Scenes: 16..256
    std::uint64_t seed = 0; // Sprites: factor draws
    DatasetSpec dataset; // Dataset: what buildDataset builds
    PoolSplit split = PoolSplit::Test; // Dataset: test is unbiased, so labels are balanced ground truth
    /** Throws std::invalid_argument for a rendered pool's count outside 2..MaxRetrievalPoolImages (the resolution is
     *  the world's to check). Cheap: call it before any work. */
    void validate() const;
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
