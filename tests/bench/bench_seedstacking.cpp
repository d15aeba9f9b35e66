// Would stacking seeds into batched matrix products make three DeNetDM seeds cheaper than one process-thread each?
// Issue 14 proposed it ("stacked weights, batched matrix products") for its <= 1.5x target; this measures it on the
// stage-1 step's exact shapes (selfcheck/seedstacking.h), on every core:
//   one seed (the baseline) | three seeds stacked (torch::baddbmm) | three seeds one after another.
// The ratio column is time / one seed's time; <= 1.5x would meet the target, 3.0x is no gain.
// Usage: bench_seedstacking [steps]   (default 600 steps per case, 3 repeats)
#include "benchtable.h"

#include "computeruntime.h"
#include "selfcheck/seedstacking.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace untangle;

namespace {

constexpr int Repeats = 3;

} // namespace

int main(int argc, char **argv)
{
    const int steps = argc > 1 ? std::max(10, std::atoi(argv[1])) : 600;
    configureComputeThread(); // as the CLI: every core, denormals flushed, freed heap kept
    std::vector<double> one, stacked, sequential;
    for (int r = 0; r < Repeats; ++r) {
        one.push_back(selfcheck::stackedStage1Seconds(1, steps));
        stacked.push_back(selfcheck::stackedStage1Seconds(3, steps));
        sequential.push_back(selfcheck::stackedStage1Seconds(1, steps) + selfcheck::stackedStage1Seconds(1, steps)
            + selfcheck::stackedStage1Seconds(1, steps));
    }
    for (auto *v : {&one, &stacked, &sequential})
        std::sort(v->begin(), v->end());
    std::printf(
        "DeNetDM stage-1 steps, %d per case, %u cores, %d repeats (ratio = time / one seed's; target <= 1.5x)\n", steps,
        std::thread::hardware_concurrency(), Repeats);
    bench::printHeader("s");
    const double baseline = bench::median(one);
    bench::printRow("1 seed (baseline)", one, 0, baseline);
    bench::printRow("3 seeds stacked (baddbmm)", stacked, 0, baseline);
    bench::printRow("3 seeds one after another", sequential, 0, baseline);
    return 0;
}
