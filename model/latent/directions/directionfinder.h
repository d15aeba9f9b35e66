#pragma once
#include "directions/directionset.h"
#include "progress.h"
#include <cstdint>
#include <string>

namespace untangle {

enum class DirectionMethod { SeFa, GanSpace, Voynov, Random };

/** "sefa", "ganspace", "voynov", "random" (seeded random orthonormal directions, the control). */
std::string directionMethodKey(DirectionMethod method);
bool parseDirectionMethod(const std::string &key, DirectionMethod &method);

struct DirectionsRequest {
    std::string generatorPath;
    DirectionMethod method = DirectionMethod::SeFa;
    int count = 10; // K
    int ganspaceSamples = 20000; // w samples for GANSpace's PCA (the SRE code's 20,000; GANSpace's own 300,000)
    bool sefaNormaliseRows = true; // official SeFa; false = SRE code's unnormalised SVD (docs/methods/sre.md §2.1)
    int voynovSteps = 5000;
    double learningRate = 1e-4; // Voynov-Babenko's deformator and reconstructor
    std::uint64_t seed = 0;
};

/**
 * Computes K directions in the generator's style space, each with its sigma (std of sampled w along it, the unit of
 * slider ranges and SRE's scale ranges), names "<method> k", and provenance. Throws std::invalid_argument (K out of
 * 1..style size, SeFa on a generator without an exposed weight), DataError (unreadable generator).
 */
DirectionSet findDirections(const DirectionsRequest &request, const ProgressFn &progress = {});

} // namespace untangle
