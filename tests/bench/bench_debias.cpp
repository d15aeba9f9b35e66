// DeNetDM training speed next to the bound this machine's GEMM throughput gives, measured in the same run.
// Rows: stage-1 and stage-2 epoch time and samples/s on CMNIST-10k and Colored Fashion-MNIST at 1 and 2 threads,
// evaluation time, a full 100 + 100 epoch CMNIST-10k run (target <= 60 s), three seeds at once against one seed
// (target <= 1.5x), and peak memory.
// Usage: bench_debias [--quick | --seeds]   (--quick skips the full run and Fashion-MNIST; --seeds runs only the
// seeds rows)
#include "benchtable.h"

#include "datasetfactory.h"
#include "debiasflops.h"
#include "debiasrunner.h"
#include "debiasseeds.h"
#include "gemmthroughput.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace untangle;

namespace {

constexpr int GemmRepeats = 50;
constexpr int Stage1GemmRows = 64; // the batch
constexpr int QuickEpochs = 4; // first epoch warms caches; the median of the rest is reported
constexpr int SeedsEpochs = 20; // per stage: long enough that start-up is noise, short enough to repeat
constexpr int SeedsRepeats = 2;
constexpr int FullRunRepeats = 2; // a full run is ~50 s: two of each keep the benchmark under five minutes

double peakResidentGiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / (1024.0 * 1024.0);
    return 0.0;
}

struct EpochTimes {
    std::vector<double> stage1, stage2, eval1, eval2;
};

EpochTimes timeEpochs(const BiasedDataset &dataset, DatasetKind kind, int epochs, int threads)
{
    DebiasConfig config;
    config.dataset.kind = kind;
    config.stage1Epochs = config.stage2Epochs = epochs;
    config.threads = threads;
    config.probeEveryIterations = 0;
    EpochTimes times;
    DebiasCallbacks callbacks;
    callbacks.evaluated = [&](const EvaluationRecord &r) {
        if (r.epoch == 1)
            return; // warm-up
        (r.stage == 1 ? times.stage1 : times.stage2).push_back(r.epochSeconds);
        (r.stage == 1 ? times.eval1 : times.eval2).push_back(r.evalSeconds);
    };
    runDebias(config, dataset, callbacks);
    for (auto *v : {&times.stage1, &times.stage2, &times.eval1, &times.eval2})
        std::sort(v->begin(), v->end());
    return times;
}

void benchDataset(const char *name, DatasetKind kind, int epochs)
{
    DatasetSpec spec;
    spec.kind = kind;
    BiasedDataset dataset;
    try {
        dataset = buildDataset(spec);
    } catch (const std::exception &error) {
        std::printf("%s: skipped (%s)\n", name, error.what());
        return;
    }
    DebiasConfig config;
    const long long inputSize = 1LL * dataset.train.height * dataset.train.width * dataset.train.channels;
    const DebiasFlops flops = mlpDebiasFlops(config, inputSize, dataset.numTargets());
    const int n1 = dataset.train.count / config.batchSize * config.batchSize, n2 = dataset.train.count;
    const int nEval = dataset.valid.count + dataset.test.count;
    for (int threads : {1, 2}) {
        const double gflops = measureGemmGflops(Stage1GemmRows, int(inputSize), config.width, threads, GemmRepeats);
        const EpochTimes t = timeEpochs(dataset, kind, epochs, threads);
        const double bound1 = n1 * flops.stage1 / (gflops * 1e9), bound2 = n2 * flops.stage2 / (gflops * 1e9);
        const double boundEval = nEval * flops.evaluation / (gflops * 1e9);
        std::printf("%s, %d thread%s: GEMM %.1f GFLOP/s (64x%lldx%d)\n", name, threads, threads > 1 ? "s" : "", gflops,
            inputSize, config.width);
        bench::printHeader("s");
        bench::printRow("  stage-1 epoch (vs FLOP bound)", t.stage1, 0, bound1);
        bench::printRow("  stage-2 epoch (vs FLOP bound)", t.stage2, 0, bound2);
        bench::printRow("  stage-1 evaluation (vs bound)", t.eval1, 0, boundEval);
        std::printf(
            "  samples/s: stage 1 %.0f, stage 2 %.0f\n", n1 / bench::median(t.stage1), n2 / bench::median(t.stage2));
    }
    std::printf("  peak resident memory so far: %.2f GiB\n\n", peakResidentGiB());
}

