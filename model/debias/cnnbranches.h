#pragma once
// model-internal: the CNN pair DeNetDM uses on corrupted data (docs/methods/denetdm.md §2.1), adapted to our inputs.

#include "branches.h"

namespace untangle {

/** Feature size of both CNN branches (the paper's C-CIFAR10 pair: 64-d ResNet-20 pool, 64-d shallow CNN). */
constexpr std::int64_t CnnFeatureSize = 64;

/**
 * Deep branch: CIFAR-style ResNet-20 (3 stages x 3 BasicBlocks, 16/32/64 channels, option-A zero-pad shortcuts,
 * Kaiming-normal init), final Linear removed: global-average-pooled 64-d features. Works for 28x28 and 32x32 input.
 */
std::shared_ptr<Branch> makeResNet20(const InputShape &shape);

/**
 * Shallow branch: Conv5x5(c->32)+BN+ReLU+MaxPool2 -> Conv5x5(32->64)+BN+ReLU+MaxPool2 -> Conv5x5(64->64)+BN+ReLU ->
 * global pooling -> 64-d. (On 32x32 the spatial size goes 32->28->14->10->5->1; on 28x28 the last map is not 1x1,
 * so the features are globally average-pooled.)
 */
std::shared_ptr<Branch> makeShallowCnn(const InputShape &shape);

} // namespace untangle
