#include "sprites/spritefactorclassifier.h"

#include "atomicfile.h"
#include "checkpointarchive.h"
#include "dataerror.h"
#include "datalocations.h"
#include "errortext.h"
#include "moduleio.h"
#include "shippedresources.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

namespace untangle {

namespace {

constexpr const char *FormatKey = "untangle_sprite_factor_model";
constexpr int InfoValuesPerFactor = 5; // 4 accuracies + confidence
constexpr int InfoHeaderValues = 5; // steps, batch size, train seconds, held-out count, render agreement

torch::Tensor infoTensor(const SpriteFactorModelInfo &info)
{
    std::vector<double> values = {
        double(info.steps), double(info.batchSize), info.trainSeconds, double(info.heldOut), info.realRenderAgreement};
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto &a = info.accuracy[f];
        values.insert(
            values.end(), {a.exact, a.withinOne, a.moduloSymmetry, a.moduloSymmetryWithinOne, info.realConfidence[f]});
    }
    return torch::tensor(values, torch::kFloat64);
}

void readInfo(const torch::Tensor &tensor, SpriteFactorModelInfo &info)
{
    if (tensor.dim() != 1 || tensor.numel() != InfoHeaderValues + InfoValuesPerFactor * SpriteFactorCount)
        throw std::invalid_argument("the model description has the wrong size");
    const auto values = tensor.to(torch::kFloat64).contiguous();
    const double *v = values.data_ptr<double>();
    info.steps = int(v[0]);
    info.batchSize = int(v[1]);
    info.trainSeconds = v[2];
    info.heldOut = int(v[3]);
    info.realRenderAgreement = v[4];
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const double *p = v + InfoHeaderValues + InfoValuesPerFactor * f;
        info.accuracy[f] = {p[0], p[1], p[2], p[3]};
        info.realConfidence[f] = p[4];
    }
}

std::string memoKey(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const auto size = fs::file_size(path, error);
    const auto time = fs::last_write_time(path, error).time_since_epoch().count();
    return path + "|" + std::to_string(size) + "|" + std::to_string(time);
}

std::mutex &memoMutex()
{
    static std::mutex mutex;
    return mutex;
}

std::map<std::string, SpriteFactorClassifierPtr> &memo()
{
    static std::map<std::string, SpriteFactorClassifierPtr> loaded;
    return loaded;
}

} // namespace

SpriteFactorClassifier::SpriteFactorClassifier(SpriteFactorNet network, SpriteFactorModelInfo info)
    : m_network(std::move(network))
    , m_info(std::move(info))
{
    m_info.resolution = m_network->config.resolution;
    m_network->eval();
    for (auto &parameter : m_network->parameters())
        parameter.set_requires_grad(false);
}

std::vector<torch::Tensor> SpriteFactorClassifier::predict(const torch::Tensor &images) const
{
    const int r = resolution();
    if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != r || images.size(3) != r) {
        std::ostringstream shape;
        shape << images.sizes();
        throw DataError("the Sprites factor model reads 1-channel " + std::to_string(r) + "x" + std::to_string(r)
            + " images, got a tensor of shape " + shape.str());
    }
    torch::NoGradGuard noGrad;
    const auto input = images.to(torch::kFloat32).contiguous();
    std::vector<std::vector<torch::Tensor>> parts(SpriteFactorCount);
    for (int64_t start = 0; start < input.size(0); start += SpriteFactorPredictBatch) {
        const auto batch = input.slice(0, start, std::min<int64_t>(input.size(0), start + SpriteFactorPredictBatch));
        const auto logits = m_network->forward(batch);
        for (int f = 0; f < SpriteFactorCount; ++f)
            parts[f].push_back(torch::softmax(logits[f], 1));
    }
    std::vector<torch::Tensor> probabilities;
    for (int f = 0; f < SpriteFactorCount; ++f)
        probabilities.push_back(parts[f].empty() ? torch::zeros({0, SpriteFactorSizes[f]}) : torch::cat(parts[f]));
    return probabilities;
}

void SpriteFactorClassifier::save(const std::string &path) const
{
    torch::serialize::OutputArchive archive;
    archive.write(FormatKey, torch::tensor({int64_t(SpriteFactorModelVersion)}, torch::kInt64));
    archive.write("config",
        torch::tensor({int64_t(m_network->config.resolution), int64_t(m_network->config.hidden)}, torch::kInt64));
    archive.write("seed", torch::tensor({int64_t(m_info.seed)}, torch::kInt64));
    archive.write("info", infoTensor(m_info));
    torch::serialize::OutputArchive weights;
    m_network->save(weights);
    archive.write("network", weights);
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(path, bytes.str());
}

void SpriteFactorClassifier::setSource(const std::string &path, bool fromCache)
{
    m_info.path = path;
    m_info.fromCache = fromCache;
}

