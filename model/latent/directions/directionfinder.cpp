#include "directions/directionfinder.h"

#include "common/latenttensors.h"
#include "directions/latentdirections.h"
#include "directions/voynovdiscovery.h"
#include "gan/generatorfile.h"
#include "gan/stylesampling.h"

#include <algorithm>
#include <stdexcept>

namespace untangle {

namespace {

constexpr int SigmaSamples = 4096;
constexpr std::uint64_t SigmaSeed = 4242;

LatentDirections sefaOf(Generator &generator, int count, bool normaliseRows)
{
    auto weight = generator.sefaWeight();
    if (!weight.defined())
        throw std::invalid_argument("SeFa needs the generator's latent-to-feature weight; " + generator.description()
            + " does not expose one (use GANSpace or Voynov-Babenko)");
    weight = weight.to(torch::kFloat64);
    if (normaliseRows) // official SeFa: every output's weight vector to unit length (docs/methods/sre.md §2.1)
        weight = weight / weight.norm(2, 1, true).clamp_min(1e-12);
    return sefaDirections(toMatrix(weight), count);
}

LatentDirections ganspaceOf(
    Generator &generator, int count, int samples, std::uint64_t seed, const ProgressFn &progress)
{
    // GANSpace's own count is 300,000; ten times that is minutes of forward passes and gigabytes of w, not a typo's
    // 2e9 held for hours.
    constexpr int MaxGanSpaceSamples = 3'000'000;
    if (samples < 2 || samples > MaxGanSpaceSamples)
        throw std::invalid_argument(
            "GANSpace takes 2 to " + std::to_string(MaxGanSpaceSamples) + " samples, not " + std::to_string(samples));
    torch::NoGradGuard noGrad;
    constexpr int Chunk = 4096;
    std::vector<torch::Tensor> styles;
    for (int done = 0; done < samples; done += Chunk) {
        const int n = std::min(Chunk, samples - done);
        styles.push_back(generator.mapping(sampleLatents(n, generator.shape().latentSize, seed * 7919 + done)));
        reportProgress(progress, 0.9 * (done + n) / samples, "sampling w for GANSpace");
    }
    return ganspaceDirections(toMatrix(torch::cat(styles)), count);
}

} // namespace

std::string directionMethodKey(DirectionMethod method)
{
    switch (method) {
    case DirectionMethod::SeFa:
        return "sefa";
    case DirectionMethod::GanSpace:
        return "ganspace";
    case DirectionMethod::Voynov:
        return "voynov";
    case DirectionMethod::Random:
        return "random";
    }
    return "?";
}

bool parseDirectionMethod(const std::string &key, DirectionMethod &method)
{
    for (auto candidate :
        {DirectionMethod::SeFa, DirectionMethod::GanSpace, DirectionMethod::Voynov, DirectionMethod::Random})
        if (directionMethodKey(candidate) == key) {
            method = candidate;
            return true;
        }
    return false;
}

DirectionSet findDirections(const DirectionsRequest &request, const ProgressFn &progress)
{
    auto generator = loadGenerator(request.generatorPath);
    const int styleSize = generator->shape().styleSize;
    if (request.count < 1 || request.count > styleSize)
        throw std::invalid_argument("cannot find " + std::to_string(request.count) + " directions in a latent of size "
            + std::to_string(styleSize) + " (K must be 1.." + std::to_string(styleSize) + ")");
    const std::string key = directionMethodKey(request.method);
    DirectionSet set;
    switch (request.method) {
    case DirectionMethod::SeFa: {
        const auto found = sefaOf(*generator, request.count, request.sefaNormaliseRows);
        set = DirectionSet::fromMatrix(key, found.directions, found.scores);
        set.provenance.emplace_back("weight",
            request.sefaNormaliseRows ? "modulation weights, rows normalised" : "modulation weights, unnormalised");
        break;
    }
    case DirectionMethod::GanSpace: {
        const auto found = ganspaceOf(*generator, request.count, request.ganspaceSamples, request.seed, progress);
        set = DirectionSet::fromMatrix(key, found.directions, found.scores);
        set.provenance.emplace_back("samples", std::to_string(request.ganspaceSamples));
        break;
    }
    case DirectionMethod::Voynov: {
        VoynovConfig config;
        config.generatorPath = request.generatorPath;
        config.directions = request.count;
        config.steps = request.voynovSteps;
        config.learningRate = request.learningRate;
        config.seed = request.seed;
        set = discoverVoynovDirections(config, progress);
        break;
    }
    case DirectionMethod::Random: {
        const auto found = randomDirections(styleSize, request.count, request.seed);
        set = DirectionSet::fromMatrix(key, found.directions, found.scores);
        set.provenance.emplace_back("construction", "QR of a seeded Gaussian matrix, diag(R) >= 0");
        break;
    }
    }
    set.generator = request.generatorPath;
    set.generatorChannels = generator->shape().channels;
    set.generatorResolution = generator->shape().resolution;
    set.generatorFingerprint = generator->fingerprint();
    for (const auto &[key, value] : {std::pair<std::string, std::string> {"seed", std::to_string(request.seed)},
             {"generator", generator->description()}}) {
        const bool present = std::any_of(set.provenance.begin(), set.provenance.end(),
            [&key = key](const auto &entry) { return entry.first == key; });
        if (!present)
            set.provenance.emplace_back(key, value);
    }
    // sigma_k: the spread of real w along each direction, the unit of every range (docs/methods/sre.md §7.4).
    torch::NoGradGuard noGrad;
    const auto w = generator->mapping(sampleLatents(SigmaSamples, generator->shape().latentSize, SigmaSeed));
    const auto sigma = styleStdAlong(w, toTensor(set.matrix()));
    for (int k = 0; k < set.count(); ++k)
        set.directions[std::size_t(k)].sigma = sigma[k].item<double>();
    reportProgress(progress, 1.0, key + ": " + std::to_string(set.count()) + " directions");
    return set;
}

} // namespace untangle
