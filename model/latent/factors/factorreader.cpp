// Training, held-out evaluation, caching and lookup of the factor readers.
#include "factors/factorreadernet.h"

#include "dataerror.h"
#include "datalocations.h"
#include "factors/worldimages.h"
#include "seededrandom.h"
#include "shippedresources.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>

namespace untangle {

namespace {

constexpr double ReaderRateDropAt = 0.75; // the last quarter of the steps runs at a tenth of the rate
constexpr double ReaderRateDropFactor = 0.1;
constexpr int ReaderProgressEvery = 25;
constexpr std::uint64_t ReaderHeldOutStream = 1; // SeededRandom::derive streams
constexpr std::uint64_t ReaderTrainingStream = 2;
constexpr std::uint64_t ReaderInitialisationStream = 3;
constexpr std::uint64_t ReaderAugmentationStream = 4;

struct LabelledBatch {
    torch::Tensor images; // (N, C, R, R) in [-1, 1]
    torch::Tensor factors; // (N, F) int64
};

LabelledBatch renderLabelled(const FactorWorld &world, int count, int resolution, std::uint64_t seed)
{
    SeededRandom random(seed);
    const auto tuples = world.randomTuples(count, random);
    std::vector<int64_t> labels(tuples.begin(), tuples.end());
    return {renderWorldImages(world, tuples, resolution),
        torch::tensor(labels, torch::kInt64).view({count, world.factorCount()})};
}

int classDistance(const WorldFactor &factor, int64_t a, int64_t b)
{
    const int d = int(std::abs(a - b));
    return factor.kind == FactorKind::Circular ? std::min(d, factor.size - d) : d;
}

void measureHeldOut(const FactorReader &reader, const FactorReaderTrainingOptions &options, FactorReaderInfo &info)
{
    const auto &world = reader.world();
    const auto heldOut = renderLabelled(
        world, options.heldOut, options.resolution, SeededRandom::derive(options.seed, ReaderHeldOutStream));
    auto generator
        = at::make_generator<at::CPUGeneratorImpl>(SeededRandom::derive(options.seed, ReaderAugmentationStream) + 1);
    const auto clean = reader.predict(heldOut.images);
    const auto degraded = reader.predict(generatorLikeAugmentation(heldOut.images, 1.0, generator));
    info.accuracy.assign(std::size_t(world.factorCount()), {});
    for (int f = 0; f < world.factorCount(); ++f) {
        const auto &factor = world.factors[std::size_t(f)];
        const auto truth = heldOut.factors.select(1, f).contiguous();
        const auto predicted = clean[std::size_t(f)].argmax(1).contiguous();
        const auto *t = truth.data_ptr<int64_t>();
        const auto *p = predicted.data_ptr<int64_t>();
        double within = 0.0;
        for (int i = 0; i < options.heldOut; ++i)
            within += factor.kind == FactorKind::Categorical ? p[i] == t[i] : classDistance(factor, p[i], t[i]) <= 1;
        auto &a = info.accuracy[std::size_t(f)];
        a.exact = predicted.eq(truth).to(torch::kFloat64).mean().item<double>();
        a.withinOne = within / options.heldOut;
        a.augmentedExact = degraded[std::size_t(f)].argmax(1).eq(truth).to(torch::kFloat64).mean().item<double>();
        a.confidence = std::get<0>(clean[std::size_t(f)].max(1)).mean().item<double>();
    }
}

std::string memoKeyOf(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const auto size = fs::file_size(path, error);
    const auto time = fs::last_write_time(path, error).time_since_epoch().count();
    return path + "|" + std::to_string(size) + "|" + std::to_string(time);
}

std::mutex &readerMemoMutex()
{
    static std::mutex mutex;
    return mutex;
}

std::map<std::string, FactorReaderPtr> &readerMemo()
{
    static std::map<std::string, FactorReaderPtr> loaded;
    return loaded;
}

std::string readerFileName(const std::string &world, int resolution)
{
    return world + "-factors-r" + std::to_string(resolution) + "-v" + std::to_string(FactorReaderVersion) + ".pt";
}

} // namespace

void FactorReaderTrainingOptions::validate() const
{
    const FactorWorld *found = FactorWorld::byKey(world);
    if (!found)
        throw std::invalid_argument("unknown world '" + world + "' (sprites or scenes)");
    found->requireResolution(resolution);
    if ((resolution & (resolution - 1)) != 0) // the reader halves its maps down to 4 x 4 (factorreadernet.h)
        throw std::invalid_argument(
            "a factor reader needs a power-of-two resolution, not " + std::to_string(resolution));
    if (steps < 1 || batchSize < 1 || heldOut < 1)
        throw std::invalid_argument("steps, batch size and held-out count must be at least 1");
    if (!(learningRate > 0.0) || !std::isfinite(learningRate))
        throw std::invalid_argument("the learning rate must be positive");
    if (!(augmentation >= 0.0 && augmentation <= 1.0))
        throw std::invalid_argument("the augmentation probability must be in [0, 1]");
}

std::shared_ptr<FactorReader> trainFactorReader(const FactorReaderTrainingOptions &options, const ProgressFn &progress)
{
    options.validate();
    const FactorWorld &world = *FactorWorld::byKey(options.world);
    const auto started = std::chrono::steady_clock::now();
    FactorReaderNet network(world, options.resolution);
    network->initialise(SeededRandom::derive(options.seed, ReaderInitialisationStream));
    network->train();
    torch::optim::Adam optimiser(network->parameters(), torch::optim::AdamOptions(options.learningRate));
    auto augmentation
        = at::make_generator<at::CPUGeneratorImpl>(SeededRandom::derive(options.seed, ReaderAugmentationStream));
    const std::uint64_t trainSeed = SeededRandom::derive(options.seed, ReaderTrainingStream);
    const int dropStep = int(std::lround(ReaderRateDropAt * options.steps));
    for (int step = 0; step < options.steps; ++step) {
        if (step == dropStep)
            for (auto &group : optimiser.param_groups())
                static_cast<torch::optim::AdamOptions &>(group.options())
                    .lr(options.learningRate * ReaderRateDropFactor);
        const auto batch = renderLabelled(
            world, options.batchSize, options.resolution, SeededRandom::derive(trainSeed, std::uint64_t(step)));
        const auto images = generatorLikeAugmentation(batch.images, options.augmentation, augmentation);
        const auto logits = network->forward(images);
        auto loss = torch::zeros({});
        for (int f = 0; f < world.factorCount(); ++f)
            loss = loss + torch::nn::functional::cross_entropy(logits[std::size_t(f)], batch.factors.select(1, f));
        optimiser.zero_grad();
        loss.backward();
        optimiser.step();
        if (step % ReaderProgressEvery == 0)
            reportProgress(progress, double(step) / options.steps,
                "training the " + world.title + " factor reader (" + std::to_string(options.resolution) + " px), loss "
                    + std::to_string(loss.item<double>()));
    }
    FactorReaderInfo info;
    info.steps = options.steps;
    info.batchSize = options.batchSize;
    info.seed = options.seed;
    info.heldOut = options.heldOut;
    info.trainSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto reader = std::make_shared<FactorReader>(network, info);
    measureHeldOut(*reader, options, info);
    reportProgress(progress, 1.0, world.title + " factor reader trained");
    return std::make_shared<FactorReader>(network, info);
}

FactorReaderInfo trainFactorReaderModel(
    const FactorReaderTrainingOptions &options, const std::string &path, const ProgressFn &progress)
{
    auto reader = trainFactorReader(options, progress);
    reader->save(path);
    reader->setSource(path, false);
    return reader->info();
}

std::string factorReaderCachePath(const std::string &world, int resolution)
{
    return cacheHome() + "/" + readerFileName(world, resolution);
}

std::string shippedFactorReaderPath(const std::string &world, int resolution)
{
    return shippedResourcePath("models/" + readerFileName(world, resolution));
}

namespace {

void requireReaderKind(const FactorReader &loaded, const FactorWorld &world, int resolution, const std::string &from)
{
    if (loaded.world().key != world.key || loaded.resolution() != resolution)
        throw DataError("factor reader " + from + " reads " + loaded.world().title + " at "
            + std::to_string(loaded.resolution()) + " px, not " + world.title + " at " + std::to_string(resolution)
            + " px");
}

/** The cache file, else the shipped one, loaded and checked; nullptr with each file's problem when neither loads. */
std::shared_ptr<FactorReader> loadCachedOrShipped(
    const FactorWorld &world, int resolution, const std::string &cacheFile, std::vector<std::string> &problems)
{
    for (const std::string &candidate : {cacheFile, shippedFactorReaderPath(world.key, resolution)}) {
        if (candidate.empty())
            continue;
        std::error_code error;
        if (!std::filesystem::exists(candidate, error))
            continue; // an empty cache is no problem to report
        try {
            auto loaded = FactorReader::load(candidate);
            requireReaderKind(*loaded, world, resolution, candidate);
            loaded->setSource(candidate, true);
            return loaded;
        } catch (const DataError &failure) {
            problems.push_back(failure.what()); // corrupt or stale: the next candidate (the cache is ours to rebuild)
        }
    }
    return nullptr;
}

} // namespace

FactorReaderLookup lookUpFactorReader(const std::string &worldKey, int resolution)
{
    const FactorWorld *world = FactorWorld::byKey(worldKey);
    if (!world)
        throw std::invalid_argument("unknown world '" + worldKey + "' (sprites or scenes)");
    world->requireResolution(resolution);
    std::lock_guard<std::mutex> lock(readerMemoMutex());
    const std::string file = factorReaderCachePath(world->key, resolution);
    FactorReaderLookup lookup;
    if (const auto found = readerMemo().find(memoKeyOf(file)); found != readerMemo().end()) {
        lookup.path = found->second->info().path;
        return lookup;
    }
    if (auto loaded = loadCachedOrShipped(*world, resolution, file, lookup.problems)) {
        lookup.path = loaded->info().path;
        readerMemo()[memoKeyOf(file)] = loaded;
    }
    return lookup;
}

FactorReaderPtr factorReader(
    const FactorWorld &world, int resolution, const std::string &path, const ProgressFn &progress)
{
    world.requireResolution(resolution);
    std::lock_guard<std::mutex> lock(readerMemoMutex()); // also keeps two threads from training the same cache
    const bool useCache = path.empty();
    const std::string file = useCache ? factorReaderCachePath(world.key, resolution) : path;
    const auto requireKind = [&](const FactorReader &loaded, const std::string &from) {
        requireReaderKind(loaded, world, resolution, from);
    };
    if (const auto found = readerMemo().find(memoKeyOf(file)); found != readerMemo().end()) {
        requireKind(*found->second, file);
        return found->second;
    }
    std::shared_ptr<FactorReader> reader;
    if (useCache) {
        // The user's cache, then the shipped file, and only then minutes of training: a fresh machine must not wait.
        std::vector<std::string> problems; // lookUpFactorReader reports them; here the cache is just rebuilt
        reader = loadCachedOrShipped(world, resolution, file, problems);
        if (!reader) {
            FactorReaderTrainingOptions options;
            options.world = world.key;
            options.resolution = resolution;
            reader = trainFactorReader(options, progress);
            std::filesystem::create_directories(std::filesystem::path(file).parent_path());
            reader->save(file);
            reader->setSource(file, false);
        }
    } else {
        reader = FactorReader::load(file);
        requireKind(*reader, file);
    }
    readerMemo()[memoKeyOf(file)] = reader;
    return reader;
}

FactorReaderInfo ensureFactorReader(const std::string &world, int resolution, const ProgressFn &progress)
{
    const FactorWorld *found = FactorWorld::byKey(world);
    if (!found)
        throw std::invalid_argument("unknown world '" + world + "' (sprites or scenes)");
    return factorReader(*found, resolution, {}, progress)->info();
}

FactorReaderInfo readFactorReaderModel(const std::string &path)
{
    return FactorReader::load(path)->info();
}

std::string FactorReaderInfo::summary() const
{
    const FactorWorld *found = FactorWorld::byKey(world);
    std::string text;
    char line[200];
    std::snprintf(line, sizeof line, "%s factor reader, %d px (%s)\n%-14s %7s %7s %10s %11s\n",
        found ? found->title.c_str() : world.c_str(), resolution, path.c_str(), "factor", "exact", "+-1", "augmented",
        "confidence");
    text += line;
    for (std::size_t f = 0; f < accuracy.size(); ++f) {
        const auto &a = accuracy[f];
        std::snprintf(line, sizeof line, "%-14s %7.3f %7.3f %10.3f %11.3f\n",
            found && f < found->factors.size() ? found->factors[f].name.c_str() : "?", a.exact, a.withinOne,
            a.augmentedExact, a.confidence);
        text += line;
    }
    std::snprintf(line, sizeof line, "%d steps of %d images, seed %llu, %.0f s; %d held-out renders", steps, batchSize,
        static_cast<unsigned long long>(seed), trainSeconds, heldOut);
    return text + line;
}

} // namespace untangle
