#pragma once

#include "datasetspec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace untangle {

/** The training methods the debias runner offers, all on the same data, metrics and run folder. */
enum class DebiasMethod {
    DeNetDM, // deep + shallow branches as a Product of Experts, then a distilled target (the paper)
    Erm, // the deep network alone, plain cross-entropy (the baseline every table starts from)
    Lff, // Learning from Failure: GCE-biased model + relative-difficulty reweighting (Nam et al. 2020)
};

/**
 * LfF settings: the official code's Colored MNIST recipe (alinlab/LfF config.py and module/mlp.py: batch 256, an MLP
 * with three hidden layers, the last partial batch kept) or ours (the DeNetDM code's MLP settings: batch 64, four
 * hidden layers, the last partial batch dropped). Everything else (Adam 1e-3 without decay, GCE q 0.7, EMA 0.7,
 * class-max normalisation) is the same in both. docs/methods/lff.md has the line-by-line comparison.
 */
enum class LffRecipe { Official, Untangle };

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

    bool stage1DropLast = true; // stage 1 skips the last partial batch (DeNetDM's code); the official LfF keeps it
    double lffQ = 0.7; // GCE exponent
    double lffEmaAlpha = 0.7; // per-sample loss EMA
    // The official LfF MLP divides its input by 255 although ToTensor already did: its first layer sees pixel/65025.
    // Off by default (it reads as an accident); on reproduces the official numbers' training dynamics.
    bool lffRescaleInputs = false;

    std::uint64_t seed = 0;
    int threads = 0; // 0 = defaultComputeThreads()
    int probeEveryIterations = 5; // decodability probes during the first epoch, then once per epoch (0 = off)
    int checkpointEveryEpochs = 1;
};

std::string methodKey(DebiasMethod method); // "denetdm", "erm", "lff"
bool parseMethodKey(const std::string &key, DebiasMethod &method);
std::string architectureKey(BranchArchitecture architecture); // "mlp", "cnn"
bool parseArchitectureKey(const std::string &key, BranchArchitecture &architecture);

std::string lffRecipeKey(LffRecipe recipe); // "official", "untangle"
bool parseLffRecipeKey(const std::string &key, LffRecipe &recipe);
/** Sets batch size, deep depth and stage-1 drop_last to the recipe's values. */
void applyLffRecipe(DebiasConfig &config, LffRecipe recipe);
/** The recipe a config matches, if any (for labels: "LfF (official)"). */
std::optional<LffRecipe> lffRecipeOf(const DebiasConfig &config);

/** The architecture a dataset calls for: CNN pair for corrupted data, MLPs for the rest. */
BranchArchitecture defaultArchitecture(DatasetKind kind);

/** Empty when the config can run; otherwise one line saying what is wrong. */
std::string validateConfig(const DebiasConfig &config);

/** Total epochs of all stages (for progress). */
int totalEpochs(const DebiasConfig &config);

} // namespace untangle
