#include "factors/factorreadernet.h"

#include "atomicfile.h"
#include "checkpointarchive.h"
#include "dataerror.h"
#include "errortext.h"
#include "gan/smallcnn.h"
#include "moduleio.h"

#include <cmath>
#include <filesystem>
#include <sstream>

namespace untangle {

namespace {

constexpr int ReaderCoordinateChannels = 2;
constexpr int ReaderFinalSide = 4;
constexpr int ReaderPredictBatch = 256;
constexpr const char *ReaderFormatKey = "untangle_factor_reader";
constexpr int ReaderValuesPerFactor = 4; // exact, within one, augmented exact, confidence
constexpr int ReaderHeaderValues = 4; // steps, batch size, train seconds, held-out count
constexpr double MaxBlurSigma = 1.2;
constexpr double MaxColourShift = 0.06;
constexpr double MaxNoiseSigma = 0.08;

std::vector<int> readerStageWidths(int resolution)
{
    // One stage per halving down to 4 x 4, narrow where the maps are large.
    std::vector<int> widths;
    const int widthsFromTop[] = {128, 64, 64, 32, 32, 32};
    int stages = 0;
    for (int side = resolution; side > ReaderFinalSide; side /= 2)
        ++stages;
    for (int i = stages - 1; i >= 0; --i)
        widths.push_back(widthsFromTop[std::min(i, 5)]);
    return widths;
}

/** (B, C, R, R) blurred by a separable Gaussian of this sigma (reflect padding keeps the borders' colour). */
torch::Tensor gaussianBlur(const torch::Tensor &images, double sigma)
{
    const int radius = std::max(1, int(std::ceil(2.5 * sigma)));
    const auto x = torch::arange(-radius, radius + 1, torch::kFloat32);
    auto kernel = torch::exp(-(x * x) / (2.0 * sigma * sigma));
    kernel = kernel / kernel.sum();
    const int64_t channels = images.size(1);
    namespace F = torch::nn::functional;
    auto out = F::pad(images, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReflect));
    out = F::conv2d(
        out, kernel.view({1, 1, 1, -1}).repeat({channels, 1, 1, 1}), F::Conv2dFuncOptions().groups(channels));
    out = F::conv2d(
        out, kernel.view({1, 1, -1, 1}).repeat({channels, 1, 1, 1}), F::Conv2dFuncOptions().groups(channels));
    return out;
}

double uniformDraw(torch::Generator &generator)
{
    return torch::rand({1}, generator).item<double>();
}

torch::Tensor infoTensor(const FactorReaderInfo &info)
{
    std::vector<double> values = {double(info.steps), double(info.batchSize), info.trainSeconds, double(info.heldOut)};
    for (const auto &a : info.accuracy)
        values.insert(values.end(), {a.exact, a.withinOne, a.augmentedExact, a.confidence});
    return torch::tensor(values, torch::kFloat64);
}

void readInfoTensor(const torch::Tensor &tensor, FactorReaderInfo &info, int factorCount)
{
    if (tensor.dim() != 1 || tensor.numel() != ReaderHeaderValues + ReaderValuesPerFactor * factorCount)
        throw std::invalid_argument("the reader's description has the wrong size");
    const auto values = tensor.to(torch::kFloat64).contiguous();
    const double *v = values.data_ptr<double>();
    info.steps = int(v[0]);
    info.batchSize = int(v[1]);
    info.trainSeconds = v[2];
    info.heldOut = int(v[3]);
    info.accuracy.clear();
    for (int f = 0; f < factorCount; ++f) {
        const double *p = v + ReaderHeaderValues + ReaderValuesPerFactor * f;
        info.accuracy.push_back({p[0], p[1], p[2], p[3]});
    }
}

} // namespace

FactorReaderNetImpl::FactorReaderNetImpl(const FactorWorld &world_, int resolution_, int hidden_)
    : world(&world_)
    , resolution(resolution_)
    , hidden(hidden_)
{
    world->requireResolution(resolution);
    if ((resolution & (resolution - 1)) != 0 || resolution < 8)
        throw std::invalid_argument("a factor reader needs a power-of-two resolution of at least 8");
    body = torch::nn::Sequential();
    int in = world->channels + ReaderCoordinateChannels;
    for (int width : readerStageWidths(resolution)) {
        body->push_back(downConv(in, width));
        body->push_back(torch::nn::ReLU());
        in = width;
    }
    body->push_back(torch::nn::Flatten());
    body->push_back(torch::nn::Linear(in * ReaderFinalSide * ReaderFinalSide, hidden));
    body->push_back(torch::nn::ReLU());
    register_module("body", body);
    int classes = 0;
    for (const auto &factor : world->factors)
        classes += factor.size;
    heads = register_module("heads", torch::nn::Linear(hidden, classes));
    coordinates = register_buffer("coordinates", coordinateGrid(resolution));
}

std::vector<torch::Tensor> FactorReaderNetImpl::forward(const torch::Tensor &images)
{
    const auto batch = images.size(0);
    const auto input = torch::cat({images, coordinates.expand({batch, ReaderCoordinateChannels, -1, -1})}, 1);
    const auto logits = heads->forward(body->forward(input));
    std::vector<int64_t> sizes;
    for (const auto &factor : world->factors)
        sizes.push_back(factor.size);
    return logits.split_with_sizes(sizes, 1);
}

void FactorReaderNetImpl::initialise(std::uint64_t seed)
{
    heUniformInitialise(*this, seed);
}

