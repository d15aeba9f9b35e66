#include "selfcheck/scriptselfcheck.h"

#include "gan/generatorfile.h"
#include "gan/stylesampling.h"

#include <torch/script.h>

#include <cmath>

namespace untangle::selfcheck {

void writeScriptModule(const std::string &path, const ScriptModuleSpec &spec)
{
    torch::jit::Module module("Generator");
    for (const auto &[name, value] : spec.intAttributes)
        module.register_attribute(name, c10::IntType::get(), value);
    for (const auto &[name, value] : spec.floatAttributes)
        module.register_attribute(name, c10::FloatType::get(), value);
    auto source = at::make_generator<at::CPUGeneratorImpl>(spec.seed);
    for (const auto &[name, shape] : spec.parameters) {
        const double fanIn = shape.empty() ? 1.0 : double(shape.front());
        module.register_parameter(name, torch::randn(shape, source) / std::sqrt(fanIn), false);
    }
    module.define(spec.source);
    module.save(path);
}

GeneratorFacts describeGenerator(const std::string &path, int latentSizeHint)
{
    const auto generator = loadGenerator(path, latentSizeHint);
    const auto shape = generator->shape();
    const auto weight = generator->sefaWeight();
    return {shape.latentSize, shape.styleSize, shape.resolution, shape.channels, shape.hasStyleSpace,
        weight.defined() ? int(weight.size(0)) : 0, generator->description(), generator->fingerprint()};
}

std::vector<float> renderGenerator(const std::string &path, int latentSizeHint, int count, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto generator = loadGenerator(path, latentSizeHint);
    const auto z = sampleLatents(count, generator->shape().latentSize, seed);
    const auto images = generator->synthesis(generator->mapping(z)).contiguous();
    return std::vector<float>(images.data_ptr<float>(), images.data_ptr<float>() + images.numel());
}

double synthesisGradientNorm(const std::string &path, int latentSizeHint)
{
    auto generator = loadGenerator(path, latentSizeHint);
    torch::Tensor w;
    {
        torch::NoGradGuard noGrad;
        w = generator->mapping(sampleLatents(2, generator->shape().latentSize, 7));
    }
    w = w.detach().requires_grad_(true);
    generator->synthesis(w).sum().backward();
    return w.grad().norm().item<double>();
}

} // namespace untangle::selfcheck
