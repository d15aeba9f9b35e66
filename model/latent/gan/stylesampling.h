#pragma once
// model-internal: drawing styles w from a generator, seeded, with a fixed truncation centre.
#include "gan/generator.h"
#include <cstdint>

namespace untangle {

/** Samples for the truncation centre, fixed once per generator, never per call (docs/methods/sre.md, pitfall 8). */
constexpr int StyleMeanSamples = 4096;

/** mean over StyleMeanSamples seeded z of mapping(z): the truncation centre, (1, styleSize). */
torch::Tensor styleMean(Generator &generator, std::uint64_t seed = 0);

/** n standard-normal latents from their own generator seeded with `seed` (the global torch RNG is untouched). */
torch::Tensor sampleLatents(int n, int latentSize, std::uint64_t seed);

/** w = mean + psi (mapping(z) - mean); psi = 1 disables truncation. No autograd. */
torch::Tensor truncatedStyles(Generator &generator, const torch::Tensor &z, const torch::Tensor &mean, double psi);

/** truncatedStyles around the generator's fixed centre (styleMean, drawn only when psi != 1): the styles the coverage
 *  and rescoring reports read. Throws std::invalid_argument for psi outside (0, 1]. */
torch::Tensor truncatedStylesAroundMean(Generator &generator, const torch::Tensor &z, double psi);

/** Standard deviation of sampled styles along each row of `directions` (K x styleSize): sigma_k of
 *  docs/methods/sre.md §7.4. */
torch::Tensor styleStdAlong(const torch::Tensor &styles, const torch::Tensor &directions);

} // namespace untangle