torch::Tensor generatorLikeAugmentation(const torch::Tensor &images, double p, torch::Generator &generator)
{
    torch::NoGradGuard noGrad;
    const auto n = images.size(0), channels = images.size(1);
    auto out = images;
    if (uniformDraw(generator) < p) // one blur width per batch: a per-image blur costs a convolution per image
        out = gaussianBlur(out, 0.3 + (MaxBlurSigma - 0.3) * uniformDraw(generator));
    const auto chosen = torch::rand({n, 1, 1, 1}, generator).lt(p).to(torch::kFloat32);
    const auto gain = 1.0 + MaxColourShift * (2.0 * torch::rand({n, channels, 1, 1}, generator) - 1.0);
    const auto offset = MaxColourShift * (2.0 * torch::rand({n, channels, 1, 1}, generator) - 1.0);
    const auto noiseSigma = MaxNoiseSigma * torch::rand({n, 1, 1, 1}, generator);
    const auto noise = torch::randn(images.sizes(), generator) * noiseSigma;
    const auto degraded = out * gain + offset + noise;
    return (chosen * degraded + (1.0 - chosen) * images).clamp(-1.0, 1.0);
}

FactorReader::FactorReader(FactorReaderNet network, FactorReaderInfo info)
    : m_network(std::move(network))
    , m_info(std::move(info))
{
    m_info.world = m_network->world->key;
    m_info.resolution = m_network->resolution;
    m_network->eval();
    for (auto &parameter : m_network->parameters())
        parameter.set_requires_grad(false);
}

void FactorReader::setSource(const std::string &path, bool fromCache)
{
    m_info.path = path;
    m_info.fromCache = fromCache;
}

std::vector<torch::Tensor> FactorReader::predict(const torch::Tensor &images) const
{
    const int r = resolution(), c = world().channels;
    if (images.dim() != 4 || images.size(1) != c || images.size(2) != r || images.size(3) != r) {
        std::ostringstream shape;
        shape << images.sizes();
        throw DataError("the " + world().title + " factor reader reads " + std::to_string(c) + "-channel "
            + std::to_string(r) + "x" + std::to_string(r) + " images, got a tensor of shape " + shape.str());
    }
    torch::NoGradGuard noGrad;
    const auto input = images.to(torch::kFloat32).contiguous();
    const int factors = world().factorCount();
    std::vector<std::vector<torch::Tensor>> parts(static_cast<std::size_t>(factors));
    for (int64_t start = 0; start < input.size(0); start += ReaderPredictBatch) {
        const auto logits
            = m_network->forward(input.slice(0, start, std::min<int64_t>(input.size(0), start + ReaderPredictBatch)));
        for (int f = 0; f < factors; ++f)
            parts[std::size_t(f)].push_back(torch::softmax(logits[std::size_t(f)], 1));
    }
    std::vector<torch::Tensor> probabilities;
    for (int f = 0; f < factors; ++f)
        probabilities.push_back(parts[std::size_t(f)].empty() ? torch::zeros({0, world().factors[std::size_t(f)].size})
                                                              : torch::cat(parts[std::size_t(f)]));
    return probabilities;
}

void FactorReader::save(const std::string &path) const
{
    torch::serialize::OutputArchive archive;
    archive.write(ReaderFormatKey, torch::tensor({int64_t(FactorReaderVersion)}, torch::kInt64));
    archive.write("world", c10::IValue(world().key));
    archive.write("config", torch::tensor({int64_t(resolution()), int64_t(m_network->hidden)}, torch::kInt64));
    archive.write("seed", torch::tensor({int64_t(m_info.seed)}, torch::kInt64));
    archive.write("info", infoTensor(m_info));
    torch::serialize::OutputArchive weights;
    m_network->save(weights);
    archive.write("network", weights);
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(path, bytes.str());
}

std::shared_ptr<FactorReader> FactorReader::load(const std::string &path)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw DataError("factor reader " + path + " does not exist");
    try {
        torch::serialize::InputArchive archive;
        loadArchiveFile(archive, path);
        torch::Tensor marker, config, seed, info;
        if (!archive.try_read(ReaderFormatKey, marker))
            throw DataError(path + " is not a factor reader");
        if (marker.numel() != 1 || marker.item<int64_t>() != FactorReaderVersion)
            throw DataError(path + " is a factor reader of another version (this build reads "
                + std::to_string(FactorReaderVersion) + ")");
        c10::IValue worldKey;
        if (!archive.try_read("world", worldKey) || !worldKey.isString())
            throw DataError(path + " names no world");
        const FactorWorld *world = FactorWorld::byKey(worldKey.toStringRef());
        if (!world)
            throw DataError(path + " reads an unknown world '" + worldKey.toStringRef().substr(0, 40) + "'");
        archive.read("config", config);
        archive.read("seed", seed);
        archive.read("info", info);
        if (config.numel() != 2)
            throw std::invalid_argument("the network config has the wrong size");
        const int resolution = int(config[0].item<int64_t>()), hidden = int(config[1].item<int64_t>());
        if (hidden < 8 || hidden > 4096)
            throw std::invalid_argument("the hidden width is out of range");
        FactorReaderNet network(*world, resolution, hidden);
        torch::serialize::InputArchive weights;
        archive.read("network", weights);
        loadCheckedWeights(*network, weights);
        FactorReaderInfo description;
        readInfoTensor(info, description, world->factorCount());
        description.seed = std::uint64_t(seed.item<int64_t>());
        description.path = path;
        return std::make_shared<FactorReader>(network, description);
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &problem) {
        throw DataError("cannot read factor reader " + path + ": " + conciseError(problem));
    }
}

torch::Tensor readFactorIndices(const std::vector<torch::Tensor> &probabilities)
{
    std::vector<torch::Tensor> columns;
    for (const auto &p : probabilities)
        columns.push_back(p.argmax(1));
    return torch::stack(columns, 1);
}

} // namespace untangle