std::shared_ptr<SpriteFactorClassifier> SpriteFactorClassifier::load(const std::string &path)
{
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw DataError("Sprites factor model " + path + " does not exist");
    try {
        torch::serialize::InputArchive archive;
        loadArchiveFile(archive, path);
        torch::Tensor marker;
        if (!archive.try_read(FormatKey, marker))
            throw DataError(path + " is not a Sprites factor model");
        if (marker.numel() != 1 || marker.item<int64_t>() != SpriteFactorModelVersion)
            throw DataError(path + " is a Sprites factor model of another version ("
                + std::to_string(marker.item<int64_t>()) + ", this build reads "
                + std::to_string(SpriteFactorModelVersion) + ")");
        torch::Tensor config, seed, info;
        archive.read("config", config);
        archive.read("seed", seed);
        archive.read("info", info);
        if (config.numel() != 2)
            throw std::invalid_argument("the network config has the wrong size");
        SpriteFactorNetConfig netConfig;
        netConfig.resolution = int(config[0].item<int64_t>());
        netConfig.hidden = int(config[1].item<int64_t>());
        SpriteFactorNet network(netConfig);
        torch::serialize::InputArchive weights;
        archive.read("network", weights);
        loadCheckedWeights(*network, weights);
        SpriteFactorModelInfo description;
        readInfo(info, description);
        description.seed = std::uint64_t(seed.item<int64_t>());
        description.path = path;
        return std::make_shared<SpriteFactorClassifier>(network, description);
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &problem) {
        throw DataError("cannot read Sprites factor model " + path + ": " + conciseError(problem));
    }
}

std::string spriteFactorCachePath(int resolution)
{
    return cacheHome() + "/sprite-factors-r" + std::to_string(resolution) + "-v"
        + std::to_string(SpriteFactorModelVersion) + ".pt";
}

std::string shippedSpriteFactorModelPath(int resolution)
{
    return shippedResourcePath("models/sprite-factors-r" + std::to_string(resolution) + "-v"
        + std::to_string(SpriteFactorModelVersion) + ".pt");
}

namespace {

void requireResolution(const SpriteFactorClassifier &loaded, int resolution, const std::string &file)
{
    if (loaded.resolution() != resolution)
        throw DataError("Sprites factor model " + file + " reads " + std::to_string(loaded.resolution())
            + "-pixel images, not " + std::to_string(resolution));
}

/**
 * The user's cache first (a model trained here), then the one shipped with the application (trained by
 * packaging/train-factor-models.sh with the same recipe): the first that loads, or null, with why the others did not
 * in problems (a cache not written yet is no problem). The caller holds memoMutex().
 */
std::shared_ptr<SpriteFactorClassifier> loadCachedOrShipped(
    int resolution, const std::string &cacheFile, std::vector<std::string> &problems)
{
    const std::string shipped = shippedSpriteFactorModelPath(resolution);
    for (const std::string &candidate : {cacheFile, shipped}) {
        std::error_code error;
        if (candidate.empty() || (candidate == cacheFile && !std::filesystem::exists(candidate, error)))
            continue;
        try {
            auto loaded = SpriteFactorClassifier::load(candidate);
            requireResolution(*loaded, resolution, candidate);
            loaded->setSource(candidate, true);
            return loaded;
        } catch (const DataError &problem) {
            // Corrupt or stale: the next candidate (the cache is ours to rebuild, never the user's problem).
            problems.push_back(problem.what());
        }
    }
    if (shipped.empty())
        problems.push_back("no shipped Sprites factor model for " + std::to_string(resolution) + " px is installed");
    return nullptr;
}

} // namespace

SpriteFactorModelLookup lookUpSpriteFactorModel(int resolution)
{
    SpriteFactorNetConfig {resolution}.validate();
    std::lock_guard<std::mutex> lock(memoMutex());
    const std::string file = spriteFactorCachePath(resolution);
    SpriteFactorModelLookup lookup;
    if (const auto found = memo().find(memoKey(file)); found != memo().end()) {
        lookup.path = found->second->info().path;
        return lookup;
    }
    if (auto loaded = loadCachedOrShipped(resolution, file, lookup.problems)) {
        lookup.path = loaded->info().path;
        memo()[memoKey(file)] = loaded;
    }
    return lookup;
}

SpriteFactorClassifierPtr spriteFactorClassifier(int resolution, const std::string &path, const ProgressFn &progress)
{
    SpriteFactorNetConfig {resolution}.validate();
    std::lock_guard<std::mutex> lock(memoMutex()); // also keeps two threads from training the same cache twice
    const bool useCache = path.empty();
    const std::string file = useCache ? spriteFactorCachePath(resolution) : path;
    if (const auto found = memo().find(memoKey(file)); found != memo().end()) {
        requireResolution(*found->second, resolution, file);
        return found->second;
    }

    std::shared_ptr<SpriteFactorClassifier> classifier;
    if (useCache) {
        // Only then training from nothing: a fresh machine must not spend minutes before its first coverage number.
        std::vector<std::string> problems; // lookUpSpriteFactorModel reports them; here the cache is just rebuilt
        classifier = loadCachedOrShipped(resolution, file, problems);
        if (!classifier) {
            SpriteFactorTrainingOptions options;
            options.resolution = resolution;
            classifier = trainSpriteFactorClassifier(options, progress);
            classifier->save(file);
            classifier->setSource(file, false);
        }
    } else {
        classifier = SpriteFactorClassifier::load(file);
        requireResolution(*classifier, resolution, file);
    }
    memo()[memoKey(file)] = classifier;
    return classifier;
}

} // namespace untangle
