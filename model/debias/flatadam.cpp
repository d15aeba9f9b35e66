#include "flatadam.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace untangle {
namespace {
constexpr std::int64_t AdamGrain = 1 << 15; // elements per task: big enough that splitting pays for itself
}

FlatAdam::FlatAdam(const std::vector<torch::Tensor> &parameters, const Options &options)
    : m_options(options)
{
    std::int64_t total = 0;
    for (const auto &p : parameters)
        total += p.numel();
    const auto floats = torch::TensorOptions().dtype(torch::kFloat32);
    m_params = torch::empty({total}, floats);
    m_grads = torch::zeros({total}, floats);
    m_exp = torch::zeros({total}, floats);
    m_expSq = torch::zeros({total}, floats);

    torch::NoGradGuard noGrad;
    std::int64_t offset = 0;
    for (auto p : parameters) {
        const std::int64_t n = p.numel();
        auto slot = m_params.narrow(0, offset, n);
        slot.copy_(p.detach().reshape({n}));
        p.set_data(slot.view(p.sizes()));
        // Autograd accumulates in place into an existing gradient, so backward() writes straight into m_grads.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        offset += n;
    }
}

void FlatAdam::zeroGrad()
{
    m_grads.zero_();
}

void FlatAdam::step()
{
    ++m_step;
    const double bias1 = 1.0 - std::pow(m_options.beta1, double(m_step));
    const double bias2 = 1.0 - std::pow(m_options.beta2, double(m_step));
    const float stepSize = float(m_options.learningRate / bias1);
    const float invSqrtBias2 = float(1.0 / std::sqrt(bias2));
    const float b1 = float(m_options.beta1), b2 = float(m_options.beta2);
    const float eps = float(m_options.eps), decay = float(m_options.weightDecay);

    float *p = m_params.data_ptr<float>();
    const float *g = m_grads.data_ptr<float>();
    float *m = m_exp.data_ptr<float>();
    float *v = m_expSq.data_ptr<float>();
    // One fused pass, split over LibTorch's intra-op threads; compiled with -fno-math-errno so sqrt vectorises.
    at::parallel_for(0, m_params.numel(), AdamGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            const float grad = g[i] + decay * p[i];
            m[i] = b1 * m[i] + (1.0f - b1) * grad;
            v[i] = b2 * v[i] + (1.0f - b2) * grad * grad;
            p[i] -= stepSize * m[i] / (std::sqrt(v[i]) * invSqrtBias2 + eps);
        }
    });
}

void FlatAdam::loadParameters(const torch::Tensor &flat)
{
    torch::NoGradGuard noGrad;
    m_params.copy_(flat);
}

bool FlatAdam::gradientsFinite() const
{
    return torch::isfinite(m_grads).all().item<bool>();
}

void FlatAdam::save(torch::serialize::OutputArchive &archive, const std::string &prefix) const
{
    archive.write(prefix + "params", m_params);
    archive.write(prefix + "exp", m_exp);
    archive.write(prefix + "exp_sq", m_expSq);
    archive.write(prefix + "step", torch::tensor(std::int64_t(m_step), torch::kInt64));
}

void FlatAdam::load(torch::serialize::InputArchive &archive, const std::string &prefix)
{
    torch::Tensor params, exp, expSq, step;
    archive.read(prefix + "params", params);
    archive.read(prefix + "exp", exp);
    archive.read(prefix + "exp_sq", expSq);
    archive.read(prefix + "step", step);
    if (params.numel() != m_params.numel())
        throw std::runtime_error("checkpoint holds " + std::to_string(params.numel()) + " parameters, the model has "
            + std::to_string(m_params.numel()) + " (different architecture?)");
    torch::NoGradGuard noGrad;
    m_params.copy_(params);
    m_exp.copy_(exp);
    m_expSq.copy_(expSq);
    m_step = step.item<std::int64_t>();
}

} // namespace untangle
