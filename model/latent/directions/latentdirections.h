#pragma once

#include "common/latentmatrix.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** K unit-length latent directions (rows of `directions`, each of latent size) and a score per direction. */
struct LatentDirections {
    std::string method; // "sefa", "ganspace", ...
    Matrix directions; // K x latent size, orthonormal rows
    std::vector<double> scores; // SeFa: eigenvalues of A^T A; GANSpace: std of the samples along each direction
};

/**
 * SeFa (Shen & Zhou 2021, docs/methods/sre.md §2.1): the top-k eigenvectors of A^T A, where A (outputs x latent) is
 * the first weight that maps the latent into the generator. Sorted by eigenvalue, largest first; each vector's
 * sign is fixed so its largest-magnitude component is positive (eigen solvers return either sign).
 * Throws std::invalid_argument when k is not in 1..latent size.
 */
LatentDirections sefaDirections(const Matrix &weight, int k);

/**
 * GANSpace (Härkönen et al. 2020, docs/methods/sre.md §2.2): the top-k principal components of sampled latents
 * (samples x latent, e.g. w = mapping(z)), sorted by variance; scores are the standard deviations along them. Same
 * sign rule.
 */
LatentDirections ganspaceDirections(const Matrix &samples, int k);

/**
 * Random orthonormal directions, the control every method is compared with (issue 12; not the "random init"
 * ablation of docs/methods/sre.md, pitfall 18): the K columns of Q from the QR of a seeded Gaussian latent size x K
 * matrix, each column's sign chosen so diag(R) >= 0 (the unique factorisation, as in §1.5), returned as rows.
 * Deterministic per seed; scores are all 0 (no ordering). Throws std::invalid_argument when k is not in
 * 1..latentSize.
 */
LatentDirections randomDirections(int latentSize, int k, std::uint64_t seed);

/**
 * W-space health: the ratio of the largest to the second-largest principal standard deviation of sampled latents.
 * About 1 for an isotropic space; a generator whose single axis moves everything at once shows ~10
 * (docs/methods/sre.md §11).
 */
double principalStdRatio(const Matrix &samples);

} // namespace untangle
