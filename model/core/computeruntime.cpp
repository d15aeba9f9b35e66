#include "computeruntime.h"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <opencv2/core.hpp>

#include <algorithm>
#include <sstream>
#include <thread>

namespace untangle {

int defaultComputeThreads()
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, cores - 1);
}

void configureComputeThread(int threads)
{
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
