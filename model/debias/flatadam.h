#pragma once
// model-internal: Adam over one flat buffer.

#include <torch/torch.h>

#include <vector>

namespace untangle {

/**
 * torch.optim.Adam (coupled L2 weight decay, bias correction) over parameters re-homed into one contiguous buffer,
 * with their gradients pre-allocated as views of a second buffer, so a step is one fused loop instead of ~10 tensor
 * ops per parameter (libtorch 1.13's stock Adam dominated a small MLP's iteration here). The flat buffer also makes
 * snapshots (best epoch) and checkpoints one tensor copy.
 */
class FlatAdam {
public:
    struct Options {
        double learningRate = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double weightDecay = 0.0;
    };

    FlatAdam(const std::vector<torch::Tensor> &parameters, const Options &options);

    void zeroGrad();
    void step();

    /** All parameters, flat (a view of the live buffer: clone() to snapshot). */
    const torch::Tensor &flatParameters() const { return m_params; }
    /** Overwrites all parameters (e.g. restoring a snapshot). */
    void loadParameters(const torch::Tensor &flat);
    bool gradientsFinite() const;

    void save(torch::serialize::OutputArchive &archive, const std::string &prefix) const;
    void load(torch::serialize::InputArchive &archive, const std::string &prefix);

private:
    Options m_options;
    torch::Tensor m_params, m_grads, m_exp, m_expSq;
    long long m_step = 0;
};

} // namespace untangle
