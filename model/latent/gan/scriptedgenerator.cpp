#include "gan/scriptedgenerator.h"

#include "checkpointarchive.h"
#include "gan/stylesampling.h"
#include "gan/weightsfingerprint.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <sstream>
#include <thread>

namespace untangle {

namespace {

/** First line of an exception's text: c10::Error carries a long C++ / TorchScript backtrace users cannot act on. */
std::string firstLines(const std::exception &error)
{
    std::string text;
    if (const auto *c10Error = dynamic_cast<const c10::Error *>(&error))
        text = c10Error->what_without_backtrace();
    else
        text = error.what();
    constexpr std::size_t MaxMessage = 400; // enough for TorchScript's "Expected ... but got ..." lines
    const auto end = text.find('\n');
    if (end != std::string::npos)
        text = text.substr(0, end);
    return text.substr(0, MaxMessage);
}

std::string shapeText(const torch::Tensor &tensor)
{
    std::ostringstream text;
    text << '[';
    for (int64_t d = 0; d < tensor.dim(); ++d)
        text << (d ? ", " : "") << tensor.size(d);
    text << ']';
    return text.str();
}

std::string shortNumberText(double value)
{
    std::ostringstream text;
    text.precision(3);
    text << value;
    return text.str();
}

/** ScriptProbeSeconds, or UNTANGLE_SCRIPT_PROBE_SECONDS when that is a positive shortNumberText. */
double probeSecondsLimit()
{
    if (const char *text = std::getenv("UNTANGLE_SCRIPT_PROBE_SECONDS")) {
        char *end = nullptr;
        const double seconds = std::strtod(text, &end);
        if (end != text && seconds > 0.0 && std::isfinite(seconds))
            return seconds;
    }
    return ScriptProbeSeconds;
}

} // namespace

ScriptedGenerator::ScriptedGenerator(torch::jit::Module module, std::string path)
    : m_module(std::move(module))
    , m_path(std::move(path))
{
}

std::shared_ptr<ScriptedGenerator> ScriptedGenerator::load(const std::string &path, int latentSizeHint)
{
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU);
    } catch (const std::exception &error) {
        throw NotTorchScriptError(path, firstLines(error));
    }
    checkStoredTensors(module._ivalue(), path); // a record cut short would be read past its end
    std::shared_ptr<ScriptedGenerator> generator(new ScriptedGenerator(std::move(module), path));
    // Frozen before the probe: SRE back-propagates into w only (docs/methods/sre.md, pitfall 5), never into the
    // user's weights.
    std::vector<torch::Tensor> weights;
    for (auto parameter : generator->m_module.parameters()) {
        parameter.set_requires_grad(false);
        weights.push_back(parameter);
    }
    for (const auto &buffer : generator->m_module.buffers())
        weights.push_back(buffer);
    // A frozen module (torch.jit.freeze) keeps its weights as constants, which a module does not list: it gets no
    // fingerprint rather than one that every such module would share.
    if (!weights.empty())
        generator->m_fingerprint = weightsFingerprint(weights);
    generator->m_module.eval();
    if (!generator->m_module.find_method("forward"))
        generator->fail("the module has no forward(z) method");
    generator->resolveLatentSize(latentSizeHint);
    probeWithTimeLimit(generator);
    return generator;
}

void ScriptedGenerator::probeWithTimeLimit(const std::shared_ptr<ScriptedGenerator> &generator)
{
    const double limit = probeSecondsLimit();
    auto outcome = std::make_shared<std::promise<void>>();
    auto finished = outcome->get_future();
    // The worker holds its own references: if it never returns it is detached below and must keep the module and
    // the promise alive by itself.
    std::thread worker([generator, outcome] {
        try {
            generator->probe();
            generator->readSefaWeight();
            outcome->set_value();
        } catch (...) {
            outcome->set_exception(std::current_exception());
        }
    });
    if (finished.wait_for(std::chrono::duration<double>(limit)) == std::future_status::timeout) {
        worker.detach(); // a TorchScript call cannot be cancelled; see the class comment
        generator->fail("the module's forward (or mapping / synthesis / sefa_weight) did not return within "
            + shortNumberText(limit) + " s on a probe batch of 2; it may loop forever");
    }
    worker.join();
    finished.get(); // rethrows what the probe threw
}

void ScriptedGenerator::fail(const std::string &problem) const
{
    throw DataError("TorchScript generator " + m_path + ": " + problem);
}

void ScriptedGenerator::resolveLatentSize(int hint)
{
    const auto type = m_module.type();
    for (const char *name : ScriptLatentSizeAttributes) {
        c10::IValue value;
        if (m_module.hasattr(name))
            value = m_module.attr(name);
        else if (type->hasConstant(name)) // torch.jit.Final[int] class constants
            value = type->getConstant(name);
        else
            continue;
        if (!value.isInt())
            fail(
                std::string("attribute ") + name + " is a " + value.tagKind() + ", but the latent size must be an int");
        const auto size = value.toInt();
        if (size < 1 || size > ScriptMaxLatentSize)
            fail(std::string("attribute ") + name + " is " + std::to_string(size) + ", not a latent size (1 to "
                + std::to_string(ScriptMaxLatentSize) + ")");
        if (hint > 0 && hint != size)
            fail(std::string("the module's ") + name + " is " + std::to_string(size) + " but latent size "
                + std::to_string(hint) + " was given");
        m_shape.latentSize = int(size);
        return;
    }
    if (hint < 1)
        fail("the module does not say its latent size: give it an int attribute latent_size (or z_dim, latent_dim) "
             "before exporting, e.g. `self.latent_size = 512` in __init__, or enter the latent size when opening it");
    if (hint > ScriptMaxLatentSize)
        fail("latent size " + std::to_string(hint) + " is above " + std::to_string(ScriptMaxLatentSize));
    m_shape.latentSize = hint;
}

