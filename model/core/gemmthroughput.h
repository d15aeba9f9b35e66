#pragma once

namespace untangle {

/**
 * Measured float GEMM throughput of this machine through LibTorch, in GFLOP/s: the median of `repeats` products
 * of (m x k) by (k x n) on `threads` threads. Benchmarks divide a model's FLOPs by it to get the bound an epoch
 * cannot beat.
 */
double measureGemmGflops(int m, int k, int n, int threads, int repeats);

} // namespace untangle
