#include "sre/scorenetwork.h"

#include "checkpointarchive.h"
#include "gan/smallcnn.h"
#include "moduleio.h"

#include <limits>
#include <stdexcept>

namespace untangle {

namespace {

torch::nn::Sequential lightCnnBody(const ScoreNetworkConfig &config)
{
    if (config.resolution < 16 || config.resolution % 16 != 0)
        throw std::invalid_argument(
            "the light CNN needs a resolution divisible by 16, got " + std::to_string(config.resolution));
    const int side = config.resolution / 16;
    return torch::nn::Sequential(downConv(config.channels, 32), torch::nn::ReLU(), downConv(32, 32), torch::nn::ReLU(),
        downConv(32, 64), torch::nn::ReLU(), downConv(64, 64), torch::nn::ReLU(), torch::nn::Flatten(),
        torch::nn::Linear(64 * side * side, config.hidden), torch::nn::ReLU());
}

} // namespace

ScoreNetworkImpl::ScoreNetworkImpl(const ScoreNetworkConfig &config_)
    : config(config_)
{
    // Upper bounds far above any real estimator (K <= 64 directions, hidden 256, 256 px) and far below a network of
    // gigabytes: a damaged file's config must not decide how much memory is allocated.
    constexpr int MaxOutputs = 4096, MaxHidden = 8192, MaxResolution = 1024;
    if (config.outputs < 1 || config.outputs > MaxOutputs)
        throw std::invalid_argument("a score network needs 1 to " + std::to_string(MaxOutputs) + " outputs, got "
            + std::to_string(config.outputs));
    if (config.hidden < 1 || config.hidden > MaxHidden || config.resolution < 1 || config.resolution > MaxResolution)
        throw std::invalid_argument("a score network's hidden width (1 to " + std::to_string(MaxHidden)
            + ") or resolution (1 to " + std::to_string(MaxResolution) + ") is out of range");
    if (config.channels != 1 && config.channels != 3)
        throw std::invalid_argument(
            "a score network takes 1 or 3 image channels, got " + std::to_string(config.channels));
    if (config.backbone == ScoreBackbone::LightCnn) {
        body = lightCnnBody(config);
        body->push_back(torch::nn::Linear(config.hidden, config.outputs));
    } else {
        body = resnet18Body(config.channels);
        body->push_back(torch::nn::Linear(512, config.outputs));
    }
    register_module("body", body);
}

torch::Tensor ScoreNetworkImpl::forward(const torch::Tensor &images)
{
    return body->forward(images);
}

double scoreNetworkMacs(const ScoreNetworkConfig &config)
{
    if (config.backbone == ScoreBackbone::ResNet18) {
        // ResNet-18 is 1.82 GMAC at 224 x 224 x 3; conv cost scales with pixels (conv1 with channels, ignored).
        const double pixels = double(config.resolution) * config.resolution;
        return 1.82e9 * pixels / (224.0 * 224.0);
    }
    double macs = 0.0;
    int side = config.resolution;
    const int widths[5] = {config.channels, 32, 32, 64, 64};
    for (int layer = 0; layer < 4; ++layer) {
        side /= 2;
        macs += double(side) * side * 16.0 * widths[layer] * widths[layer + 1];
    }
    macs += double(64 * side * side) * config.hidden + double(config.hidden) * config.outputs;
    return macs;
}

void writeScoreConfig(
    torch::serialize::OutputArchive &archive, const std::string &key, const ScoreNetworkConfig &config)
{
    archive.write(key,
        torch::tensor({int64_t(config.backbone), int64_t(config.channels), int64_t(config.resolution),
                          int64_t(config.outputs), int64_t(config.hidden)},
            torch::kInt64));
}

ScoreNetworkConfig readScoreConfig(torch::serialize::InputArchive &archive, const std::string &key)
{
    torch::Tensor values;
    archive.read(key, values);
    if (values.dim() != 1 || values.numel() != 5)
        throw std::invalid_argument("no valid score-network config under '" + key + "'");
    const auto v = values.to(torch::kInt64).contiguous();
    const auto *p = v.data_ptr<int64_t>();
    if (p[0] != 0 && p[0] != 1)
        throw std::invalid_argument("unknown score-network backbone " + std::to_string(p[0]));
    for (int i = 1; i < 5; ++i) // read whole, never wrapped into an int that passes the checks (2^32 + 64 -> 64)
        if (p[i] < 0 || p[i] > std::numeric_limits<int>::max())
            throw std::invalid_argument("score-network config value out of range: " + std::to_string(p[i]));
    return {ScoreBackbone(p[0]), int(p[1]), int(p[2]), int(p[3]), int(p[4])};
}

} // namespace untangle

#include "atomicfile.h"
#include "dataerror.h"
#include "errortext.h"
#include "ziparchivecheck.h"

#include <sstream>

namespace untangle {

namespace {

constexpr const char *ScoreFormatKey = "untangle_score_network_v1";

torch::Tensor stringTensor(const std::string &text)
{
    auto bytes = torch::empty({int64_t(text.size())}, torch::kUInt8);
    std::copy(text.begin(), text.end(), bytes.data_ptr<uint8_t>());
    return bytes;
}

std::string tensorString(const torch::Tensor &bytes)
{
    const auto contiguous = bytes.to(torch::kUInt8).contiguous();
    const auto *data = contiguous.data_ptr<uint8_t>();
    return std::string(data, data + contiguous.numel());
}

} // namespace

void saveScoreFile(const ScoreFile &file, const std::string &path)
{
    torch::serialize::OutputArchive archive;
    archive.write(ScoreFormatKey, torch::ones({1}));
    writeScoreConfig(archive, "config", file.network->config);
    archive.write("kind", stringTensor(file.kind));
    archive.write("directions", stringTensor(file.directionsPath));
    torch::serialize::OutputArchive weights;
    file.network->save(weights);
    archive.write("network", weights);
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(path, bytes.str());
}

ScoreFile loadScoreFile(const std::string &path)
{
    checkZipArchive(path, "cannot read score network"); // torch checks no CRC and can crash on a damaged archive
    try {
        torch::serialize::InputArchive archive;
        loadArchiveFile(archive, path);
        torch::Tensor marker;
        if (!archive.try_read(ScoreFormatKey, marker))
            throw DataError(path + " is not an Untangle score network (SRE estimator or encoder)");
        ScoreFile file;
        file.network = ScoreNetwork(readScoreConfig(archive, "config"));
        torch::Tensor kind, directions;
        archive.read("kind", kind);
        archive.read("directions", directions);
        file.kind = tensorString(kind);
        file.directionsPath = tensorString(directions);
        torch::serialize::InputArchive weights;
        archive.read("network", weights);
        loadCheckedWeights(*file.network, weights);
        file.network->eval();
        return file;
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        throw DataError("cannot read score network " + path + ": " + conciseError(error));
    }
}

} // namespace untangle
