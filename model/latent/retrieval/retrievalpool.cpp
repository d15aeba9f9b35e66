#include "retrieval/retrievalpool.h"

#include "dataerror.h"
#include "datasetfactory.h"
#include "factors/factorworld.h"
#include "seededrandom.h"

#include <algorithm>
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

RetrievalPool worldPool(const FactorWorld &world, const RetrievalPoolSpec &spec, const ProgressFn &progress)
{
    spec.validate();
    world.requireResolution(spec.resolution);
    RetrievalPool pool;
    pool.key = world.key + " count=" + std::to_string(spec.count) + " resolution=" + std::to_string(spec.resolution)
        + " seed=" + std::to_string(spec.seed);
    pool.description = std::to_string(spec.count) + " random " + world.title + " at " + std::to_string(spec.resolution)
        + " px, seed " + std::to_string(spec.seed);
    pool.factorNames = world.names();
    pool.factorKinds = world.kinds();
    SeededRandom random(spec.seed);
    pool.factors = FactorMatrix {spec.count, world.sizes(), world.randomTuples(spec.count, random)};
    pool.images.allocate(spec.count, spec.resolution, spec.resolution, world.channels);
    const int f = world.factorCount();
    const int shape = world.factorIndex("shape");
    for (int begin = 0; begin < spec.count; begin += PoolProgressEvery) {
        reportProgress(progress, double(begin) / spec.count, "Rendering " + world.title);
        const int end = std::min(spec.count, begin + PoolProgressEvery);
        const std::vector<int> chunk(pool.factors.values.begin() + std::ptrdiff_t(begin) * f,
            pool.factors.values.begin() + std::ptrdiff_t(end) * f);
        world.render(chunk, spec.resolution, pool.images.imageData(begin));
        for (int i = begin; i < end; ++i)
            pool.images.targets[i] = pool.factors.at(i, shape);
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
        pool.factorKinds = {FactorKind::Categorical, FactorKind::Categorical}; // digits, colours, corruptions: no order
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

void RetrievalPoolSpec::validate() const
{
    if (source == PoolSource::Dataset)
        return; // the dataset decides its size
    if (count < 2)
        throw std::invalid_argument("a retrieval pool needs at least 2 images, got " + std::to_string(count));
    if (count > MaxRetrievalPoolImages)
        throw std::invalid_argument("the retrieval pool size is too large: " + std::to_string(count)
            + " images (at most " + std::to_string(MaxRetrievalPoolImages) + ")");
}

std::vector<std::string> spriteFactorNames()
{
    return FactorWorld::of(WorldKind::Sprites).names();
}

RetrievalPool buildRetrievalPool(const RetrievalPoolSpec &spec, const ProgressFn &progress)
{
    RetrievalPool pool = spec.source == PoolSource::Sprites
        ? worldPool(FactorWorld::of(WorldKind::Sprites), spec, progress)
        : spec.source == PoolSource::Scenes ? worldPool(FactorWorld::of(WorldKind::Scenes), spec, progress)
                                            : datasetPool(spec, progress);
    reportProgress(progress, 1.0, "Pool ready");
    return pool;
}

} // namespace untangle
