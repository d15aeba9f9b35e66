#include "methodtrainer.h"

#include "denetdmtrainer.h"
#include "ermtrainer.h"
#include "lfftrainer.h"

namespace untangle {

std::unique_ptr<MethodTrainer> makeMethodTrainer(
    const DebiasConfig &config, const InputShape &shape, int numClasses, int trainCount)
{
    switch (config.method) {
    case DebiasMethod::Erm:
        return std::make_unique<ErmTrainer>(config, shape, numClasses);
    case DebiasMethod::Lff:
        return std::make_unique<LffTrainer>(config, shape, numClasses, trainCount);
    case DebiasMethod::DeNetDM:
        break;
    }
    return std::make_unique<DeNetDmTrainer>(config, shape, numClasses);
}

std::vector<torch::Tensor> parametersOf(const std::vector<std::shared_ptr<torch::nn::Module>> &modules)
{
    std::vector<torch::Tensor> out;
    for (const auto &module : modules)
        for (const auto &p : module->parameters())
            out.push_back(p);
    return out;
}

std::vector<torch::Tensor> stateOf(const std::vector<std::shared_ptr<torch::nn::Module>> &modules)
{
    std::vector<torch::Tensor> out = parametersOf(modules);
    for (const auto &module : modules)
        for (const auto &b : module->buffers())
            out.push_back(b);
    return out;
}

} // namespace untangle
