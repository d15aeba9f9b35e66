#include "computeruntime.h"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <opencv2/core.hpp>

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

namespace untangle {

int defaultComputeThreads()
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, cores - 1);
}

namespace {

/**
 * Training frees and reallocates the same large blocks every batch and every evaluation chunk. With glibc's default
 * 128 KiB trim threshold each free hands the top of the heap back to the system and the next batch faults it in
 * again, page by page: half of a CMNIST-10k run's 330k page faults and 16 % of its wall time (12.1 -> 10.1 s for
 * 10 + 10 epochs, measured). Keeping up to 1 GiB of freed heap costs ~70 MB of resident memory.
 * Setting the trim threshold also freezes glibc's mmap threshold at its 128 KiB start (it no longer adapts), so every
 * activation above that was a fresh mmap, faulted in page by page and unmapped on free: a 64 px GAN at 16 channels
 * spent 30 % of its time in page faults and ran at 0.66 s per iteration before its first checkpoint and 1.10 after;
 * with the threshold at glibc's 32 MiB maximum, 0.31 throughout, bit-identical (README, "Benchmarks";
 * bench_allocator).
 */
void keepFreedHeapForReuse()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // glibc's own policy, for bench_allocator's baseline and for a machine where the kept heap is unwelcome.
        if (std::getenv("UNTANGLE_GLIBC_MALLOC"))
            return;
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mallopt(M_TOP_PAD, 256 << 20);
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    });
}

} // namespace

void configureComputeThread(int threads)
{
    keepFreedHeapForReuse();
    const int count = threads > 0 ? threads : defaultComputeThreads();
    torch::set_num_threads(count);
    // FTZ/DAZ live in each thread's MXCSR: set them here and in every intra-op worker (OpenMP team), or the GEMMs
    // and the fused Adam running on the other threads slow down as weight decay fills the buffers with denormals.
    at::globalContext().setFlushDenormal(true);
    at::parallel_for(0, count, 1, [](std::int64_t, std::int64_t) { at::globalContext().setFlushDenormal(true); });
}

std::string describeComputeRuntime()
{
    std::ostringstream out;
    out << "LibTorch " << TORCH_VERSION << " (" << torch::get_num_threads() << " threads)\n";
    out << "OpenCV " << CV_VERSION << "\n";
    out << "CPU cores " << std::thread::hardware_concurrency() << "\n";
    return out.str();
}

} // namespace untangle
