#pragma once
// model-internal: telling two generators of the same shape apart.
#include <string>
#include <vector>

#include <torch/torch.h>

namespace untangle {

/**
 * 16 hex digits identifying a set of weights: a 64-bit FNV-1a hash of every tensor's shape and float32 bytes, in
 * order. Direction files record it so that directions found on one generator are not used on another of the same
 * kind and size (another seed, a later checkpoint), where they mean something else. Not cryptographic: it guards
 * against mix-ups, not forgery.
 */
std::string weightsFingerprint(const std::vector<torch::Tensor> &weights);

} // namespace untangle
