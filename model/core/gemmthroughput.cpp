#include "gemmthroughput.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace untangle {

double measureGemmGflops(int m, int k, int n, int threads, int repeats)
{
    torch::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    const auto a = torch::rand({m, k}), b = torch::rand({k, n});
    auto c = torch::mm(a, b); // warm-up: first call allocates and spins up the thread pool
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        c = torch::mm(a, b);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    return 2.0 * m * k * n / median / 1e9;
}

} // namespace untangle
