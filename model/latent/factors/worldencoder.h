#pragma once
// model-internal: real rendered images of a factor world -> codes of a distilled encoder (docs/methods/sre.md §4.1
// step 3: the metrics score real images with known factors).
#include "evaluation/disentanglement.h"
#include "factors/factorworld.h"
#include "sre/scorenetwork.h"

#include <cstdint>
#include <vector>

namespace untangle {

class SeededRandom;

/**
 * Renders images from their factors (exact, no stored dataset) at the encoder's resolution, maps 0..255 to [-1, 1]
 * as the generator's images, and encodes them in chunks under no_grad. Copies share the network.
 */
class WorldEncoder {
public:
    WorldEncoder(const FactorWorld &world, ScoreNetwork network, int resolution, int encodeBatch);

    int codeDim() const { return m_codeDim; }
    const FactorWorld &world() const { return *m_world; }
    /** tuples (n x F) -> n x codeDim codes, row-major, into out (resized). */
    void encode(const std::vector<int> &tuples, std::vector<double> &out);
    /** n images with every factor uniform: their codes and their factor classes. */
    void encodeRandom(int n, SeededRandom &random, CodeMatrix &codes, FactorMatrix &factors);
    /** The callbacks FactorVAE and beta-VAE draw from: every factor uniform unless fixed, a stream of its own. */
    FactorSampler sampler(std::uint64_t seed) const;

private:
    const FactorWorld *m_world;
    ScoreNetwork m_network;
    int m_resolution = 0;
    int m_encodeBatch = 0;
    int m_codeDim = 0;
};

} // namespace untangle
