#include "sre/sretrainer.h"

#include "gan/stylesampling.h"

#include <stdexcept>

namespace untangle {

namespace {

// Distinct seed streams: training pairs, the sigma sample and the held-out pairs never share draws.
constexpr std::uint64_t SigmaSeedOffset = 0x5157A;
constexpr std::uint64_t HeldOutSeedOffset = 0x4E1D0;
constexpr int RenderChunk = 64; // held-out images per forward: bounds memory at high resolution

torch::Tensor halves(const torch::Tensor &t, bool first)
{
    const auto pairs = t.size(0) / 2;
    return first ? t.slice(0, 0, pairs) : t.slice(0, pairs, 2 * pairs);
}

} // namespace

SreTrainer::SreTrainer(GeneratorPtr generator, const torch::Tensor &initialRows, const SreTrainerOptions &options)
    : m_generator(std::move(generator))
    , m_options(options)
    , m_rng(at::make_generator<at::CPUGeneratorImpl>(options.seed))
{
    const auto shape = m_generator->shape();
    const int k = int(initialRows.size(0));
    if (options.batch < 4 || options.batch % 2 != 0)
        throw std::invalid_argument(
            "the SRE batch must be even and at least 4 (2 pairs), got " + std::to_string(options.batch));
    if (initialRows.dim() != 2 || initialRows.size(1) != shape.styleSize)
        throw std::invalid_argument(
            "the initial directions do not have the generator's style size " + std::to_string(shape.styleSize));
    if (k < 1 || k > shape.styleSize)
        throw std::invalid_argument(std::to_string(k) + " directions cannot be orthonormal in a "
            + std::to_string(shape.styleSize) + "-dimensional style space");

    m_mean = styleMean(*m_generator);
    m_samples = stylesFor(sampleLatents(StyleMeanSamples, shape.latentSize, options.seed + SigmaSeedOffset));
    m_directions = OrthoDirections(initialRows.t().to(torch::kFloat32));
    const auto [q, r] = torch::linalg_qr(m_directions->matrix.detach(), "reduced");
    if (r.diagonal().abs().min().item<double>() < 1e-6 * std::max(1.0, r.diagonal().abs().max().item<double>()))
        throw std::invalid_argument(
            "the initial directions are linearly dependent: SRE needs K independent directions");
    m_directions->retract();
    m_ranges = options.rangeScale * sigmaAlong(directionRows());

    // The estimator's initial weights come from the global torch RNG: seed it so a run is reproducible.
    torch::manual_seed(options.seed);
    ScoreNetworkConfig scoreConfig;
    scoreConfig.backbone = options.backbone;
    scoreConfig.channels = shape.channels;
    scoreConfig.resolution = shape.resolution;
    scoreConfig.outputs = k;
    m_estimator = ScoreNetwork(scoreConfig);

    m_directionOptimizer = std::make_unique<torch::optim::Adam>(
        m_directions->parameters(), torch::optim::AdamOptions(options.learningRate));
    m_estimatorOptimizer = std::make_unique<torch::optim::Adam>(
        m_estimator->parameters(), torch::optim::AdamOptions(options.learningRate));

    const int pairs = std::max(1, options.heldOutPairs);
    const auto heldOutHalf = sampleLatents(pairs, shape.latentSize, options.seed + HeldOutSeedOffset);
    m_heldOutStyles = stylesFor(torch::cat({heldOutHalf, heldOutHalf}));
    auto heldOutRng = at::make_generator<at::CPUGeneratorImpl>(options.seed + HeldOutSeedOffset + 1);
    m_heldOutUnit = torch::rand({2 * pairs, k}, heldOutRng) * 2.0 - 1.0;
}

torch::Tensor SreTrainer::stylesFor(const torch::Tensor &z) const
{
    return truncatedStyles(*m_generator, z, m_mean, m_options.truncation);
}

torch::Tensor SreTrainer::render(const torch::Tensor &w, const torch::Tensor &eps)
{
    // The retraction at every forward, under no_grad (docs/methods/sre.md §1.5); the shift itself stays
    // differentiable in M. No clamp on this path (Generator::differentiableSynthesis): saturated pixels keep their
    // gradient, as in the authors' unclamped StyleGAN2.
    m_directions->retract();
    return m_generator->differentiableSynthesis(w + m_directions->forward(eps));
}

PairBatch SreTrainer::samplePairs(bool withGrad)
{
    const auto shape = m_generator->shape();
    const int pairs = m_options.batch / 2;
    PairBatch batch;
    const auto zHalf = torch::randn({pairs, shape.latentSize}, m_rng);
    batch.z = torch::cat({zHalf, zHalf});
    batch.eps = (torch::rand({m_options.batch, m_directions->count()}, m_rng) * 2.0 - 1.0) * m_ranges;
    batch.labels = (halves(batch.eps, true) > halves(batch.eps, false)).to(torch::kFloat32);
    const auto w = stylesFor(batch.z);
    if (withGrad) {
        batch.images = render(w, batch.eps);
    } else {
        torch::NoGradGuard noGrad;
        batch.images = render(w, batch.eps);
    }
    return batch;
}

torch::Tensor SreTrainer::rankingLoss(const torch::Tensor &scores, const torch::Tensor &labels)
{
    return torch::binary_cross_entropy_with_logits(halves(scores, true) - halves(scores, false), labels);
}

torch::Tensor SreTrainer::rankingAccuracy(const torch::Tensor &scores, const torch::Tensor &eps)
{
    const auto predicted = (halves(scores, true) - halves(scores, false)) > 0;
    const auto truth = (halves(eps, true) - halves(eps, false)) > 0;
    return (predicted == truth).to(torch::kFloat64).mean(0);
}

double SreTrainer::stepEstimator()
{
    m_estimator->train();
    m_estimatorOptimizer->zero_grad(); // nothing from the direction step leaks in (docs/methods/sre.md, pitfall 4)
    const auto batch = samplePairs(false);
    const auto loss = rankingLoss(m_estimator->forward(batch.images.detach()), batch.labels);
    loss.backward();
    m_estimatorOptimizer->step();
    return loss.item<double>();
}

SreTrainer::DirectionStep SreTrainer::stepDirections()
{
    m_estimator->eval(); // BatchNorm on running statistics while D moves (docs/methods/sre.md, pitfall 4)
    m_directionOptimizer->zero_grad();
    // Not under no_grad: the gradient reaches M through G (docs/methods/sre.md, pitfall 5).
    const auto batch = samplePairs(true);
    const auto scores = m_estimator->forward(batch.images);
    const auto loss = rankingLoss(scores, batch.labels);
    // Gradients for M only: S's weight gradients are neither needed nor wanted (only M is stepped here).
    loss.backward({}, c10::nullopt, false, torch::TensorList(m_directions->matrix));
    m_directionOptimizer->step();
    return {loss.item<double>(), rankingAccuracy(scores.detach(), batch.eps)};
}

torch::Tensor SreTrainer::heldOutAccuracy()
{
    torch::NoGradGuard noGrad;
    m_estimator->eval();
    const auto eps = m_heldOutUnit * m_ranges;
    const auto directions = m_directions->directions();
    std::vector<torch::Tensor> scores;
    for (int64_t start = 0; start < eps.size(0); start += RenderChunk) {
        const auto end = std::min<int64_t>(eps.size(0), start + RenderChunk);
        const auto w = m_heldOutStyles.slice(0, start, end) + torch::matmul(eps.slice(0, start, end), directions.t());
        scores.push_back(m_estimator->forward(m_generator->differentiableSynthesis(w))); // as in training
    }
    return rankingAccuracy(torch::cat(scores), eps);
}

torch::Tensor SreTrainer::directionRows() const
{
    return m_directions->directions().t().contiguous();
}

torch::Tensor SreTrainer::sigmaAlong(const torch::Tensor &rows) const
{
    torch::NoGradGuard noGrad;
    return styleStdAlong(m_samples, rows.to(torch::kFloat32));
}

void SreTrainer::save(torch::serialize::OutputArchive &archive) const
{
    torch::serialize::OutputArchive directions, estimator, directionOptimizer, estimatorOptimizer;
    m_directions->save(directions);
    m_estimator->save(estimator);
    m_directionOptimizer->save(directionOptimizer);
    m_estimatorOptimizer->save(estimatorOptimizer);
    archive.write("directions", directions);
    archive.write("estimator", estimator);
    archive.write("directions_adam", directionOptimizer);
    archive.write("estimator_adam", estimatorOptimizer);
    auto rng = m_rng; // shares the engine; get_state copies it under the engine's lock
    std::lock_guard<std::mutex> lock(rng.mutex());
    archive.write("rng", rng.get_state());
}

void SreTrainer::load(torch::serialize::InputArchive &archive)
{
    torch::serialize::InputArchive directions, estimator, directionOptimizer, estimatorOptimizer;
    archive.read("directions", directions);
    archive.read("estimator", estimator);
    archive.read("directions_adam", directionOptimizer);
    archive.read("estimator_adam", estimatorOptimizer);
    m_directions->load(directions);
    m_estimator->load(estimator);
    m_directionOptimizer->load(directionOptimizer);
    m_estimatorOptimizer->load(estimatorOptimizer);
    torch::Tensor state;
    archive.read("rng", state);
    std::lock_guard<std::mutex> lock(m_rng.mutex());
    m_rng.set_state(state);
}

} // namespace untangle
