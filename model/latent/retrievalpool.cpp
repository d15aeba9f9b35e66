#include "retrievalpool.h"

#include "dataerror.h"
#include "datasetfactory.h"
#include "seededrandom.h"
#include "spritesrenderer.h"

#include <sstream>
#include <stdexcept>

namespace untangle {

namespace {

constexpr int PoolProgressEvery = 500; // sprites between progress reports (a report costs a queued signal in the GUI)

const char *splitName(PoolSplit split)
{
    switch (split) {
    case PoolSplit::Train:
        return "train";
    case PoolSplit::Valid:
        return "valid";
    case PoolSplit::Test:
        break;
    }
    return "test";
}

RetrievalPool spritesPool(const RetrievalPoolSpec &spec, const ProgressFn &progress)
{
    if (spec.count < 2)
        throw std::invalid_argument("a retrieval pool needs at least 2 images, got " + std::to_string(spec.count));
    if (spec.resolution != 32 && spec.resolution != 64)
        throw std::invalid_argument("Sprites render at 32 or 64 pixels, not " + std::to_string(spec.resolution));
    RetrievalPool pool;
    pool.key = "sprites count=" + std::to_string(spec.count) + " resolution=" + std::to_string(spec.resolution)
        + " seed=" + std::to_string(spec.seed);
    pool.description = std::to_string(spec.count) + " random Sprites at " + std::to_string(spec.resolution)
        + " px, seed " + std::to_string(spec.seed);
    pool.factorNames = spriteFactorNames();
    pool.factors.rows = spec.count;
    pool.factors.sizes.assign(SpriteFactorSizes.begin(), SpriteFactorSizes.end());
    pool.factors.values.resize(std::size_t(spec.count) * SpriteFactorCount);
    pool.images.allocate(spec.count, spec.resolution, spec.resolution, 1);
    SeededRandom random(spec.seed);
    for (int i = 0; i < spec.count; ++i) {
        if (i % PoolProgressEvery == 0)
            reportProgress(progress, double(i) / spec.count, "Rendering Sprites");
        SpriteFactors factors;
        for (int f = 0; f < SpriteFactorCount; ++f) {
            const int value = random.below(SpriteFactorSizes[f]);
            factors.setIndex(SpriteFactor(f), value);
            pool.factors.values[std::size_t(i) * SpriteFactorCount + f] = value;
        }
        renderSpriteInto(factors, spec.resolution, pool.images.imageData(i));
        pool.images.targets[i] = factors.shape;
    }
    return pool;
}

RetrievalPool datasetPool(const RetrievalPoolSpec &spec, const ProgressFn &progress)
{
    BiasedDataset dataset = buildDataset(spec.dataset, progress);
    RetrievalPool pool;
    std::ostringstream key;
    key << "dataset " << datasetKey(spec.dataset.kind) << " ratio=" << spec.dataset.ratio
        << " noise=" << spec.dataset.colorNoise << " seed=" << spec.dataset.seed << " path=" << spec.dataset.path
        << " size=" << spec.dataset.imageSize << " split=" << splitName(spec.split);
    pool.key = key.str();
    pool.description = dataset.description + ", " + splitName(spec.split) + " split";
    pool.images = spec.split == PoolSplit::Train ? std::move(dataset.train)
        : spec.split == PoolSplit::Valid         ? std::move(dataset.valid)
                                                 : std::move(dataset.test);
    if (pool.images.count < 2)
        throw DataError(pool.description + " has fewer than 2 images: nothing to retrieve from");
    // Labels are the ground truth when the dataset has them (every built dataset does; a folder may have 1 class).
    if (dataset.numTargets() > 0 && dataset.numBiases() > 0) {
        pool.factorNames = {"target", "bias"};
        pool.factors.rows = pool.images.count;
        pool.factors.sizes = {dataset.numTargets(), dataset.numBiases()};
        pool.factors.values.resize(std::size_t(pool.images.count) * 2);
        for (int i = 0; i < pool.images.count; ++i) {
            pool.factors.values[std::size_t(i) * 2] = int(pool.images.targets[i]);
            pool.factors.values[std::size_t(i) * 2 + 1] = int(pool.images.biases[i]);
        }
    }
    return pool;
}

} // namespace

std::vector<std::string> spriteFactorNames()
{
    return {"shape", "scale", "orientation", "x", "y"};
}

RetrievalPool buildRetrievalPool(const RetrievalPoolSpec &spec, const ProgressFn &progress)
{
    RetrievalPool pool = spec.source == PoolSource::Sprites ? spritesPool(spec, progress) : datasetPool(spec, progress);
    reportProgress(progress, 1.0, "Pool ready");
    return pool;
}

} // namespace untangle
