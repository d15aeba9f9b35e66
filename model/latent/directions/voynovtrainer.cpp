#include "directions/voynovtrainer.h"

#include "gan/smallcnn.h"

#include "gan/stylesampling.h"

#include <stdexcept>

namespace untangle {

namespace {

constexpr double ShiftWeight = 0.25; // Voynov's shift_weight (label_weight 1)
constexpr double MinShiftFraction = 1.0 / 12.0; // min_shift 0.5 of shift_scale 6
constexpr double InitialNoise = 1e-3; // the 'ortho' init: identity axes + 0.001 noise (docs/methods/sre.md §1.5)
constexpr int Hidden = 256;
constexpr std::uint64_t VoynovSigmaSeedOffset = 0x5157A;

} // namespace

VoynovReconstructorImpl::VoynovReconstructorImpl(int channels, int resolution, int directions)
{
    if (resolution < 16 || resolution % 16 != 0)
        throw std::invalid_argument(
            "the Voynov reconstructor needs a resolution divisible by 16, got " + std::to_string(resolution));
    const int side = resolution / 16;
    body = register_module("body",
        torch::nn::Sequential(downConv(2 * channels, 32), torch::nn::ReLU(), downConv(32, 32), torch::nn::ReLU(),
            downConv(32, 64), torch::nn::ReLU(), downConv(64, 64), torch::nn::ReLU(), torch::nn::Flatten(),
            torch::nn::Linear(64 * side * side, Hidden), torch::nn::ReLU(), torch::nn::Linear(Hidden, directions + 1)));
}

torch::Tensor VoynovReconstructorImpl::forward(const torch::Tensor &pairs)
{
    return body->forward(pairs);
}

VoynovTrainer::VoynovTrainer(GeneratorPtr generator, const VoynovOptions &options)
    : m_generator(std::move(generator))
    , m_options(options)
    , m_rng(at::make_generator<at::CPUGeneratorImpl>(options.seed))
{
    const auto shape = m_generator->shape();
    if (options.directions < 1 || options.directions > shape.styleSize)
        throw std::invalid_argument("Voynov-Babenko needs 1 to " + std::to_string(shape.styleSize)
            + " directions (the style size), got " + std::to_string(options.directions));
    if (options.batch < 2)
        throw std::invalid_argument("the Voynov-Babenko batch must be at least 2");
    m_mean = styleMean(*m_generator);
    m_samples = truncatedStyles(*m_generator,
        sampleLatents(StyleMeanSamples, shape.latentSize, options.seed + VoynovSigmaSeedOffset), m_mean,
        options.truncation);
    m_range = options.shiftScale * m_samples.std(0).mean().item<double>(); // 6 sigma_w (docs/methods/sre.md §7.3)

    auto initial = torch::eye(shape.styleSize, options.directions, torch::kFloat32);
    initial += InitialNoise * torch::randn(initial.sizes(), m_rng);
    m_deformator = OrthoDirections(initial);
    m_deformator->retract();
    torch::manual_seed(options.seed); // the reconstructor's initial weights
    m_reconstructor = VoynovReconstructor(shape.channels, shape.resolution, options.directions);
    m_deformatorOptimizer = std::make_unique<torch::optim::Adam>(
        m_deformator->parameters(), torch::optim::AdamOptions(options.learningRate));
    m_reconstructorOptimizer = std::make_unique<torch::optim::Adam>(
        m_reconstructor->parameters(), torch::optim::AdamOptions(options.learningRate));
}

torch::Tensor VoynovTrainer::sampleShifts(int count, at::Generator &rng) const
{
    const auto eps = (torch::rand({count}, rng) * 2.0 - 1.0) * m_range;
    const double least = MinShiftFraction * m_range;
    return torch::where(eps >= 0, eps.clamp_min(least), eps.clamp_max(-least));
}

torch::Tensor VoynovTrainer::reconstruct(const torch::Tensor &w, const torch::Tensor &k, const torch::Tensor &eps)
{
    m_deformator->retract();
    const auto oneHot = torch::one_hot(k, m_options.directions).to(torch::kFloat32) * eps.unsqueeze(1);
    torch::Tensor original;
    {
        torch::NoGradGuard noGrad; // the unshifted image carries no gradient to A
        original = m_generator->synthesis(w);
    }
    const auto shifted = m_generator->synthesis(w + m_deformator->forward(oneHot));
    return m_reconstructor->forward(torch::cat({original, shifted}, 1));
}

VoynovTrainer::Step VoynovTrainer::step()
{
    const auto shape = m_generator->shape();
    const auto z = torch::randn({m_options.batch, shape.latentSize}, m_rng);
    const auto k = torch::randint(m_options.directions, {m_options.batch}, m_rng, torch::kInt64);
    const auto eps = sampleShifts(m_options.batch, m_rng);
    const auto w = truncatedStyles(*m_generator, z, m_mean, m_options.truncation);
    m_deformatorOptimizer->zero_grad();
    m_reconstructorOptimizer->zero_grad();
    const auto out = reconstruct(w, k, eps);
    const auto logits = out.slice(1, 0, m_options.directions);
    const auto epsHat = out.select(1, m_options.directions);
    const auto loss = torch::cross_entropy_loss(logits, k) + ShiftWeight * (epsHat - eps).abs().mean();
    loss.backward();
    m_deformatorOptimizer->step();
    m_reconstructorOptimizer->step();
    return {loss.item<double>(), (logits.argmax(1) == k).to(torch::kFloat64).mean().item<double>()};
}

torch::Tensor VoynovTrainer::perDirectionAccuracy(int samplesPerDirection, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto rng = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto shape = m_generator->shape();
    auto accuracy = torch::zeros({m_options.directions}, torch::kFloat64);
    for (int k = 0; k < m_options.directions; ++k) {
        const auto z = torch::randn({samplesPerDirection, shape.latentSize}, rng);
        const auto eps = sampleShifts(samplesPerDirection, rng);
        const auto w = truncatedStyles(*m_generator, z, m_mean, m_options.truncation);
        const auto labels = torch::full({samplesPerDirection}, k, torch::kInt64);
        const auto logits = reconstruct(w, labels, eps).slice(1, 0, m_options.directions);
        accuracy[k] = (logits.argmax(1) == labels).to(torch::kFloat64).mean();
    }
    return accuracy;
}

torch::Tensor VoynovTrainer::directionRows() const
{
    return m_deformator->directions().t().contiguous();
}

torch::Tensor VoynovTrainer::sigmaAlong(const torch::Tensor &rows) const
{
    return styleStdAlong(m_samples, rows.to(torch::kFloat32));
}

} // namespace untangle
