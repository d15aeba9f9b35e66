#pragma once

#include "evaluation/disentanglement.h"

#include <cstdint>

namespace untangle {

/**
 * FactorVAE's and beta-VAE's sampler over a fixed pool of already-encoded points instead of rendering and encoding
 * fresh ones per call. Rendering on the fly cost ~80 % of a 64 x 64 evaluation's metric time (390k encoder
 * forwards at 1000 / 1000 counts); a pool of 20,000 costs 20,000. It is how disentanglement_lib samples from a
 * finite dataset (dSprites' 737,280 images), with a smaller pool: a batch "with factor k = v" draws distinct pool
 * rows whose factor k is v, so every other factor is as random as the pool is. Points repeat across votes, which
 * makes the estimates a little more correlated, not biased. Deterministic for a seed; copies share the stream.
 */
FactorSampler pooledFactorSampler(const CodeMatrix &codes, const FactorMatrix &factors, std::uint64_t seed);

} // namespace untangle
