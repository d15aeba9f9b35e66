#pragma once
// Voynov & Babenko's unsupervised direction discovery (ICML 2020; docs/methods/sre.md §2.3, §7.3) behind std types.

#include "directions/directionset.h"
#include "progress.h"

#include <functional>
#include <string>

namespace untangle {

struct VoynovConfig {
    std::string generatorPath;
    int directions = 10; // K, at most the generator's style size
    int steps = 5000; // SRE's synthetic LD baseline: 5001 (docs/methods/sre.md §2.3)
    int batch = 32;
    double learningRate = 1e-4;
    double shiftScale = 6.0; // eps ~ U[-a, a], |eps| >= a/12, a = shiftScale * sigma_w (mean std of w's coordinates)
    double truncation = 1.0;
    unsigned long long seed = 2;
    int logEvery = 100;
    int evaluationSamples = 64; // per direction, for the final per-direction accuracy (the sort key)
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

struct VoynovLog {
    int step = 0;
    double loss = 0.0;
    double accuracy = 0.0; // how often the reconstructor named the shifted direction, on this batch
};

/**
 * Trains a deformator (K orthonormal directions in w, initialised from the first K coordinate axes plus seeded 1e-3
 * noise, as the original 'ortho' init) and a reconstructor that tells from an image pair which direction moved and
 * how far. Returns method "voynov", directions sorted by the reconstructor's per-direction accuracy on fresh seeded
 * shifts (best first; score = that accuracy; sigma = std of w along it). Throws std::invalid_argument (bad config,
 * K outside 1..style size), DataError (generator), Cancelled (progress returned false).
 */
DirectionSet discoverVoynovDirections(const VoynovConfig &config, const ProgressFn &progress = {},
    const std::function<void(const VoynovLog &)> &logged = {});

} // namespace untangle
