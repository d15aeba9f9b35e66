#include "computeruntime.h"

#include <torch/torch.h>

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
    torch::set_num_threads(threads > 0 ? threads : defaultComputeThreads());
    at::globalContext().setFlushDenormal(true); // sets FTZ/DAZ in this thread's MXCSR
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
