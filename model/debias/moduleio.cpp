#include "moduleio.h"

namespace untangle {

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
    module->load(sub);
}

} // namespace untangle
