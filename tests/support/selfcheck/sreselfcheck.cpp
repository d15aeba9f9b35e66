#include "selfcheck/sreselfcheck.h"

#include "directions/directionset.h"
#include "gan/generatorfile.h"
#include "sre/sretrainer.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace untangle::selfcheck {

namespace {

std::vector<double> values(const torch::Tensor &t)
{
    const auto d = t.detach().to(torch::kFloat64).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

torch::Tensor directionRows(const std::string &directionsPath)
{
    const auto rows = loadDirectionSet(directionsPath).matrix();
    return torch::tensor(rows.values, torch::kFloat64).view({rows.rows, rows.cols});
}

SreTrainer makeTrainer(const std::string &generatorPath, const std::string &directionsPath, int batch,
    double learningRate, std::uint64_t seed, ScoreBackbone backbone = ScoreBackbone::LightCnn)
{
    SreTrainerOptions options;
    options.batch = batch;
    options.learningRate = learningRate;
    options.seed = seed;
    options.backbone = backbone;
    options.heldOutPairs = 8;
    return SreTrainer(loadGenerator(generatorPath), directionRows(directionsPath), options);
}

std::vector<torch::Tensor> copies(const std::vector<torch::Tensor> &parameters)
{
    std::vector<torch::Tensor> result;
    for (const auto &p : parameters)
        result.push_back(p.detach().clone());
    return result;
}

double largestChange(const std::vector<torch::Tensor> &before, const std::vector<torch::Tensor> &after)
{
    double change = 0.0;
    for (std::size_t i = 0; i < before.size(); ++i)
        change = std::max(change, (after[i].detach() - before[i]).abs().max().item<double>());
    return change;
}

std::vector<torch::Tensor> generatorParameters(SreTrainer &trainer)
{
    auto *style = dynamic_cast<StyleGenerator *>(trainer.generator().get());
    return style ? style->network()->parameters() : std::vector<torch::Tensor> {};
}

} // namespace

void writeRandomDirections(const std::string &path, int styleSize, int count, std::uint64_t seed)
{
    auto rng = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto q = std::get<0>(torch::linalg_qr(torch::randn({styleSize, count}, rng, torch::kFloat64), "reduced"));
    Matrix rows {count, styleSize, values(q.t())};
    saveDirectionSet(DirectionSet::fromMatrix("random", rows, {}), path);
}

SrePairBatch srePairBatch(
    const std::string &generatorPath, const std::string &directionsPath, int batch, std::uint64_t seed)
{
    auto trainer = makeTrainer(generatorPath, directionsPath, batch, 1e-4, seed);
    const auto pairs = trainer.samplePairs(false);
    torch::NoGradGuard noGrad;
    trainer.estimator()->eval();
    const auto scores = trainer.estimator()->forward(pairs.images);
    SrePairBatch result;
    result.pairs = batch / 2;
    result.latentSize = int(pairs.z.size(1));
    result.directions = int(pairs.eps.size(1));
    result.z = values(pairs.z);
    result.eps = values(pairs.eps);
    result.labels = values(pairs.labels);
    result.scores = values(scores);
    result.loss = SreTrainer::rankingLoss(scores, pairs.labels).item<double>();
    result.accuracy = values(SreTrainer::rankingAccuracy(scores, pairs.eps));
    return result;
}

SreRouting sreStepRouting(const std::string &generatorPath, const std::string &directionsPath, std::uint64_t seed)
{
    auto trainer = makeTrainer(generatorPath, directionsPath, 8, 1e-3, seed);
    const auto estimator = [&] { return trainer.estimator()->parameters(); };
    const auto directions = [&] { return trainer.directions()->parameters(); };
    const auto generator = generatorParameters(trainer);
    SreRouting routing;
    // Retract first so that (a)'s own retraction does not count as a change of M.
    trainer.directions()->retract();
    auto s0 = copies(estimator()), m0 = copies(directions()), g0 = copies(generator);
    trainer.stepEstimator();
    auto s1 = copies(estimator()), m1 = copies(directions()), g1 = copies(generator);
    routing.estimatorChangeByA = largestChange(s0, s1);
    routing.directionChangeByA = largestChange(m0, m1);
    routing.generatorChangeByA = largestChange(g0, g1);
    trainer.stepDirections();
    routing.estimatorChangeByB = largestChange(s1, estimator());
    routing.directionChangeByB = largestChange(m1, directions());
    routing.generatorChangeByB = largestChange(g1, generator);
    routing.generatorRequiresGrad
        = std::any_of(generator.begin(), generator.end(), [](const torch::Tensor &p) { return p.requires_grad(); });
    routing.generatorHasGradient
        = std::any_of(generator.begin(), generator.end(), [](const torch::Tensor &p) { return p.grad().defined(); });
    if (generator.empty())
        routing.generatorRequiresGrad = routing.generatorHasGradient = true; // not a built-in generator: cannot tell
    return routing;
}

SreOrthoTrace sreOrthonormality(const std::string &generatorPath, const std::string &directionsPath, int steps,
    double learningRate, std::uint64_t seed)
{
    auto trainer = makeTrainer(generatorPath, directionsPath, 8, learningRate, seed);
    SreOrthoTrace trace;
    auto previous = trainer.directions()->directions();
    for (int step = 0; step < steps; ++step) {
        trainer.stepEstimator();
        trainer.stepDirections();
        // The forward of step (b) ran on the retracted M; the value Adam left is the raw one.
        trace.rawError.push_back(orthonormalityError(trainer.directions()->matrix.detach()));
        trainer.directions()->retract(); // what the next forward does first
        const auto used = trainer.directions()->matrix.detach().clone();
        trace.usedError.push_back(orthonormalityError(used));
        trace.minColumnCosine.push_back((used * previous).sum(0).min().item<double>());
        previous = used;
    }
    return trace;
}

SreStepTiming sreStepTiming(const std::string &generatorPath, const std::string &directionsPath,
    const std::string &backbone, int batch, int steps)
{
    auto trainer = makeTrainer(generatorPath, directionsPath, batch, 1e-4, 1,
        backbone == "resnet18" ? ScoreBackbone::ResNet18 : ScoreBackbone::LightCnn);
    trainer.stepEstimator();
    trainer.stepDirections();
    std::vector<double> wall, cpu;
    for (int step = 0; step < steps; ++step) {
        const auto start = std::chrono::steady_clock::now();
        const auto cpuStart = std::clock();
        trainer.stepEstimator();
        trainer.stepDirections();
        cpu.push_back(double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
        wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

void writeDefaultStyleGenerator(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    saveStyleGenerator(StyleNetwork(StyleGeneratorConfig {}), path);
}

double rowOrthonormalityError(const std::vector<double> &rows, int count, int size)
{
    const auto d = torch::tensor(rows, torch::kFloat64).view({count, size});
    return orthonormalityError(d.t());
}

} // namespace untangle::selfcheck
