#pragma once

#include <string>

namespace untangle {

/**
 * Sets up the calling thread for LibTorch work: intra-op thread count (0 = leave one core to the GUI, at least
 * one) and denormals flushed to zero (Adam's buffers fill with denormals under weight decay; measured 2x slower).
 * Call it at the start of every worker thread that trains; grad mode and these settings are per thread or global
 * as LibTorch defines them.
 */
void configureComputeThread(int threads = 0);

/** The number of threads configureComputeThread(0) picks on this machine. */
int defaultComputeThreads();

/** One line per library: LibTorch, OpenCV and BLAS versions and thread counts, for About boxes and bug reports. */
std::string describeComputeRuntime();

} // namespace untangle
