#pragma once
// model-internal: a module's parameters and buffers under one key of a checkpoint archive.

#include <torch/torch.h>

namespace untangle {

/** Weight decay of the ERM and LfF baselines: their official Colored MNIST configs train Adam without it. */
constexpr double BaselineWeightDecay = 0.0;

void saveModule(
    torch::serialize::OutputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module);
/** module.load(weights), then throws std::runtime_error (a reader adds its file's name) naming the first tensor whose
 * shape differs from the one the module was built with (torch's load would take it silently). */
void loadCheckedWeights(torch::nn::Module &module, torch::serialize::InputArchive &weights);
/** Loads in place (loadCheckedWeights); call before re-homing parameters into a FlatAdam (loading replaces the
 * parameter storage). */
void loadModule(
    torch::serialize::InputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module);

} // namespace untangle
