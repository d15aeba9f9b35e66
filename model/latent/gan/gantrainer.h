#pragma once
// model-internal: one GAN's networks, optimisers and training step.
#include "gan/discriminator.h"
#include "gan/ganimagesource.h"
#include "gan/ganrunner.h"
#include "gan/renderback.h"
#include "gan/stylegenerator.h"

namespace untangle {

class GanTrainer {
public:
    GanTrainer(const GanConfig &config, GanImageSource source);
    /** One discriminator and one generator step on iteration's data and z, then the EMA update. */
    GanLog step(int iteration);
    /** Starts the generator and its EMA copy from a smaller generator (growStyleNetwork); before the first step. */
    void growFrom(const StyleNetwork &smaller);
    /** The EMA generator's images for the fixed grid latents (64 of them, seeded independently of training). */
    torch::Tensor gridImages();
    const StyleNetwork &ema() const { return m_ema; }
    const Discriminator &discriminator() const { return m_discriminator; }
    void save(torch::serialize::OutputArchive &archive) const;
    void load(torch::serialize::InputArchive &archive);
    /** Sets both optimisers' learning rates and betas to this trainer's config, after load() brought another run's
     *  (GanConfig::continueFrom); the moments stay as loaded. */
    void applyConfiguredOptimiserSettings();

private:
    void updateEma(int iteration);
    void copyGeneratorToEma();
    GanConfig m_config;
    GanImageSource m_source;
    StyleNetwork m_generator {nullptr};
    StyleNetwork m_ema {nullptr};
    Discriminator m_discriminator {nullptr};
    std::unique_ptr<torch::optim::Adam> m_optG, m_optD;
    torch::Tensor m_gridLatents;
    RenderBackTarget m_renderBack; // empty when GanConfig::renderBack is off
};

/** The generator config a GAN config builds. */
StyleGeneratorConfig styleConfigOf(const GanConfig &config, int channels);
/** The critic config a GAN config builds. */
DiscriminatorConfig criticConfigOf(const GanConfig &config, int channels);

} // namespace untangle
