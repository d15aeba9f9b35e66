#pragma once
// model-internal: real procedural sprites -> codes of a distilled encoder (docs/methods/sre.md §4.1 step 3: metrics
// on real images).
#include "disentanglement.h"
#include "scorenetwork.h"
#include "spritesrenderer.h"

#include <cstdint>
#include <vector>

namespace untangle {

class SeededRandom;

/**
 * Renders sprites from their factors (exact, no stored dataset) at the encoder's resolution, maps {0, 255} to
 * [-1, 1] as the generator's images, and encodes them in chunks under no_grad. Copies share the network.
 */
class SpriteEncoder {
public:
    SpriteEncoder(ScoreNetwork network, int resolution, int encodeBatch);

    int codeDim() const { return m_codeDim; }
    /** sprites.size() x codeDim codes, row-major, into out (resized). */
    void encode(const std::vector<SpriteFactors> &sprites, std::vector<double> &out);
    /** n sprites with every factor uniform: their codes and their factor classes. */
    void encodeRandom(int n, SeededRandom &random, CodeMatrix &codes, FactorMatrix &factors);
    /** The callbacks FactorVAE and beta-VAE draw from: every factor uniform unless fixed, a stream of its own. */
    FactorSampler sampler(std::uint64_t seed) const;

    static std::vector<int> factorSizes();
    static SpriteFactors randomSprite(SeededRandom &random);

private:
    ScoreNetwork m_network;
    int m_resolution = 0;
    int m_encodeBatch = 0;
    int m_codeDim = 0;
};

} // namespace untangle
