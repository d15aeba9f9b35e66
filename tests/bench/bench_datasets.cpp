// Dataset build times against their targets (CMNIST-10k <= 0.3 s, Colored Fashion-MNIST <= 2 s).
// Baseline in the same run: copying as many bytes as the dataset holds (a floor no builder can beat), so the
// ratio column says how far each build is from pure memory bandwidth on this (shared, noisy) machine.
#include "benchtable.h"

#include "datasetfactory.h"
#include "greysourcecache.h"

#include <cstring>
#include <vector>

using namespace untangle;

namespace {

constexpr int Repeats = 9; // odd, so the median is one real run

std::size_t datasetBytes(const BiasedDataset &d)
{
    return d.train.pixels.size() + d.valid.pixels.size() + d.test.pixels.size();
}

double copyBaseline(std::size_t bytes)
{
    std::vector<std::uint8_t> from(bytes, 1), to(bytes);
    return bench::median(bench::timeRuns(Repeats, [&] { std::memcpy(to.data(), from.data(), bytes); }));
}

void benchKind(const char *name, DatasetKind kind, double target, int repeats = Repeats)
{
    DatasetSpec spec;
    spec.kind = kind;
    std::size_t bytes = 0;
    try {
        // The first build reads and caches the source files: timed separately as the cold case.
        const auto cold = bench::timeRuns(1, [&] { bytes = datasetBytes(buildDataset(spec)); });
        const auto warm = bench::timeRuns(repeats, [&] { buildDataset(spec); });
        const double baseline = copyBaseline(bytes);
        bench::printRow(std::string(name) + " (warm)", warm, target, baseline);
        bench::printRow(std::string(name) + " (cold, reads files)", cold, 0, baseline);
    } catch (const std::exception &error) {
        std::printf("%-34s skipped: %s\n", name, error.what());
    }
}

} // namespace

int main()
{
    std::printf("Dataset build times, %d runs each (seconds)\n", Repeats);
    bench::printHeader("s");
    benchKind("CMNIST-10k", DatasetKind::ColoredMnist10k, 0.3);
    benchKind("Colored Fashion-MNIST", DatasetKind::ColoredFashion, 2.0);
    benchKind("Corrupted Fashion-MNIST", DatasetKind::CorruptedFashion, 0, 3);
    benchKind("Sprites 32x32", DatasetKind::Sprites, 0);
    return 0;
}
