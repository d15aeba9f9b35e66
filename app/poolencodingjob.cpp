#include "poolencodingjob.h"

#include "computeruntime.h"
#include "directions/directionset.h"
#include "retrieval/poolscorecache.h"
#include "retrieval/retrieval.h"
#include "sre/scoreencoder.h"

#include <QDir>
#include <QFileInfo>

namespace untangle {
namespace {
constexpr double BuildShare = 0.3; // rendering / building the pool, then encoding it
constexpr int ChanceQueries
    = 100; // seeded pool queries the precision chance is averaged over (the CLI table's default)
} // namespace

QString scoredDirectionsPath(const QString &scoreFile, const QString &recorded)
{
    if (recorded.isEmpty() || QFileInfo::exists(recorded))
        return recorded;
    // Shipped beside its set as NAME-estimator.pt next to NAME.json (packaging/train-shipped-generators.sh), an
    // estimator still names the folder it was trained in, which is not on this machine.
    const QFileInfo score(scoreFile);
    const QString suffix = QStringLiteral("-estimator.pt");
    if (score.fileName().endsWith(suffix)) {
        const QString sibling = score.dir().filePath(score.fileName().chopped(suffix.size()) + ".json");
        if (QFileInfo::exists(sibling))
            return sibling;
    }
    return recorded;
}

QStringList retrievalDirectionNames(const QString &directionsPath, int count)
{
    QStringList names;
    try {
        if (!directionsPath.isEmpty()) {
            const DirectionSet set = loadDirectionSet(directionsPath.toStdString());
            if (set.count() == count)
                for (const auto &direction : set.directions)
                    names << QString::fromStdString(direction.name);
        }
    } catch (const std::exception &) {
        names.clear(); // an unreadable directions file only costs the names
    }
    if (names.size() != count) {
        names.clear();
        for (int k = 0; k < count; ++k)
            names << QObject::tr("direction %1").arg(k + 1);
    }
    return names;
}

PoolEncodingJob::PoolEncodingJob(
    const QString &scoreFile, const RetrievalPoolSpec &spec, const QString &cacheDir, QObject *parent)
    : Job(tr("Encoding the retrieval pool"), parent)
    , m_scoreFile(scoreFile)
    , m_spec(spec)
    , m_cacheDir(cacheDir)
{
    qRegisterMetaType<std::shared_ptr<const PoolEncoding>>();
}

void PoolEncodingJob::execute()
{
    configureComputeThread();
    const std::string scoreFile = m_scoreFile.toStdString();
    const ScoreEncoder encoder(scoreFile); // fails fast, before building a pool, on a bad score file
    RetrievalPoolSpec spec = m_spec;
    if (spec.source == PoolSource::Sprites)
        spec.resolution = encoder.inputShape().resolution == 32 ? 32 : 64;
    else if (spec.source == PoolSource::Scenes)
        spec.resolution = encoder.inputShape().resolution; // the Scenes renderer draws any size from 16 to 256
    auto result = std::make_shared<PoolEncoding>();
    result->scoreFile = m_scoreFile;
    emit progress(0.0, tr("Building the pool"));
    result->pool = buildRetrievalPool(spec, throttledProgress(tr("Pool"), BuildShare, 0.0));
    if (!m_cacheDir.isEmpty())
        QDir().mkpath(m_cacheDir);
    const EncodedPool cached = encodePoolCached(scoreFile, result->pool, m_cacheDir.toStdString(),
        throttledProgress(tr("Encoding"), 1.0 - BuildShare, BuildShare));
    result->scores = cached.scores;
    result->fromCache = cached.fromCache;
    const int directions = result->scores.cols;
    result->directionsPath = scoredDirectionsPath(m_scoreFile, QString::fromStdString(encoder.directionsPath()));
    result->directionNames = retrievalDirectionNames(result->directionsPath, directions);
    const bool groundTruth = result->pool.factors.rows == result->pool.count() && result->pool.count() > 1;
    RetrievalScoringOptions options;
    options.k = 1;
    options.queries = ChanceQueries;
    for (int d = 0; d < directions; ++d) {
        if (!groundTruth) {
            result->directionFactor.push_back(-1);
            result->precisionChance.push_back(0.0);
            continue;
        }
        const DirectionRetrievalScore score = scoreRetrievalDirection(
            result->scores, result->pool.factors, result->pool.factorNames, result->pool.factorKinds, d, options);
        result->directionFactor.push_back(score.factor);
        result->precisionChance.push_back(score.precisionChance);
    }
    if (groundTruth)
        for (double chance : relevanceChancePerFactor(result->pool.factors, result->pool.factorKinds))
            result->factorChance << chance;
    emit encoded(result);
}

} // namespace untangle
