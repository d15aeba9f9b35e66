#include "directions/voynovdiscovery.h"

#include "directions/voynovtrainer.h"
#include "gan/generatorfile.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace untangle {

void VoynovConfig::validate() const
{
    auto require = [](bool ok, const std::string &message) {
        if (!ok)
            throw std::invalid_argument(message);
    };
    require(!generatorPath.empty(), "Voynov-Babenko needs a generator");
    require(directions >= 1, "Voynov-Babenko needs at least one direction, got " + std::to_string(directions));
    require(steps >= 1, "steps must be at least 1");
    require(batch >= 2, "batch must be at least 2");
    require(learningRate > 0.0, "the learning rate must be positive");
    require(shiftScale > 0.0, "the shift scale must be positive");
    require(truncation > 0.0 && truncation <= 1.0, "truncation psi must be in (0, 1]");
    require(logEvery >= 1, "logEvery must be at least 1");
    require(evaluationSamples >= 1, "evaluationSamples must be at least 1");
}

namespace {

std::string numberText(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

} // namespace

DirectionSet discoverVoynovDirections(
    const VoynovConfig &config, const ProgressFn &progress, const std::function<void(const VoynovLog &)> &logged)
{
    config.validate();
    auto generator = loadGenerator(config.generatorPath);
    VoynovOptions options;
    options.directions = config.directions;
    options.batch = config.batch;
    options.learningRate = config.learningRate;
    options.shiftScale = config.shiftScale;
    options.truncation = config.truncation;
    options.seed = config.seed;
    VoynovTrainer trainer(generator, options);

    for (int step = 1; step <= config.steps; ++step) {
        const auto result = trainer.step();
        if (!std::isfinite(result.loss))
            throw std::runtime_error("Voynov-Babenko diverged at step " + std::to_string(step));
        if (logged && (step % config.logEvery == 0 || step == config.steps))
            logged({step, result.loss, result.accuracy});
        reportProgress(progress, double(step) / config.steps,
            "Voynov-Babenko step " + std::to_string(step) + " of " + std::to_string(config.steps));
    }

    const auto accuracy = trainer.perDirectionAccuracy(config.evaluationSamples, config.seed + 1);
    const auto rows = trainer.directionRows().to(torch::kFloat64).contiguous();
    const auto sigma = trainer.sigmaAlong(rows).to(torch::kFloat64);
    std::vector<int> order(std::size_t(config.directions));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](int a, int b) { return accuracy[a].item<double>() > accuracy[b].item<double>(); });

    DirectionSet set;
    set.method = "voynov";
    set.generator = config.generatorPath;
    set.styleSize = int(rows.size(1));
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        const int k = order[rank];
        NamedDirection direction;
        direction.name = "voynov " + std::to_string(rank + 1);
        direction.score = accuracy[k].item<double>();
        direction.sigma = sigma[k].item<double>();
        direction.vector.assign(rows[k].data_ptr<double>(), rows[k].data_ptr<double>() + rows.size(1));
        direction.note = "trained as deformator column " + std::to_string(k + 1);
        set.directions.push_back(std::move(direction));
    }
    set.provenance = {{"generator", config.generatorPath}, {"seed", std::to_string(config.seed)},
        {"steps", std::to_string(config.steps)}, {"batch", std::to_string(config.batch)},
        {"learning rate", numberText(config.learningRate)}, {"shift range a", numberText(trainer.shiftRange())},
        {"truncation", numberText(config.truncation)},
        {"sorted by",
            "reconstructor accuracy per direction on " + std::to_string(config.evaluationSamples)
                + " fresh shifts each (the score)"}};
    return set;
}

} // namespace untangle
