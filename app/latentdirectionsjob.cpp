#include "latentdirectionsjob.h"

#include "computeruntime.h"
#include "dataerror.h"
#include "generatorworld.h"
#include "sre/srerunner.h"

#include <QDir>
#include <algorithm>
#include <cmath>
#include <memory>

namespace untangle {
namespace {
constexpr int SreLogPoints = 100; // points on the live accuracy plot, whatever the step count
constexpr int MaxSreLogEvery = 50; // but never longer than this many steps between points (seconds)
constexpr int SreSnapshots = 4; // selection candidates over the run
} // namespace

LatentDirectionsJob::LatentDirectionsJob(const LatentDirectionsConfig &config, QObject *parent)
    : Job(config.resumeSreDir.isEmpty() ? tr("Computing %1 directions%2")
                                              .arg(QString::fromStdString(directionMethodKey(config.method)),
                                                  config.refineWithSre ? tr(" + SRE") : QString())
                                        : tr("Resuming SRE"),
        parent)
    , m_config(config)
{
    qRegisterMetaType<QVector<double>>();
    qRegisterMetaType<FactorAttribution>();
}

void LatentDirectionsJob::addLiveAttribution(SreCallbacks &callbacks, const QString &generatorPath, int steps)
{
    if (m_config.liveSamples <= 0 || m_config.liveUpdates <= 0 || !mayBelongToRenderedWorld(generatorPath))
        return;
    callbacks.liveEvery = std::max(1, steps / m_config.liveUpdates);
    auto floor = std::make_shared<std::vector<double>>(); // measured at the first update, reused for the others
    callbacks.live = [this, generatorPath, floor](int step, const DirectionSet &set) {
        if (!m_liveWorks)
            return;
        try {
            emit sreAttributed(step,
                attributeDirections(generatorPath, set, tr("SRE step %1").arg(step), m_config.liveSamples, *floor));
        } catch (const std::exception &) {
            m_liveWorks = false; // no reader for this generator's images (an MNIST GAN): SRE goes on without it
        }
    };
}

std::optional<FactorAttribution> LatentDirectionsJob::twinsAttribution(
    const DirectionSet &set, const QString &label) const
{
    constexpr double SameVector = 1e-6; // the same computation on the same weights, up to float rounding
    for (const QString &path : m_config.namedSets) {
        try {
            const DirectionSet twin = loadDirectionSet(path.toStdString());
            if (set.generatorFingerprint.empty() || twin.generatorFingerprint != set.generatorFingerprint
                || twin.count() != set.count())
                continue;
            bool same = true;
            for (int k = 0; k < set.count() && same; ++k) {
                const auto &a = set.directions[std::size_t(k)].vector, &b = twin.directions[std::size_t(k)].vector;
                same = a.size() == b.size();
                for (std::size_t i = 0; i < a.size() && same; ++i)
                    same = std::abs(a[i] - b[i]) <= SameVector;
            }
            if (same)
                if (auto stored = storedAttributionOf(twin, label, set.generatorFingerprint))
                    return stored;
        } catch (const std::exception &) {
            // a loaded set that no longer reads names nothing
        }
    }
    return std::nullopt;
}

void LatentDirectionsJob::showStart(const SreCallbacks &callbacks, const QString &generatorPath, const QString &setPath,
    const DirectionSet &set, double offset)
{
    if (!callbacks.live)
        return;
    const QString label = tr("before SRE (%1)").arg(QString::fromStdString(set.method));
    // A set `label` measured is named by what it stored, as every page names it (SRE refuses another generator's set,
    // so its own fingerprint is the generator's).
    if (auto stored = storedAttributionOf(set, label, set.generatorFingerprint);
        stored || (stored = twinsAttribution(set, label))) {
        emit sreNamed(setPath, *stored);
    } else if (m_config.nameSamples > 0) {
        try {
            std::vector<double> floor;
            emit sreNamed(setPath,
                attributeDirections(generatorPath, set, label, m_config.nameSamples, floor,
                    throttledProgress(
                        tr("Naming the directions on %1 latents").arg(m_config.nameSamples), 0.0, offset)));
        } catch (const Cancelled &) {
            return; // stopped while naming: SRE stops at its first step
        } catch (const std::exception &) {
            m_liveWorks = false; // no reader for this generator's images: no names, no live matrix
            return;
        }
    }
    callbacks.live(0, set); // the initial set: what SRE starts from
}

void LatentDirectionsJob::execute()
{
    configureComputeThread();
    SreCallbacks callbacks;
    callbacks.logged = [this](const SreLog &log) {
        emit sreLogged(
            log.step, QVector<double>(log.heldOutAccuracy.begin(), log.heldOutAccuracy.end()), log.heldOutMean);
    };
    if (!m_config.resumeSreDir.isEmpty()) {
        callbacks.progress = throttledProgress(QString(), 1.0, 0.0);
        const SreConfig sre = readSreConfig(m_config.resumeSreDir.toStdString());
        addLiveAttribution(callbacks, QString::fromStdString(sre.generatorPath), sre.steps);
        // The caption compares with where SRE started, resumed or not.
        if (callbacks.live)
            showStart(callbacks, QString::fromStdString(sre.generatorPath), QString::fromStdString(sre.directionsPath),
                loadDirectionSet(sre.directionsPath), 0.0);
        const SreResult result = runSre(sre, callbacks, m_config.resumeSreDir.toStdString(), true);
        emit sreFinished(QString::fromStdString(result.directionsPath));
        return;
    }
    QDir().mkpath(m_config.outDir);
    const double findShare = m_config.refineWithSre ? 0.2 : 1.0;

    DirectionsRequest request;
    request.generatorPath = m_config.generatorPath.toStdString();
    request.method = m_config.method;
    request.count = m_config.count;
    request.voynovSteps = m_config.voynovSteps;
    request.seed = m_config.seed;
    const QString method = QString::fromStdString(directionMethodKey(m_config.method));
    emit progress(0.0, tr("Finding %1 directions").arg(method));
    const DirectionSet set = findDirections(request, throttledProgress(method, findShare, 0.0));
    const QString path = QDir(m_config.outDir).filePath("directions.json");
    saveDirectionSet(set, path.toStdString());
    emit directionsFound(path);
    if (!m_config.refineWithSre)
        return;

    SreConfig sre;
    sre.generatorPath = request.generatorPath;
    sre.directionsPath = path.toStdString();
    sre.steps = m_config.sreSteps;
    sre.logEvery = std::clamp(m_config.sreSteps / SreLogPoints, 1, MaxSreLogEvery);
    sre.snapshotEvery = std::max(1, m_config.sreSteps / SreSnapshots);
    sre.seed = m_config.seed + 2;
    callbacks.progress = throttledProgress(QString(), 1.0 - findShare, findShare);
    addLiveAttribution(callbacks, m_config.generatorPath, sre.steps);
    showStart(callbacks, m_config.generatorPath, path, set, findShare);
    const SreResult result = runSre(sre, callbacks, QDir(m_config.outDir).filePath("sre").toStdString());
    emit sreFinished(QString::fromStdString(result.directionsPath));
}

} // namespace untangle
