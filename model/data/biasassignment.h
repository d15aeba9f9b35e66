#pragma once

#include <cstdint>
#include <vector>

namespace untangle {

/**
 * Number of bias-aligned samples among n training samples of one class at conflicting ratio rho:
 * floor(n * (1 - rho) + 0.5), computed in double (the CMNIST-10k protocol's rounding).
 */
int alignedCount(int n, double rho);

/**
 * Bias labels for the n training samples of class `target` (in file order) under the CMNIST-10k rule: the
 * samples are permuted with `seed`; the first alignedCount(n, rho) in that order get bias = target, the rest get
 * the other biases in cyclic order target+1, target+2, ... (skipping target). Works for any number of bias values.
 */
std::vector<int> assignBiasLabels(int n, int target, int numBiases, double rho, std::uint64_t seed);

} // namespace untangle
