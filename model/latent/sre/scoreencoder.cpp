#include "sre/scoreencoder.h"

#include "dataerror.h"
#include "sre/scorenetwork.h"

#include <filesystem>

namespace untangle {

struct ScoreEncoder::Impl {
    std::string path;
    ScoreFile file;
    NetworkInputShape shape;

    /** (n, C, R, R) inputs -> n x K doubles appended to out. */
    void encode(const torch::Tensor &inputs, std::vector<double> &out)
    {
        torch::NoGradGuard noGrad;
        const auto scores = file.network->forward(inputs).to(torch::kFloat64).contiguous();
        const auto *p = scores.data_ptr<double>();
        out.insert(out.end(), p, p + scores.numel());
    }
};

std::string scoreFileOf(const std::string &path)
{
    std::error_code error;
    if (!std::filesystem::is_directory(path, error))
        return path;
    const std::string file = (std::filesystem::path(path) / EstimatorFileName).string();
    if (!std::filesystem::is_regular_file(file, error))
        throw DataError(path + " is a folder without " + EstimatorFileName + " (not an SRE run folder)");
    return file;
}

ScoreEncoder::ScoreEncoder(const std::string &scoreFile)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->path = scoreFileOf(scoreFile);
    m_impl->file = loadScoreFile(m_impl->path);
    m_impl->file.network->eval(); // BN in inference mode: a query's scores must not depend on its batch
    for (auto &parameter : m_impl->file.network->parameters())
        parameter.set_requires_grad(false);
    m_impl->shape = {m_impl->file.network->config.channels, m_impl->file.network->config.resolution};
}

ScoreEncoder::~ScoreEncoder() = default;
ScoreEncoder::ScoreEncoder(ScoreEncoder &&) noexcept = default;
ScoreEncoder &ScoreEncoder::operator=(ScoreEncoder &&) noexcept = default;

const std::string &ScoreEncoder::path() const
{
    return m_impl->path;
}
int ScoreEncoder::outputs() const
{
    return m_impl->file.network->config.outputs;
}
NetworkInputShape ScoreEncoder::inputShape() const
{
    return m_impl->shape;
}
std::string ScoreEncoder::kind() const
{
    return m_impl->file.kind;
}
std::string ScoreEncoder::directionsPath() const
{
    return m_impl->file.directionsPath;
}
double ScoreEncoder::macsPerImage() const
{
    return scoreNetworkMacs(m_impl->file.network->config);
}

Matrix ScoreEncoder::encodePool(const RetrievalPool &pool, const ProgressFn &progress) const
{
    const auto &images = pool.images;
    const auto &shape = m_impl->shape;
    const int64_t imageFloats = int64_t(shape.channels) * shape.resolution * shape.resolution;
    Matrix result;
    result.rows = images.count;
    result.cols = outputs();
    result.values.reserve(std::size_t(result.rows) * result.cols);
    auto batch = torch::empty({EncodeBatchSize, shape.channels, shape.resolution, shape.resolution});
    for (int first = 0; first < images.count; first += EncodeBatchSize) {
        reportProgress(progress, double(first) / images.count, "Encoding " + pool.description);
        const int n = std::min(EncodeBatchSize, images.count - first);
        float *out = batch.data_ptr<float>();
        for (int i = 0; i < n; ++i)
            uint8ImageToNetwork(images.imageData(first + i), images.height, images.width, images.channels, shape,
                out + imageFloats * i);
        m_impl->encode(batch.narrow(0, 0, n), result.values);
    }
    reportProgress(progress, 1.0, "Encoded " + pool.description);
    return result;
}

std::vector<double> ScoreEncoder::encodeImageFile(const std::string &imagePath) const
{
    const auto &shape = m_impl->shape;
    auto input = torch::empty({1, shape.channels, shape.resolution, shape.resolution});
    imageFileToNetwork(imagePath, shape, input.data_ptr<float>());
    std::vector<double> scores;
    m_impl->encode(input, scores);
    return scores;
}

std::vector<double> ScoreEncoder::encodeImage(const std::vector<float> &chw, int channels, int height, int width) const
{
    const auto &shape = m_impl->shape;
    auto input = torch::empty({1, shape.channels, shape.resolution, shape.resolution});
    floatImageToNetwork(chw, channels, height, width, shape, input.data_ptr<float>());
    std::vector<double> scores;
    m_impl->encode(input, scores);
    return scores;
}

} // namespace untangle
