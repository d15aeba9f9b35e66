#pragma once
// Std-only helpers for TorchScript generator tests: build modules in C++ (no Python) and inspect what loads.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace untangle::selfcheck {

/** A TorchScript module to write: attributes and parameters first, then methods compiled against them. */
struct ScriptModuleSpec {
    /** TorchScript source, e.g. "def forward(self, z):\n    return torch.tanh(...)\n" (several defs allowed). */
    std::string source;
    std::vector<std::pair<std::string, std::int64_t>> intAttributes; // e.g. {"latent_size", 8}
    std::vector<std::pair<std::string, double>> floatAttributes; // e.g. a wrongly typed {"z_dim", 8.0}
    /** Parameters (name, shape), seeded N(0, 1 / shape[0]) so a matmul keeps activations near unit scale. */
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> parameters;
    std::uint64_t seed = 1;
};

/** Compiles and saves the module (torch::jit::Module::save). Throws std::runtime_error when the source does not
 * compile. */
void writeScriptModule(const std::string &path, const ScriptModuleSpec &spec);

/** What loadGenerator(path, hint) reports about a generator. */
struct GeneratorFacts {
    int latentSize = 0;
    int styleSize = 0;
    int resolution = 0;
    int channels = 0;
    bool hasStyleSpace = false;
    int sefaRows = 0; // rows of the SeFa weight; 0 when the generator exposes none
    std::string description;
    std::string fingerprint; // of the weights; empty when the module lists none
};
/** Throws DataError as loadGenerator does. */
GeneratorFacts describeGenerator(const std::string &path, int latentSizeHint = 0);

/** count images for seeded z through loadGenerator(path, hint): mapping then synthesis, row-major NCHW floats. */
std::vector<float> renderGenerator(const std::string &path, int latentSizeHint, int count, std::uint64_t seed);

/** Norm of d sum(synthesis(w)) / d w for seeded w: > 0 shows SRE's direction step can back-propagate through
 *  the frozen module (docs/methods/sre.md, pitfall 5). */
double synthesisGradientNorm(const std::string &path, int latentSizeHint);

} // namespace untangle::selfcheck
