// Retrieval costs (docs/methods/sre.md §5, §7.6): encoding a 5000-image Sprites pool at 64 x 64 with the light CNN
// (images/s against the FLOP bound from a GEMM measured in the same run), reading it back from the score cache, and
// one retrieve() on the 5000 scores. Usage: bench_retrieval [threads] (default 2).
#include "benchtable.h"

#include "computeruntime.h"
#include "gemmthroughput.h"
#include "retrieval/retrieval.h"
#include "selfcheck/retrievalselfcheck.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

using namespace untangle;

namespace {

constexpr int PoolSize = 5000;
constexpr int Resolution = 64;
constexpr int Directions = 10; // K of the reproduction (docs/methods/sre.md §7.3)
constexpr int Hidden = 256; // the light CNN's real width (docs/methods/sre.md §4.1)
constexpr int EncodeRepeats = 3; // each encode is seconds; 3 gives a median without hogging the shared machine
constexpr int RetrieveRepeats = 2001;

} // namespace

int main(int argc, char **argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    configureComputeThread(threads);
    const auto dir
        = std::filesystem::temp_directory_path() / ("untangle-bench-retrieval-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string scoreFile = (dir / "sre.pt").string();
    selfcheck::writeRandomScoreNetwork(scoreFile, 1, Resolution, Directions, 1, "sre-estimator", Hidden);

    RetrievalPoolSpec spec;
    spec.count = PoolSize;
    spec.resolution = Resolution;
    RetrievalPool pool;
    const auto render = bench::timeRuns(3, [&] { pool = buildRetrievalPool(spec); });

    const ScoreEncoder encoder(scoreFile);
    const double macs = encoder.macsPerImage();
    const double gflops = measureGemmGflops(256, 1024, 256, threads, 9);
    const double boundSeconds = 2.0 * macs * PoolSize / (gflops * 1e9);

    Matrix scores;
    const auto encode = bench::timeRuns(EncodeRepeats, [&] { scores = encoder.encodePool(pool); });
    const std::string cacheDir = (dir / "cache").string();
    encodePoolCached(scoreFile, pool, cacheDir); // writes the cache
    const auto cached = bench::timeRuns(5, [&] {
        if (!encodePoolCached(scoreFile, pool, cacheDir).fromCache)
            std::printf("cache miss!\n");
    });
    const auto query = poolScoresOf(scores, 17);
    const auto retrieveRuns = bench::timeRuns(RetrieveRepeats, [&] { retrieve(scores, query, 3, 5, 17); });
    RetrievalScoringOptions options;
    const auto scoring = bench::timeRuns(3, [&] {
        for (int k = 0; k < Directions; ++k)
            scoreRetrievalDirection(scores, pool.factors, pool.factorNames, pool.factorKinds, k, options);
    });

    std::printf("Retrieval on %d Sprites at %d px, light CNN (hidden %d, K %d), %d threads\n", PoolSize, Resolution,
        Hidden, Directions, threads);
    std::printf("GEMM %.1f GFLOP/s; light CNN %.2f MMAC/image -> FLOP bound %.3f s per pool (%.0f images/s)\n", gflops,
        macs / 1e6, boundSeconds, PoolSize / boundSeconds);
    bench::printHeader("s");
    bench::printRow("render pool", render, 0, 0);
    bench::printRow("encode pool (network)", encode, 0, boundSeconds);
    bench::printRow("encode pool (cache hit)", cached, 0, boundSeconds);
    bench::printRow("retrieve k=5 (ms)", retrieveRuns, 0, 0, "ms", 1e3);
    bench::printRow("score 10 directions, Q=100", scoring, 0, 0);
    std::printf("encode throughput: %.0f images/s (median), %.0f images/s (best)\n", PoolSize / bench::median(encode),
        PoolSize / encode.front());
    std::filesystem::remove_all(dir);
    return 0;
}
