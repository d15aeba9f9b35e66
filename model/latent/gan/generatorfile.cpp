#include "gan/generatorfile.h"

#include "atomicfile.h"
#include "checkpointarchive.h"
#include "dataerror.h"
#include "errortext.h"
#include "gan/scriptedgenerator.h"
#include "moduleio.h"
#include "ziparchivecheck.h"

#include <filesystem>
#include <sstream>

namespace untangle {

namespace {

constexpr const char *FormatKey = "untangle_style_generator_v1";

/** Whether the file is an archive with the built-in generator's marker (its tensors are checked when it is read). */
bool isBuiltinFile(const std::string &path)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        torch::Tensor marker;
        return archive.try_read(FormatKey, marker);
    } catch (const std::exception &) {
        return false;
    }
}

} // namespace

void saveStyleGenerator(const StyleNetwork &network, const std::string &path)
{
    torch::serialize::OutputArchive archive;
    archive.write(FormatKey, torch::ones({1}));
    writeStyleConfig(archive, network->config);
    torch::serialize::OutputArchive weights;
    network->save(weights);
    archive.write("network", weights);
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(path, bytes.str());
}

StyleNetwork loadStyleNetwork(const std::string &path)
{
    checkZipArchive(path, "cannot read generator"); // torch checks no CRC and can crash on a damaged archive
    try {
        torch::serialize::InputArchive archive;
        loadArchiveFile(archive, path);
        torch::Tensor marker;
        if (!archive.try_read(FormatKey, marker))
            throw DataError(path + " is not a built-in Untangle generator");
        StyleNetwork network(readStyleConfig(archive));
        torch::serialize::InputArchive weights;
        archive.read("network", weights);
        loadCheckedWeights(*network, weights);
        return network;
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        throw DataError("cannot read generator " + path + ": " + conciseError(error));
    }
}

GeneratorPtr loadGenerator(const std::string &path, int latentSizeHint)
{
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::exists(path, error))
        throw DataError("generator " + path + " does not exist");
    std::string file = path;
    if (fs::is_directory(path, error)) {
        file = (fs::path(path) / GeneratorFileName).string();
        if (!fs::exists(file, error))
            throw DataError(path + " is a folder without " + GeneratorFileName + " (not a GAN run folder)");
    }
    // Before torch sees the file: torch checks no CRC and its TorchScript parser can crash on a damaged archive.
    if (const std::string problem = zipArchiveProblem(file); !problem.empty())
        throw DataError(file + " is neither a built-in Untangle generator nor a TorchScript module (" + problem
            + "; damaged, or not a torch file)");
    if (isBuiltinFile(file)) {
        auto network = loadStyleNetwork(file);
        const bool proGan = network->config.synthesis == StyleGeneratorConfig::Synthesis::ProGan;
        return std::make_shared<StyleGenerator>(network, (proGan ? "built-in ProGAN " : "built-in style GAN ") + file);
    }
    try {
        return ScriptedGenerator::load(file, latentSizeHint);
    } catch (const NotTorchScriptError &error) {
        // Both readers failed: say what the file would have to be, then why TorchScript refused it.
        throw DataError(
            file + " is neither a built-in Untangle generator nor a TorchScript module (" + error.reason + ")");
    }
}

} // namespace untangle
