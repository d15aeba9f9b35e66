#include "moduleio.h"

#include <map>
#include <sstream>
#include <stdexcept>

namespace untangle {

namespace {

std::map<std::string, std::vector<int64_t>> shapesOf(const torch::nn::Module &module)
{
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto &item : module.named_parameters())
        shapes[item.key()] = item.value().sizes().vec();
    for (const auto &item : module.named_buffers())
        shapes[item.key()] = item.value().sizes().vec();
    return shapes;
}

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::ostringstream text;
    text << '[';
    for (std::size_t i = 0; i < shape.size(); ++i)
        text << (i ? " x " : "") << shape[i];
    text << ']';
    return text.str();
}

} // namespace

void loadCheckedWeights(torch::nn::Module &module, torch::serialize::InputArchive &weights)
{
    // torch's load replaces each tensor with the file's, whatever its shape: a file whose recorded settings disagree
    // with its weights (an edited config.json, a damaged header) would otherwise load and fail later, far away.
    const auto expected = shapesOf(module);
    module.load(weights);
    for (const auto &[name, shape] : shapesOf(module)) {
        const auto wanted = expected.find(name);
        if (wanted != expected.end() && wanted->second != shape)
            throw std::runtime_error("the weights do not fit the network the settings describe: " + name + " is "
                + shapeText(shape) + " in the file, " + shapeText(wanted->second) + " for the settings");
    }
}

void saveModule(
    torch::serialize::OutputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module)
{
    torch::serialize::OutputArchive sub;
    module->save(sub);
    archive.write(key, sub);
}

void loadModule(
    torch::serialize::InputArchive &archive, const std::string &key, const std::shared_ptr<torch::nn::Module> &module)
{
    torch::serialize::InputArchive sub;
    archive.read(key, sub);
    loadCheckedWeights(*module, sub);
}

} // namespace untangle
