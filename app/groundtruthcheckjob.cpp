#include "groundtruthcheckjob.h"

#include "factors/factorreader.h"
#include "sprites/spritefactormodel.h"

namespace untangle {

namespace {
constexpr std::uint64_t CheckSeed = 1; // the CLI's coverage seed: the page and `coverage` report the same numbers
} // namespace

std::vector<int> GroundTruthCheck::readTuples() const
{
    return world == WorldKind::Scenes ? scenes.read : spriteReadTuples(sprites.read);
}

GroundTruthCheckJob::GroundTruthCheckJob(
    const QString &generatorPath, WorldKind world, int resolution, int samples, QObject *parent)
    : Job(tr("Measuring the generator against the ground truth"), parent)
    , m_generatorPath(generatorPath)
    , m_world(world)
    , m_resolution(resolution)
    , m_samples(samples)
{
    qRegisterMetaType<GroundTruthCheck>();
}

void GroundTruthCheckJob::execute()
{
    GroundTruthCheck check;
    check.generatorPath = m_generatorPath;
    check.world = m_world;
    const bool sprites = m_world == WorldKind::Sprites;
    const std::string key = FactorWorld::of(m_world).key;
    // A missing reader is trained here, with its progress, rather than inside coverage where nothing is said.
    check.readerTrained = sprites ? lookUpSpriteFactorModel(m_resolution).path.empty()
                                  : lookUpFactorReader(key, m_resolution).path.empty();
    const QString training = tr("Training the %1 factor reader (once, then cached)")
                                 .arg(QString::fromStdString(FactorWorld::of(m_world).title));
    emit progress(0.0, check.readerTrained ? training : tr("Loading the factor reader"));
    std::string readerPath;
    if (sprites)
        readerPath = ensureSpriteFactorModel(m_resolution, throttledProgress(training, 0.8)).path;
    else
        ensureFactorReader(key, m_resolution, throttledProgress(training, 0.8));
    if (!shouldContinue())
        return;
    const double readDone = check.readerTrained ? 0.8 : 0.1;
    emit progress(readDone, tr("Drawing %1 samples and reading their factors").arg(m_samples));
    if (sprites) {
        SpriteCoverageOptions options;
        options.samples = m_samples;
        options.seed = CheckSeed;
        options.factorModelPath = readerPath;
        check.sprites = readSpriteSamples(m_generatorPath.toStdString(), options);
    } else {
        check.scenes = readWorldSamples(m_generatorPath.toStdString(), m_samples, CheckSeed);
    }
    emit checked(check);
}

} // namespace untangle
