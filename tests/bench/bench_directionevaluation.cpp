// Cost of one disentanglement evaluation (evaluateDirections) per phase, to budget the experiment grid
// (3 methods x before/after SRE x seeds). Default: the protocol's default counts on a random built-in generator with
// StyleGeneratorConfig's defaults (64 x 64, style 64), K = 10 GANSpace directions, 2 threads.
// Usage: bench_directionevaluation [resolution 32|64] [K] [threads] [images] [epochs] [samplingPool, 0 = on the fly]
#include "computeruntime.h"
#include "directions/latentdirections.h"
#include "evaluation/directionevaluation.h"
#include "selfcheck/evaluationselfcheck.h"
#include "selfcheck/latentselfcheck.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

using namespace untangle;

int main(int argc, char **argv)
{
    const int resolution = argc > 1 ? std::atoi(argv[1]) : 64;
    const int k = argc > 2 ? std::atoi(argv[2]) : 10;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    EvaluationOptions options;
    if (argc > 4)
        options.images = std::atoi(argv[4]);
    if (argc > 5)
        options.epochs = std::atoi(argv[5]);
    if (argc > 6)
        options.samplingPool = std::atoi(argv[6]);
    configureComputeThread(threads);
    std::printf("%s\n", describeComputeRuntime().c_str());

    const auto dir = std::filesystem::temp_directory_path() / "untangle-bench-evaluation";
    std::filesystem::create_directories(dir);
    const std::string generator = (dir / "generator.pt").string();
    selfcheck::TinyGenerator defaults; // StyleGeneratorConfig's defaults
    defaults.latentSize = 64;
    defaults.styleSize = 64;
    defaults.resolution = resolution;
    defaults.baseChannels = 128;
    defaults.minChannels = 8;
    selfcheck::writeRandomStyleGenerator(generator, defaults);
    const auto styles = selfcheck::sampleStyles(generator, 5000, 1);
    const auto found = ganspaceDirections(styles, k);
    const auto directions = DirectionSet::fromMatrix("ganspace", found.directions, found.scores);

    std::string lastPhase;
    const ProgressFn progress = [&lastPhase](double fraction, const std::string &what) {
        if (what != lastPhase) { // phases and epochs change the text
            std::printf("  %5.1f%% %s\n", 100.0 * fraction, what.c_str());
            std::fflush(stdout);
            lastPhase = what;
        }
        return true;
    };
    const auto e = evaluateDirections(generator, directions, options, progress);
    const auto &t = e.timings;
    std::printf("\nresolution %d, K %d, %d threads, %d images, %d epochs run (best %d), sampling pool %d\n", resolution,
        k, threads, options.images, e.distillation.epochsRun, e.distillation.bestEpoch, options.samplingPool);
    std::printf("%-40s %9s\n", "phase", "seconds");
    std::printf("%-40s %9.1f\n", "generation (distillation images)", t.generation);
    std::printf("%-40s %9.1f\n", "distillation, all epochs", t.distillation);
    std::printf("%-40s %9.1f\n", "  per epoch", t.secondsPerEpoch);
    std::printf("%-40s %9.1f\n", "encoding MIG + DCI sprites", t.encoding);
    std::printf("%-40s %9.1f\n", "encoding the FactorVAE/beta-VAE pool", t.samplingPool);
    std::printf("%-40s %9.1f\n", "MIG", t.mig);
    std::printf("%-40s %9.1f\n", "DCI", t.dci);
    std::printf("%-40s %9.1f\n", "FactorVAE (rendering + encoding)", t.factorVae);
    std::printf("%-40s %9.1f\n", "beta-VAE (rendering + encoding)", t.betaVae);
    std::printf("%-40s %9.1f\n", "noise floors", t.noiseFloors);
    std::printf("%-40s %9.1f\n", "total", t.total);
    std::printf("\nheld-out MSE per epoch:");
    for (double mse : e.distillation.heldOutMsePerEpoch)
        std::printf(" %.3f", mse);
    std::printf("\n%s\n", formatEvaluationSummary(e).c_str());
    std::filesystem::remove_all(dir);
    return 0;
}
