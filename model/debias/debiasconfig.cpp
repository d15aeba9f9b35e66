#include "debiasconfig.h"

namespace untangle {

std::string methodKey(DebiasMethod method)
{
    switch (method) {
    case DebiasMethod::DeNetDM:
        return "denetdm";
    case DebiasMethod::Erm:
        return "erm";
    case DebiasMethod::Lff:
        return "lff";
    }
    return "denetdm";
}

bool parseMethodKey(const std::string &key, DebiasMethod &method)
{
    for (auto m : {DebiasMethod::DeNetDM, DebiasMethod::Erm, DebiasMethod::Lff})
        if (methodKey(m) == key) {
            method = m;
            return true;
        }
    return false;
}

std::string architectureKey(BranchArchitecture architecture)
{
    return architecture == BranchArchitecture::Cnn ? "cnn" : "mlp";
}

bool parseArchitectureKey(const std::string &key, BranchArchitecture &architecture)
{
    if (key == "mlp" || key == "cnn") {
        architecture = key == "cnn" ? BranchArchitecture::Cnn : BranchArchitecture::Mlp;
        return true;
    }
    return false;
}

namespace {
struct LffRecipeValues {
    LffRecipe recipe;
    const char *key;
    int batchSize, deepDepth;
    bool dropLast;
};
// Official: config.py named config colored_mnist (main_batch_size 256), module/mlp.py (2352-100-100-100 + head =
// 4 linear layers), train.py's DataLoader without drop_last. Untangle: DebiasConfig's DeNetDM defaults.
constexpr LffRecipeValues LffRecipes[] = {
    {LffRecipe::Official, "official", 256, 4, false},
    {LffRecipe::Untangle, "untangle", 64, 5, true},
};
} // namespace

std::string lffRecipeKey(LffRecipe recipe)
{
    for (const auto &r : LffRecipes)
        if (r.recipe == recipe)
            return r.key;
    return "untangle";
}

bool parseLffRecipeKey(const std::string &key, LffRecipe &recipe)
{
    for (const auto &r : LffRecipes)
        if (key == r.key) {
            recipe = r.recipe;
            return true;
        }
    return false;
}

void applyLffRecipe(DebiasConfig &config, LffRecipe recipe)
{
    for (const auto &r : LffRecipes)
        if (r.recipe == recipe) {
            config.batchSize = r.batchSize;
            config.deepDepth = r.deepDepth;
            config.targetDepth = r.deepDepth;
            config.stage1DropLast = r.dropLast;
        }
}

std::optional<LffRecipe> lffRecipeOf(const DebiasConfig &config)
{
    for (const auto &r : LffRecipes)
        if (config.batchSize == r.batchSize && config.deepDepth == r.deepDepth && config.stage1DropLast == r.dropLast)
            return r.recipe;
    return std::nullopt;
}

BranchArchitecture defaultArchitecture(DatasetKind kind)
{
    return kind == DatasetKind::CorruptedFashion ? BranchArchitecture::Cnn : BranchArchitecture::Mlp;
}

std::string validateConfig(const DebiasConfig &c)
{
    if (!(c.dataset.ratio > 0.0 && c.dataset.ratio < 1.0) && datasetHasRatio(c.dataset.kind))
        return "ratio must be in (0, 1), got " + std::to_string(c.dataset.ratio);
    if (c.stage1Epochs <= 0)
        return "epochs must be positive, got " + std::to_string(c.stage1Epochs);
    if (c.method == DebiasMethod::DeNetDM && c.stage2Epochs < 0)
        return "stage-2 epochs must not be negative, got " + std::to_string(c.stage2Epochs);
    if (c.batchSize <= 0)
        return "batch size must be positive, got " + std::to_string(c.batchSize);
    if (!(c.learningRate > 0.0) || !(c.stage2LearningRate > 0.0))
        return "learning rates must be positive";
    // Upper bounds far above the paper's settings (depth 3-5, width 100, batch 64-256) and far below what allocates
    // gigabytes: a config read from a damaged file must not build a network that fills the memory.
    constexpr int MaxDepth = 64, MaxWidth = 4096, MaxBatch = 65536;
    if (c.deepDepth < 2 || c.shallowDepth < 2 || c.targetDepth < 2)
        return "depths count linear layers including the head and must be at least 2";
    if (c.deepDepth > MaxDepth || c.shallowDepth > MaxDepth || c.targetDepth > MaxDepth)
        return "depths must be at most " + std::to_string(MaxDepth);
    if (c.width <= 0 || c.width > MaxWidth)
        return "width must be from 1 to " + std::to_string(MaxWidth) + ", got " + std::to_string(c.width);
    if (c.batchSize > MaxBatch)
        return "batch size must be at most " + std::to_string(MaxBatch) + ", got " + std::to_string(c.batchSize);
    if (!(c.temperature > 0.0))
        return "temperature must be positive";
    if (!(c.lffQ > 0.0 && c.lffQ <= 1.0))
        return "LfF q must be in (0, 1]";
    return {};
}

int totalEpochs(const DebiasConfig &config)
{
    return config.stage1Epochs + (config.method == DebiasMethod::DeNetDM ? config.stage2Epochs : 0);
}

} // namespace untangle
