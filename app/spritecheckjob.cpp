#include "spritecheckjob.h"

#include "sprites/spritefactormodel.h"

namespace untangle {

namespace {
constexpr std::uint64_t CheckSeed = 1; // the CLI's coverage seed: the page and `coverage` report the same numbers
} // namespace

SpriteCheckJob::SpriteCheckJob(const QString &generatorPath, int resolution, int samples, QObject *parent)
    : Job(tr("Measuring the generator against the Sprites ground truth"), parent)
    , m_generatorPath(generatorPath)
    , m_resolution(resolution)
    , m_samples(samples)
{
    qRegisterMetaType<SpriteCheck>();
}

void SpriteCheckJob::execute()
{
    SpriteCheck check;
    check.generatorPath = m_generatorPath;
    // A missing reader is trained here, with its progress, rather than inside coverage where nothing is said.
    check.readerTrained = lookUpSpriteFactorModel(m_resolution).path.empty();
    emit progress(0.0,
        check.readerTrained ? tr("Training the Sprites factor reader (once, then cached)")
                            : tr("Loading the Sprites factor reader"));
    const auto reader = ensureSpriteFactorModel(
        m_resolution, throttledProgress(tr("Training the Sprites factor reader (once, then cached)"), 0.8));
    if (!shouldContinue())
        return;
    const double readDone = check.readerTrained ? 0.8 : 0.1;
    emit progress(readDone, tr("Drawing %1 samples and reading their factors").arg(m_samples));
    SpriteCoverageOptions options;
    options.samples = m_samples;
    options.seed = CheckSeed;
    options.factorModelPath = reader.path;
    check.readings = readSpriteSamples(m_generatorPath.toStdString(), options);
    if (!shouldContinue())
        return;
    emit progress(readDone + 0.9 * (1.0 - readDone), tr("Drawing the render-back pairs"));
    check.pairs = spriteRenderBackPairs(m_generatorPath.toStdString(), SpriteCheckPairsPerShape, CheckSeed, 1.0);
    emit checked(check);
}

} // namespace untangle
