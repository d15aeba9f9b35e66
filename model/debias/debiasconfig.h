#pragma once

#include "datasetspec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The training methods the debias runner offers, all on the same data, metrics and run folder. */
enum class DebiasMethod {
    DeNetDM, // deep + shallow branches as a Product of Experts, then a distilled target (the paper)
    Erm, // the deep network alone, plain cross-entropy (the baseline every table starts from)
    Lff, // Learning from Failure: GCE-biased model + relative-difficulty reweighting (Nam et al. 2020)
};

/** Branch family: MLPs on flattened pixels (coloured data) or the CNN pair (corrupted data). */
enum class BranchArchitecture { Mlp, Cnn };

/**
 * Everything that determines a debias run. Defaults are the paper's Colored MNIST settings
 * (docs/methods/denetdm.md §2-§3). Depths count linear layers including the shared head, as the paper's code and
 * Table 5 do: deep 5 = 2352-100 + three 100-100 + head, shallow 3 = 2352-100 + one 100-100 + head.
 */
struct DebiasConfig {
    DebiasMethod method = DebiasMethod::DeNetDM;
    DatasetSpec dataset;
    BranchArchitecture architecture = BranchArchitecture::Mlp;
    int deepDepth = 5;
    int shallowDepth = 3;
    int targetDepth = 5; // stage-2 target branch: same shape as the deep one
    int width = 100;

    int stage1Epochs = 100;
    int stage2Epochs = 100;
    int batchSize = 64;
    double learningRate = 1e-3;
    double weightDecay = 1e-3; // stage 1 (coupled L2, as torch.optim.Adam)
    double stage2LearningRate = 1e-3;
    double stage2WeightDecay = 0.0;
    double temperature = 2.0; // distillation temperature tau
    double poeWeight = 1.0;
    double distillWeight = 1.0;

    double lffQ = 0.7; // GCE exponent
    double lffEmaAlpha = 0.7; // per-sample loss EMA

    std::uint64_t seed = 0;
    int threads = 0; // 0 = defaultComputeThreads()
    int probeEveryIterations = 5; // decodability probes during the first epoch, then once per epoch (0 = off)
    int checkpointEveryEpochs = 1;
};

std::string methodKey(DebiasMethod method); // "denetdm", "erm", "lff"
bool parseMethodKey(const std::string &key, DebiasMethod &method);
std::string architectureKey(BranchArchitecture architecture); // "mlp", "cnn"
bool parseArchitectureKey(const std::string &key, BranchArchitecture &architecture);

/** The architecture a dataset calls for: CNN pair for corrupted data, MLPs for the rest. */
BranchArchitecture defaultArchitecture(DatasetKind kind);

/** Empty when the config can run; otherwise one line saying what is wrong. */
std::string validateConfig(const DebiasConfig &config);

/** Total epochs of all stages (for progress). */
int totalEpochs(const DebiasConfig &config);

} // namespace untangle
