#include "gan/stylesampling.h"

#include <stdexcept>
#include <string>

namespace untangle {

torch::Tensor sampleLatents(int n, int latentSize, std::uint64_t seed)
{
    auto source = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn({n, latentSize}, source, torch::kFloat32);
}

torch::Tensor styleMean(Generator &generator, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    const auto z = sampleLatents(StyleMeanSamples, generator.shape().latentSize, seed);
    return generator.mapping(z).mean(0, true);
}

torch::Tensor truncatedStyles(Generator &generator, const torch::Tensor &z, const torch::Tensor &mean, double psi)
{
    torch::NoGradGuard noGrad;
    auto w = generator.mapping(z);
    if (psi != 1.0)
        w = mean + psi * (w - mean);
    return w;
}

torch::Tensor truncatedStylesAroundMean(Generator &generator, const torch::Tensor &z, double psi)
{
    if (!(psi > 0.0 && psi <= 1.0))
        throw std::invalid_argument("truncation psi must be in (0, 1], got " + std::to_string(psi));
    return truncatedStyles(generator, z, psi != 1.0 ? styleMean(generator) : torch::Tensor(), psi);
}

torch::Tensor styleStdAlong(const torch::Tensor &styles, const torch::Tensor &directions)
{
    return torch::matmul(styles, directions.t()).std(0);
}

} // namespace untangle
