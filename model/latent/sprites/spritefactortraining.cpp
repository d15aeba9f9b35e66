// Training and held-out evaluation of the Sprites factor network on renderer images drawn on the fly.
#include "sprites/spritefactorclassifier.h"

#include "factors/factorreadernet.h"

#include "mathconstants.h"

#include "seededrandom.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

namespace untangle {

namespace {

constexpr double LearningRateDropAt = 0.75; // the last quarter runs at a tenth of the rate ...
constexpr double LearningRateDropFactor = 0.1; // ... which settles the 32-class position heads
constexpr int ProgressEvery = 25; // steps between progress reports (and cancellation checks)
constexpr std::uint64_t HeldOutStream = 1; // SeededRandom::derive streams: held-out images never repeat training ones
constexpr std::uint64_t TrainingStream = 2;
constexpr std::uint64_t InitialisationStream = 3;

/** Fills one SpriteFactorAccuracy per factor from predicted (argmax) and true indices, both (N, 5) int64. */
std::array<SpriteFactorAccuracy, SpriteFactorCount> accuracies(
    const torch::Tensor &predicted, const torch::Tensor &truth)
{
    const int n = int(truth.size(0));
    const auto p = predicted.contiguous(), t = truth.contiguous();
    const auto *pp = p.data_ptr<int64_t>(), *tp = t.data_ptr<int64_t>();
    const double step = spriteOrientation(1) - spriteOrientation(0);
    std::array<SpriteFactorAccuracy, SpriteFactorCount> result {};
    for (int i = 0; i < n; ++i) {
        for (int f = 0; f < SpriteFactorCount; ++f) {
            const auto predictedIndex = pp[i * SpriteFactorCount + f], trueIndex = tp[i * SpriteFactorCount + f];
            auto &a = result[f];
            const bool exact = predictedIndex == trueIndex;
            a.exact += exact;
            a.withinOne += f == int(SpriteFactor::Shape) ? exact : std::abs(predictedIndex - trueIndex) <= 1;
            if (f != int(SpriteFactor::Orientation)) {
                a.moduloSymmetry += exact;
                a.moduloSymmetryWithinOne
                    += f == int(SpriteFactor::Shape) ? exact : std::abs(predictedIndex - trueIndex) <= 1;
                continue;
            }
            const double period = 2.0 * Pi / spriteSymmetryOrder(int(tp[i * SpriteFactorCount])); // the true shape's
            const double delta = spriteOrientation(int(predictedIndex)) - spriteOrientation(int(trueIndex));
            const double offset = std::abs(delta - period * std::round(delta / period)); // distance to nearest copy
            a.moduloSymmetry += offset < 0.5 * step;
            a.moduloSymmetryWithinOne += offset < 1.5 * step;
        }
    }
    for (auto &a : result) {
        a.exact /= n;
        a.withinOne /= n;
        a.moduloSymmetry /= n;
        a.moduloSymmetryWithinOne /= n;
    }
    return result;
}

} // namespace

torch::Tensor renderPredictedSprites(const std::vector<torch::Tensor> &probabilities, int resolution)
{
    const auto predicted = readFactorIndices(probabilities).contiguous();
    const int n = int(predicted.size(0));
    const std::size_t pixels = std::size_t(resolution) * resolution;
    const auto *p = predicted.data_ptr<int64_t>();
    std::vector<std::uint8_t> rendered(pixels * std::size_t(n));
    for (int i = 0; i < n; ++i) {
        SpriteFactors sprite;
        for (int f = 0; f < SpriteFactorCount; ++f)
            sprite.setIndex(SpriteFactor(f), int(p[i * SpriteFactorCount + f]));
        renderSpriteInto(sprite, resolution, rendered.data() + pixels * std::size_t(i));
    }
    return spriteBytesToImages(rendered, n, resolution);
}

torch::Tensor renderNearestSprites(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities)
{
    constexpr std::array<int, SpriteFactorCount> Candidates = {1, 2, 3, 2, 2}; // per factor, in SpriteFactor order
    std::array<torch::Tensor, SpriteFactorCount> top;
    for (int f = 0; f < SpriteFactorCount; ++f)
        top[std::size_t(f)]
            = std::get<1>(probabilities[std::size_t(f)].topk(Candidates[std::size_t(f)], 1)).contiguous();
    const auto foreground = images.gt(0.0).to(torch::kUInt8).contiguous();
    const int n = int(images.size(0)), resolution = int(images.size(3));
    const std::size_t pixels = std::size_t(resolution) * resolution;
    const auto *image = foreground.data_ptr<std::uint8_t>();
    std::vector<std::uint8_t> best(pixels * std::size_t(n)), candidate(pixels);
    for (int i = 0; i < n; ++i) {
        double bestAgreement = -1.0;
        std::array<int, SpriteFactorCount> choice {};
        const std::uint8_t *mine = image + pixels * std::size_t(i);
        // Every combination of the per-factor candidates, as an odometer over `choice`.
        for (bool more = true; more;) {
            SpriteFactors sprite;
            for (int f = 0; f < SpriteFactorCount; ++f)
                sprite.setIndex(SpriteFactor(f),
                    int(top[std::size_t(f)]
                            .data_ptr<int64_t>()[i * Candidates[std::size_t(f)] + choice[std::size_t(f)]]));
            renderSpriteInto(sprite, resolution, candidate.data());
            std::size_t both = 0, either = 0;
            for (std::size_t j = 0; j < pixels; ++j) {
                const bool a = mine[j] != 0, b = candidate[j] != 0;
                both += a && b;
                either += a || b;
            }
            const double agreement = either > 0 ? double(both) / double(either) : 1.0;
            if (agreement > bestAgreement) {
                bestAgreement = agreement;
                std::copy(candidate.begin(), candidate.end(), best.begin() + std::ptrdiff_t(pixels) * i);
            }
            more = false;
            for (int f = 0; f < SpriteFactorCount && !more; ++f) {
                if (++choice[std::size_t(f)] < Candidates[std::size_t(f)])
                    more = true;
                else
                    choice[std::size_t(f)] = 0;
            }
        }
    }
    return spriteBytesToImages(best, n, resolution);
}

torch::Tensor renderAgreement(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities)
{
    const auto foreground = images.gt(0.0).flatten(1);
    const auto rendered = renderPredictedSprites(probabilities, int(images.size(3))).gt(0.0).flatten(1);
    const auto both = (foreground & rendered).sum(1).to(torch::kFloat64);
    const auto either = (foreground | rendered).sum(1).to(torch::kFloat64);
    return torch::where(either > 0, both / either.clamp_min(1.0), torch::ones_like(both)); // 1 when both are empty
}

std::pair<torch::Tensor, torch::Tensor> renderRandomSprites(int count, int resolution, std::uint64_t seed)
{
    SeededRandom random(seed);
    std::vector<std::uint8_t> bytes(std::size_t(count) * resolution * resolution);
    auto factors = torch::empty({count, SpriteFactorCount}, torch::kInt64);
    auto *fp = factors.data_ptr<int64_t>();
    for (int i = 0; i < count; ++i) {
        SpriteFactors sprite;
        for (int f = 0; f < SpriteFactorCount; ++f) {
            const int value = random.below(SpriteFactorSizes[f]);
            sprite.setIndex(SpriteFactor(f), value);
            fp[i * SpriteFactorCount + f] = value;
        }
        renderSpriteInto(sprite, resolution, bytes.data() + std::size_t(i) * resolution * resolution);
    }
    return {spriteBytesToImages(bytes, count, resolution), factors};
}

std::shared_ptr<SpriteFactorClassifier> trainSpriteFactorClassifier(
    const SpriteFactorTrainingOptions &options, const ProgressFn &progress)
{
    options.validate();
    const auto started = std::chrono::steady_clock::now();
    SpriteFactorNetConfig config;
    config.resolution = options.resolution;
    SpriteFactorNet network(config);
    network->initialise(SeededRandom::derive(options.seed, InitialisationStream));
    network->train();
    torch::optim::Adam optimiser(network->parameters(), torch::optim::AdamOptions(options.learningRate));

    const std::uint64_t trainSeed = SeededRandom::derive(options.seed, TrainingStream);
    const int dropStep = int(std::lround(LearningRateDropAt * options.steps));
    for (int step = 0; step < options.steps; ++step) {
        if (step == dropStep)
            for (auto &group : optimiser.param_groups())
                static_cast<torch::optim::AdamOptions &>(group.options())
                    .lr(options.learningRate * LearningRateDropFactor);
        const auto [images, factors] = renderRandomSprites(
            options.batchSize, options.resolution, SeededRandom::derive(trainSeed, std::uint64_t(step)));
        const auto logits = network->forward(images);
        auto loss = torch::zeros({});
        for (int f = 0; f < SpriteFactorCount; ++f)
            loss = loss + torch::nn::functional::cross_entropy(logits[f], factors.select(1, f));
        optimiser.zero_grad();
        loss.backward();
        optimiser.step();
        if (step % ProgressEvery == 0)
            reportProgress(progress, double(step) / options.steps,
                "training the Sprites factor model (" + std::to_string(options.resolution) + " px), loss "
                    + std::to_string(loss.item<double>()));
    }

    SpriteFactorModelInfo info;
    info.resolution = options.resolution;
    info.steps = options.steps;
    info.batchSize = options.batchSize;
    info.seed = options.seed;
    info.heldOut = options.heldOut;
    info.trainSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto classifier = std::make_shared<SpriteFactorClassifier>(network, info);

    const auto [images, truth]
        = renderRandomSprites(options.heldOut, options.resolution, SeededRandom::derive(options.seed, HeldOutStream));
    const auto probabilities = classifier->predict(images);
    info.accuracy = accuracies(readFactorIndices(probabilities), truth);
    for (int f = 0; f < SpriteFactorCount; ++f)
        info.realConfidence[f] = std::get<0>(probabilities[f].max(1)).mean().item<double>();
    info.realRenderAgreement = renderAgreement(images, probabilities).mean().item<double>();
    reportProgress(progress, 1.0, "Sprites factor model trained");
    return std::make_shared<SpriteFactorClassifier>(network, info);
}

} // namespace untangle
