#pragma once
// model-internal: the Scale Ranking Estimator's alternating updates (docs/methods/sre.md §1.3-1.6) on one frozen
// generator.
#include "directions/orthodirections.h"
#include "gan/generator.h"
#include "sre/scorenetwork.h"

#include <cstdint>

namespace untangle {

struct SreTrainerOptions {
    int batch = 32; // images per step: batch / 2 pairs
    double learningRate = 1e-4; // Adam, for both M and S
    double rangeScale = 1.5; // a_k = rangeScale * sigma_k (docs/methods/sre.md §11: per-direction ranges ~1.5 sigma_k)
    double truncation = 0.8; // psi around a fixed mean w (the authors' synthetic runs, docs/methods/sre.md §1.8)
    ScoreBackbone backbone = ScoreBackbone::LightCnn;
    std::uint64_t seed = 2;
    int heldOutPairs = 128;
};

/** One batch of self-supervised pairs: rows p and p + B/2 form pair p. */
struct PairBatch {
    torch::Tensor z; // (B, latent): concat(z_half, z_half), so a pair shares z exactly (docs/methods/sre.md, pitfall 1)
    torch::Tensor eps; // (B, K): i.i.d. U(-a_k, a_k), all K at once (docs/methods/sre.md, pitfall 2)
    // labels (B/2, K): 1[eps1 > eps2], our one convention (docs/methods/sre.md, pitfall 3): S's score rises with eps
    torch::Tensor labels;
    torch::Tensor images; // (B, C, R, R) = G.synthesis(w + eps D^T)
};

/**
 * Owns the direction parameter M, the estimator S, their Adam optimisers and the RNG that draws pairs; the
 * generator is only read (it stays frozen and never gets an optimiser). Deterministic for a seed and thread count.
 */
class SreTrainer {
public:
    /** initialRows: K x styleSize initial directions (any basis of their span order; QR makes them orthonormal). */
    SreTrainer(GeneratorPtr generator, const torch::Tensor &initialRows, const SreTrainerOptions &options);

    /** Draws z, eps and labels from the trainer's RNG and renders the pair images (with autograd to M if withGrad). */
    PairBatch samplePairs(bool withGrad);
    /** BCEWithLogits(S(I1) - S(I2), y), mean over pairs and directions (docs/methods/sre.md §1.4). */
    static torch::Tensor rankingLoss(const torch::Tensor &scores, const torch::Tensor &labels);
    /** Per direction: the fraction of pairs where sign(s1 - s2) agrees with sign(eps1 - eps2). (K) */
    static torch::Tensor rankingAccuracy(const torch::Tensor &scores, const torch::Tensor &eps);

    /** Step (a): S.train(), images detached, only S is stepped. Returns loss_S. */
    double stepEstimator();
    /** Step (b): S.eval(), fresh pairs, gradient through the frozen G into M, only M is stepped. */
    struct DirectionStep {
        double loss = 0.0;
        torch::Tensor accuracy; // (K) on this step's batch
    };
    DirectionStep stepDirections();

    /** Ranking accuracy per direction (K) on the fixed held-out pairs (seeded z, never trained on). */
    torch::Tensor heldOutAccuracy();

    /** Current directions, orthonormal, K x styleSize rows. */
    torch::Tensor directionRows() const;
    /** Std of the trainer's 4096 sampled w along each row (sigma_k). */
    torch::Tensor sigmaAlong(const torch::Tensor &rows) const;
    torch::Tensor ranges() const { return m_ranges; }

    ScoreNetwork &estimator() { return m_estimator; }
    OrthoDirections &directions() { return m_directions; }
    GeneratorPtr generator() const { return m_generator; }

    /** M, S, both Adam states and the RNG state: all a resumed run needs to continue bit for bit. */
    void save(torch::serialize::OutputArchive &archive) const;
    void load(torch::serialize::InputArchive &archive);

private:
    torch::Tensor stylesFor(const torch::Tensor &z) const;
    torch::Tensor render(const torch::Tensor &w, const torch::Tensor &eps);

    GeneratorPtr m_generator;
    SreTrainerOptions m_options;
    torch::Tensor m_mean; // fixed truncation centre (docs/methods/sre.md, pitfall 8)
    torch::Tensor m_samples; // 4096 truncated w, for sigma_k
    torch::Tensor m_ranges; // (K): a_k, fixed from the initial directions
    OrthoDirections m_directions {nullptr};
    ScoreNetwork m_estimator {nullptr};
    std::unique_ptr<torch::optim::Adam> m_directionOptimizer, m_estimatorOptimizer;
    at::Generator m_rng;
    torch::Tensor m_heldOutStyles; // (2P, styleSize), pairs share w
    torch::Tensor m_heldOutUnit; // (2P, K) in [-1, 1); times a_k gives eps
};

} // namespace untangle
