#pragma once
// model-internal: K trainable directions with orthonormal columns, kept so by a QR retraction
// (docs/methods/sre.md §1.5, 'ortho').
#include <torch/torch.h>

namespace untangle {

/** Q of QR(m) with each column's sign chosen so diag(R) >= 0: Gram-Schmidt order, so column k keeps its sense. */
torch::Tensor orthonormalColumns(const torch::Tensor &m);

/** max |D^T D - I| of a (styleSize x K) matrix: 0 for orthonormal columns. */
double orthonormalityError(const torch::Tensor &columns);

/**
 * The direction parameter M (styleSize x K). SRE and Voynov-Babenko both re-orthonormalise it under no_grad at
 * every forward (retract) and step it with Adam on the plain Euclidean gradient, as the official code does: a QR
 * retraction after each step, not a Stiefel optimiser. The stored M is the post-Adam, pre-QR matrix
 * (docs/methods/sre.md, pitfall 6), so readers use directions(), never the raw parameter.
 */
struct OrthoDirectionsImpl : torch::nn::Module {
    /** initial: (styleSize x K) columns; need not be orthonormal (the first retraction makes them so). */
    explicit OrthoDirectionsImpl(const torch::Tensor &initial);
    /** M <- Q(M) in place, under no_grad. */
    void retract();
    /** eps (B x K) -> shift (B x styleSize) = eps M^T, differentiable in M. */
    torch::Tensor forward(const torch::Tensor &eps);
    /** Orthonormal copy of the current M (K columns), detached: what snapshots and reports show. */
    torch::Tensor directions() const;
    int styleSize() const { return int(matrix.size(0)); }
    int count() const { return int(matrix.size(1)); }
    torch::Tensor matrix;
};
TORCH_MODULE(OrthoDirections);

} // namespace untangle
