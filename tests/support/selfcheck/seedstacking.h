#pragma once
// Std-only window onto a torch micro-experiment for bench_seedstacking (benchmarks, like Qt Test files, never parse
// torch): DeNetDM's stage-1 step with several seeds stacked into batched matrix products.

#include <cstdint>

namespace untangle::selfcheck {

/**
 * Seconds for `steps` DeNetDM stage-1 steps (deep MLP 2352-100-100-100-100, shallow 2352-100-100, shared head 100-10,
 * batch 64 per seed, Adam with weight decay) of `seeds` seeds stacked: weights [seeds, in, out] through
 * torch::baddbmm, each seed its own batch drawn from 8,000 random images as sparse as CMNIST-10k's (19 % non-zero).
 * Runs on torch's current thread count.
 */
double stackedStage1Seconds(std::int64_t seeds, int steps);

} // namespace untangle::selfcheck
