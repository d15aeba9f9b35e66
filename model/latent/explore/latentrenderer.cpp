#include "explore/latentrenderer.h"

#include "common/latenttensors.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"

#include <stdexcept>

namespace untangle {

struct LatentRenderer::State {
    GeneratorPtr generator;
    GeneratorInfo info;
    torch::Tensor mean;
};

namespace {

std::vector<ImageU8> imagesOf(const torch::Tensor &images)
{
    std::vector<ImageU8> out;
    out.reserve(std::size_t(images.size(0)));
    for (int64_t i = 0; i < images.size(0); ++i)
        out.push_back(toImage(images[i]));
    return out;
}

} // namespace

LatentRenderer::LatentRenderer(const std::string &generatorPath)
    : m_state(std::make_unique<State>())
    , m_path(generatorPath)
{
    m_state->generator = loadGenerator(generatorPath);
    const auto shape = m_state->generator->shape();
    m_state->info = {shape.latentSize, shape.styleSize, shape.resolution, shape.channels, shape.hasStyleSpace,
        m_state->generator->description(), m_state->generator->fingerprint()};
}

LatentRenderer::~LatentRenderer() = default;

const GeneratorInfo &LatentRenderer::info() const
{
    return m_state->info;
}

Matrix LatentRenderer::styles(const std::vector<std::uint64_t> &seeds, double psi)
{
    torch::NoGradGuard noGrad;
    if (!m_state->mean.defined())
        m_state->mean = styleMean(*m_state->generator);
    std::vector<torch::Tensor> latents;
    for (auto seed : seeds)
        latents.push_back(sampleLatents(1, m_state->info.latentSize, seed));
    if (latents.empty())
        return Matrix {0, m_state->info.styleSize, {}};
    return toMatrix(truncatedStyles(*m_state->generator, torch::cat(latents), m_state->mean, psi));
}

std::vector<ImageU8> LatentRenderer::render(const Matrix &styles, const std::vector<double> &shift)
{
    if (styles.rows == 0)
        return {};
    if (styles.cols != m_state->info.styleSize)
        throw std::invalid_argument("styles have size " + std::to_string(styles.cols) + ", the generator expects "
            + std::to_string(m_state->info.styleSize));
    torch::NoGradGuard noGrad;
    auto w = toTensor(styles);
    if (!shift.empty()) {
        if (int(shift.size()) != styles.cols)
            throw std::invalid_argument(
                "the shift has size " + std::to_string(shift.size()) + ", the style " + std::to_string(styles.cols));
        w = w + torch::tensor(shift, torch::kFloat64).to(torch::kFloat32).view({1, -1});
    }
    return imagesOf(m_state->generator->synthesis(w));
}

std::vector<ImageU8> LatentRenderer::renderShifts(const std::vector<double> &style, const Matrix &shifts)
{
    if (int(style.size()) != m_state->info.styleSize || shifts.cols != m_state->info.styleSize)
        throw std::invalid_argument(
            "style and shifts must have the generator's style size " + std::to_string(m_state->info.styleSize));
    if (shifts.rows == 0)
        return {};
    torch::NoGradGuard noGrad;
    const auto w = torch::tensor(style, torch::kFloat64).to(torch::kFloat32).view({1, -1}) + toTensor(shifts);
    return imagesOf(m_state->generator->synthesis(w));
}

} // namespace untangle
