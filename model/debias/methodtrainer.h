#pragma once
// model-internal: what a debias method plugs into the shared training loop (DebiasSession).

#include "branches.h"
#include "debiasconfig.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace untangle {

/** Losses of one batch: the objective's mean, and per-sample CE of the trained prediction (for aligned/conflicting). */
struct BatchLoss {
    torch::Tensor loss; // scalar objective (already stepped)
    torch::Tensor perSample; // B, detached
    double poe = 0.0;
    double distill = 0.0;
};

/** A method: its stages, its per-batch step, its heads, and the branches probes and hard-sample ranking look at. */
class MethodTrainer {
public:
    virtual ~MethodTrainer() = default;

    virtual int stageCount() const { return 1; }
    virtual int epochs(int stage) const = 0;
    virtual bool dropLast(int stage) const { return stage == 1; }
    /** Called before the first epoch of a stage (fresh run) to build what the stage trains. */
    virtual void beginStage(int stage, const torch::Tensor &trainImages) = 0;
    /** One optimizer step on a batch; sampleIndex holds the batch's train indices (LfF keeps per-sample state). */
    virtual BatchLoss trainBatch(
        const torch::Tensor &images, const torch::Tensor &targets, const torch::Tensor &sampleIndex)
        = 0;
    virtual void setTraining(bool training) = 0;

    /** Head names evaluated in a stage, and their logits for a batch (same order). */
    virtual std::vector<std::string> heads(int stage) const = 0;
    virtual std::vector<torch::Tensor> headLogits(int stage, const torch::Tensor &images) = 0;
    /** The head whose valid accuracy selects the epoch, and which summary of it. */
    virtual std::string selectionHead(int stage) const = 0;
    virtual bool selectOnConflicting(int stage) const { return false; }
    /** The head users deploy at the end. */
    virtual std::string finalHead() const = 0;

    /** Branches to probe in a stage and their features. */
    virtual std::vector<std::string> probeBranches(int stage) const = 0;
    virtual torch::Tensor branchFeatures(const std::string &branch, const torch::Tensor &images) = 0;
    /** Per-sample CE of the biased branch (the one expected to follow the shortcut), and its name. */
    virtual std::string biasedBranch() const = 0;
    virtual torch::Tensor biasedLosses(const torch::Tensor &images, const torch::Tensor &targets) = 0;

    /** Everything trainable or stateful in the current stage (parameters and buffers), for snapshots. */
    virtual std::vector<torch::Tensor> stageState(int stage) = 0;

    virtual void save(torch::serialize::OutputArchive &archive) const = 0;
    virtual void load(torch::serialize::InputArchive &archive, int stage, const torch::Tensor &trainImages) = 0;
};

/** Builds the trainer for config.method. */
std::unique_ptr<MethodTrainer> makeMethodTrainer(
    const DebiasConfig &config, const InputShape &shape, int numClasses, int trainCount);

/** Helpers shared by the trainers. */
std::vector<torch::Tensor> parametersOf(const std::vector<std::shared_ptr<torch::nn::Module>> &modules);
std::vector<torch::Tensor> stateOf(const std::vector<std::shared_ptr<torch::nn::Module>> &modules);

} // namespace untangle
