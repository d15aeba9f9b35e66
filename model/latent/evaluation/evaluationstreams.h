#pragma once
// The independent random streams of one direction evaluation, all derived from EvaluationOptions::seed, so the
// facade, its self-check and the tests agree on which z, split and sprites a seed means.
#include "seededrandom.h"

#include <cstdint>

namespace untangle {

enum class EvaluationStream : std::uint64_t {
    Latents = 1, // z of the distillation images
    Split, // held-out selection
    BatchOrder, // encoder mini-batch shuffles
    EncoderInit, // torch's global seed before the encoder is built
    Sprites, // factor draws for the MIG and DCI sprites
    Dci, // the forests
    FactorVaeSprites,
    FactorVae,
    BetaVaeSprites,
    BetaVae,
    NoiseFloor,
    SamplingPool, // factor draws of the FactorVAE / beta-VAE pool
};

inline std::uint64_t evaluationStream(std::uint64_t seed, EvaluationStream stream)
{
    return SeededRandom::derive(seed, std::uint64_t(stream));
}

} // namespace untangle
