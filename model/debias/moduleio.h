#pragma once
// model-internal: a module's parameters and buffers under one key of a checkpoint archive.

#include <torch/torch.h>

namespace untangle {

/** Weight decay of the ERM and LfF baselines: their official Colored MNIST configs train Adam without it. */
constexpr double BaselineWeightDecay = 0.0;

void saveModule(
    torch::serialize::OutputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module);
/** Loads in place; call before re-homing parameters into a FlatAdam (loading replaces the parameter storage). */
void loadModule(
    torch::serialize::InputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module);

} // namespace untangle