void benchFullRun()
{
    DatasetSpec spec;
    const BiasedDataset dataset = buildDataset(spec);
    DebiasConfig withProbes; // the paper's schedule: 100 + 100 epochs, probes on
    withProbes.threads = 2;
    DebiasConfig withoutProbes = withProbes;
    withoutProbes.probeEveryIterations = 0;
    // Interleaved, so a burst of load from the shared host hits both variants alike.
    std::vector<double> probes, plain;
    for (int i = 0; i < FullRunRepeats; ++i) {
        probes.push_back(bench::timeRuns(1, [&] { runDebias(withProbes, dataset); }).front());
        plain.push_back(bench::timeRuns(1, [&] { runDebias(withoutProbes, dataset); }).front());
    }
    std::sort(probes.begin(), probes.end());
    std::sort(plain.begin(), plain.end());
    std::printf("Full DeNetDM run on CMNIST-10k, 100 + 100 epochs, 2 threads, %d runs each\n", FullRunRepeats);
    bench::printHeader("s");
    bench::printRow("with decodability probes", probes, 60.0, bench::median(plain));
    bench::printRow("without probes (baseline)", plain, 60.0, bench::median(plain));
    std::printf("  peak resident memory so far: %.2f GiB (target <= 1 GiB for CMNIST-10k)\n\n", peakResidentGiB());
}

/** A fresh, empty folder for one batch of seeds (the batch refuses a folder that holds files). */
std::string freshBatchFolder()
{
    static int counter = 0;
    const auto dir = std::filesystem::temp_directory_path()
        / ("bench-seeds-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    return dir.string();
}

/** Wall time of --seeds 3 against --seeds 1 measured right before it, probes on, both on every core. */
void benchSeeds()
{
    DatasetSpec spec;
    const BiasedDataset dataset = buildDataset(spec);
    DebiasConfig config;
    config.stage1Epochs = config.stage2Epochs = SeedsEpochs;
    config.threads = 2;
    std::vector<double> one, three;
    for (int i = 0; i < SeedsRepeats; ++i) {
        for (auto [count, times] : {std::pair {1, &one}, std::pair {3, &three}}) {
            const std::string dir = freshBatchFolder();
            times->push_back(bench::timeRuns(1, [&] {
                runDebiasSeeds(config, consecutiveSeeds(0, count), dataset, {}, dir);
            }).front());
            std::filesystem::remove_all(dir);
        }
    }
    std::sort(one.begin(), one.end());
    std::sort(three.begin(), three.end());
    std::printf("Seeds at once on CMNIST-10k, %d + %d epochs, probes on, 2 threads, %d runs each (ratio = 3 seeds / 1 "
                "seed; target <= 1.5x, 3.0x = no gain over one after another)\n",
        SeedsEpochs, SeedsEpochs, SeedsRepeats);
    bench::printHeader("s");
    bench::printRow("--seeds 1 (baseline)", one, 0, bench::median(one));
    bench::printRow("--seeds 3", three, 0, bench::median(one));
    std::printf("  peak resident memory so far: %.2f GiB\n\n", peakResidentGiB());
}

} // namespace

int main(int argc, char **argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && std::strcmp(argv[1], "--seeds") == 0) {
        benchSeeds();
        return 0;
    }
    benchDataset("CMNIST-10k", DatasetKind::ColoredMnist10k, QuickEpochs);
    if (quick)
        return 0;
    benchFullRun();
    benchSeeds();
    benchDataset("Colored Fashion-MNIST", DatasetKind::ColoredFashion, 3);
    return 0;
}
