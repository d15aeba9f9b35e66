#include "datasethandle.h"

#include "datasetfactory.h"

#include <chrono>

namespace untangle {

DatasetHandle buildDatasetHandle(const DatasetSpec &spec, const ProgressFn &progress)
{
    const auto begin = std::chrono::steady_clock::now();
    auto built = std::make_shared<BuiltDataset>();
    built->spec = spec;
    built->dataset = buildDataset(spec, progress);
    built->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    const int targets = built->dataset.numTargets(), biases = built->dataset.numBiases();
    built->train = countSplit(built->dataset.train, targets, biases);
    built->valid = countSplit(built->dataset.valid, targets, biases);
    built->test = countSplit(built->dataset.test, targets, biases);
    return built;
}

} // namespace untangle
