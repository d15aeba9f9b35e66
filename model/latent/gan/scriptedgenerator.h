#pragma once
// model-internal: a generator exported from PyTorch as a TorchScript module (torch.jit.script / trace + save).
#include "dataerror.h"
#include "gan/generator.h"

#include <string>
#include <torch/script.h>

namespace untangle {

/** Module attributes (int) that may carry the latent size, checked in this order. */
constexpr const char *ScriptLatentSizeAttributes[] = {"latent_size", "z_dim", "latent_dim"};
/** The tolerance on the [-1, 1] range: exported tanh outputs in float32 can overshoot by rounding only. */
constexpr double ScriptRangeTolerance = 1e-3;
/** The smallest image side accepted: below it the score networks (4 stride-2 convs) cannot run. */
constexpr int ScriptMinResolution = 8;
/** Seed of the probe latents, fixed so a failing module fails the same way every time. */
constexpr std::uint64_t ScriptProbeSeed = 20240229;
/** Largest latent size a module may declare (or a user give): StyleGAN's 512 with room to spare; a bigger value is a
 *  damaged attribute, and it must not be truncated into a small one (2^32 + 64 read as 64). */
constexpr std::int64_t ScriptMaxLatentSize = 65536;
/**
 * Seconds the probe (forward, mapping, synthesis and sefa_weight at batch 2) may take before the module is refused:
 * StyleGAN2 at 1024 px takes a few seconds on a laptop CPU, a module whose forward never returns would hang the app.
 * The environment variable UNTANGLE_SCRIPT_PROBE_SECONDS overrides it (the bad-input tests use 2 s).
 */
constexpr double ScriptProbeSeconds = 60.0;

/** The file could not be opened as a TorchScript module at all (as opposed to a module that fails the checks);
 *  loadGenerator uses it to say the file is neither of the formats it knows. */
class NotTorchScriptError : public DataError {
public:
    NotTorchScriptError(const std::string &path, const std::string &reason_)
        : DataError(path + " is not a TorchScript module: " + reason_)
        , reason(reason_)
    {
    }
    std::string reason; // what torch::jit::load said, first line
};

/**
 * A TorchScript generator, the contract for users exporting from PyTorch:
 *   forward(z) -> image, z (B, latentSize) float32, image (B, C, R, R), C 1 or 3, in [-1, 1];
 *   optional mapping(z) -> w (B, styleSize) and synthesis(w) -> image (both or neither) for W-space editing;
 *   an int attribute latent_size, z_dim or latent_dim, or the caller's hint;
 *   optional sefa_weight (tensor attribute or method), (outputs x styleSize), for SeFa.
 * Loading freezes the parameters, sets eval mode, and runs one seeded probe at batch 2 that checks all of the above,
 * so a bad export fails at load with a message rather than later inside SRE training. The probe runs on its own
 * thread with a time limit (ScriptProbeSeconds): a TorchScript call cannot be interrupted, so a module that does not
 * return in time is refused and its thread is detached, left running (and holding the module) until the process
 * ends. That costs a core in a long-lived GUI, which is the price of answering at all; the CLI exits right away.
 */
class ScriptedGenerator : public Generator {
public:
    /** Throws NotTorchScriptError when the file is not a module, DataError naming the file and the problem otherwise.
     */
    static std::shared_ptr<ScriptedGenerator> load(const std::string &path, int latentSizeHint = 0);

    GeneratorShape shape() const override { return m_shape; }
    torch::Tensor mapping(const torch::Tensor &z) override;
    torch::Tensor synthesis(const torch::Tensor &w) override;
    torch::Tensor sefaWeight() const override { return m_sefaWeight; }
    std::string description() const override { return "TorchScript " + m_path; }
    std::string fingerprint() const override { return m_fingerprint; }

private:
    ScriptedGenerator(torch::jit::Module module, std::string path);
    void resolveLatentSize(int hint);
    static void probeWithTimeLimit(const std::shared_ptr<ScriptedGenerator> &generator);
    void probe();
    void readSefaWeight();
    torch::Tensor callTensor(const char *method, const torch::Tensor &input, const std::string &inputWhat);
    [[noreturn]] void fail(const std::string &problem) const;

    torch::jit::Module m_module;
    std::string m_path;
    std::string m_fingerprint;
    GeneratorShape m_shape;
    torch::Tensor m_sefaWeight;
};

} // namespace untangle