torch::Tensor ScriptedGenerator::callTensor(
    const char *method, const torch::Tensor &input, const std::string &inputWhat)
{
    c10::IValue output;
    try {
        output = m_module.get_method(method)({input});
    } catch (const std::exception &error) {
        fail(std::string(method) + " failed on " + inputWhat + " of shape " + shapeText(input) + ": "
            + firstLines(error));
    }
    if (!output.isTensor())
        fail(std::string(method) + " returned a " + output.tagKind() + ", not a tensor");
    auto tensor = output.toTensor();
    if (!tensor.is_floating_point())
        fail(std::string(method) + " returned " + std::string(c10::toString(tensor.scalar_type()))
            + " values, not floating point");
    return tensor.to(torch::kFloat32);
}

void ScriptedGenerator::probe()
{
    torch::NoGradGuard noGrad;
    const auto z = sampleLatents(2, m_shape.latentSize, ScriptProbeSeed);
    const auto image
        = callTensor("forward", z, "a probe batch z (latent size " + std::to_string(m_shape.latentSize) + ")");
    const auto sizes = shapeText(image);
    if (image.dim() != 4)
        fail("forward returned shape " + sizes + " but an image batch NCHW was expected");
    if (image.size(0) != 2)
        fail("forward returned shape " + sizes + " for a batch of 2 latents: the batch dimension must come first");
    if (image.size(1) != 1 && image.size(1) != 3)
        fail("forward returned shape " + sizes + ": " + std::to_string(image.size(1))
            + " channels, but 1 (grey) or 3 (RGB) were expected in NCHW order");
    if (image.size(2) != image.size(3))
        fail("forward returned shape " + sizes + ": images must be square");
    if (image.size(2) < ScriptMinResolution)
        fail("forward returned shape " + sizes + ": images must be at least " + std::to_string(ScriptMinResolution)
            + " pixels wide");
    if (!torch::isfinite(image).all().item<bool>())
        fail("forward returned NaN or infinite values");
    const double low = image.min().item<double>();
    const double high = image.max().item<double>();
    if (low < -1.0 - ScriptRangeTolerance || high > 1.0 + ScriptRangeTolerance)
        fail("values reach " + shortNumberText(std::abs(low) > std::abs(high) ? low : high)
            + ", outside [-1, 1] (end the generator with tanh, or map its output to [-1, 1] before exporting)");
    m_shape.channels = int(image.size(1));
    m_shape.resolution = int(image.size(2));
    m_shape.styleSize = m_shape.latentSize;

    const bool hasMapping = m_module.find_method("mapping").has_value();
    const bool hasSynthesis = m_module.find_method("synthesis").has_value();
    if (hasMapping != hasSynthesis)
        fail(std::string("the module has ") + (hasMapping ? "mapping but no synthesis" : "synthesis but no mapping")
            + ": export both for W-space editing, or neither to edit z");
    if (!hasMapping)
        return;
    const auto w = callTensor("mapping", z, "a probe batch z");
    if (w.dim() != 2 || w.size(0) != 2)
        fail("mapping returned shape " + shapeText(w) + " for 2 latents, but (2, style size) was expected");
    if (!torch::isfinite(w).all().item<bool>())
        fail("mapping returned NaN or infinite values");
    const auto fromStyles = callTensor("synthesis", w, "mapping(z)");
    if (!fromStyles.sizes().equals(image.sizes()))
        fail("synthesis(mapping(z)) returned shape " + shapeText(fromStyles) + " but forward(z) returned " + sizes);
    m_shape.styleSize = int(w.size(1));
    m_shape.hasStyleSpace = true;
}

void ScriptedGenerator::readSefaWeight()
{
    constexpr const char *Name = "sefa_weight";
    c10::IValue value;
    if (m_module.hasattr(Name)) {
        value = m_module.attr(Name);
    } else if (m_module.find_method(Name)) {
        try {
            torch::NoGradGuard noGrad;
            value = m_module.get_method(Name)(std::vector<c10::IValue> {});
        } catch (const std::exception &error) {
            fail(std::string("sefa_weight() failed: ") + firstLines(error));
        }
    } else {
        return; // optional: SeFa then says it needs a generator that exposes its weight
    }
    if (!value.isTensor())
        fail(std::string("sefa_weight is a ") + value.tagKind() + ", not a tensor");
    auto weight = value.toTensor().detach();
    if (weight.dim() != 2 || weight.size(1) != m_shape.styleSize)
        fail("sefa_weight has shape " + shapeText(weight) + " but (outputs, " + std::to_string(m_shape.styleSize)
            + ") was expected: one row per latent-to-feature output, one column per style coordinate");
    if (!weight.is_floating_point() || !torch::isfinite(weight).all().item<bool>())
        fail("sefa_weight must hold finite floating-point values");
    m_sefaWeight = weight.to(torch::kFloat32).clone();
}

torch::Tensor ScriptedGenerator::mapping(const torch::Tensor &z)
{
    if (!m_shape.hasStyleSpace)
        return z;
    return callTensor("mapping", z, "z");
}

torch::Tensor ScriptedGenerator::synthesis(const torch::Tensor &w)
{
    return callTensor(m_shape.hasStyleSpace ? "synthesis" : "forward", w, m_shape.hasStyleSpace ? "w" : "z");
}

} // namespace untangle
