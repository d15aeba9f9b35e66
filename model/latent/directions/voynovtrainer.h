#pragma once
// model-internal: Voynov & Babenko's unsupervised direction discovery (ICML 2020, "LD"; docs/methods/sre.md §2.3,
// §7.3).
#include "directions/orthodirections.h"
#include "gan/generator.h"

#include <cstdint>

namespace untangle {

struct VoynovOptions {
    int directions = 10; // K
    int batch = 32;
    double learningRate = 1e-4; // Adam, deformator and reconstructor
    double shiftScale = 6.0; // a = shiftScale * sigma_w (Voynov's 6 assumes N(0, 1) latents)
    double truncation = 1.0;
    std::uint64_t seed = 2;
};

/**
 * The reconstructor: the pair (G(w), G(w + eps d_k)) stacked on channels (2C) -> K logits for k and one
 * regression output for eps. A light CNN (the 4-conv encoder of docs/methods/sre.md §4.1) instead of ResNet-18:
 * the CPU deviation docs/methods/sre.md §7.3 allows ("LeNet-style").
 */
struct VoynovReconstructorImpl : torch::nn::Module {
    VoynovReconstructorImpl(int channels, int resolution, int directions);
    /** (B, 2C, R, R) -> (B, K + 1): logits, then the predicted shift. */
    torch::Tensor forward(const torch::Tensor &pairs);
    torch::nn::Sequential body {nullptr};
};
TORCH_MODULE(VoynovReconstructor);

class VoynovTrainer {
public:
    VoynovTrainer(GeneratorPtr generator, const VoynovOptions &options);

    struct Step {
        double loss = 0.0;
        double accuracy = 0.0; // fraction of the batch whose k the reconstructor got right
    };
    /** One joint step: CE(k) + 0.25 mean|eps_hat - eps|, both players stepped (they cooperate). */
    Step step();
    /** Per direction: how often the reconstructor names k for fresh seeded shifts along it. (K) */
    torch::Tensor perDirectionAccuracy(int samplesPerDirection, std::uint64_t seed);

    /** K x styleSize orthonormal rows. */
    torch::Tensor directionRows() const;
    torch::Tensor sigmaAlong(const torch::Tensor &rows) const;
    double shiftRange() const { return m_range; }

private:
    /** eps ~ U[-a, a] pushed out of (-a/12, a/12), as Voynov's min_shift (0.5 of 6). */
    torch::Tensor sampleShifts(int count, at::Generator &rng) const;
    torch::Tensor reconstruct(const torch::Tensor &w, const torch::Tensor &k, const torch::Tensor &eps);

    GeneratorPtr m_generator;
    VoynovOptions m_options;
    torch::Tensor m_mean, m_samples;
    double m_range = 0.0;
    OrthoDirections m_deformator {nullptr};
    VoynovReconstructor m_reconstructor {nullptr};
    std::unique_ptr<torch::optim::Adam> m_deformatorOptimizer, m_reconstructorOptimizer;
    at::Generator m_rng;
};

} // namespace untangle
