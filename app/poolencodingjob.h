#pragma once

#include "common/latentmatrix.h"
#include "job.h"
#include "retrieval/retrievalpool.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace untangle {

/** A retrieval pool with its scores under one score network: what the Retrieval panel queries. */
struct PoolEncoding {
    QString scoreFile;
    RetrievalPool pool;
    Matrix scores; // pool.count() x K
    bool fromCache = false;
    QStringList directionNames; // K names: the directions file's when readable, else "direction k"
    /** Per direction, the ground-truth factor its score tracks best over the pool (scoreRetrievalDirection), or -1
     *  when the pool has no ground truth: a result is relevant when its value of that factor is relevant to the
     *  query's (factorValuesRelevant: the same class, +-1 step, or +-1 step around the circle by the factor's kind). */
    QVector<int> directionFactor;
    /** Per direction, the fraction of the pool relevant to a random query: what a random ranking's precision is. */
    QVector<double> precisionChance;
    /** Per pool factor, the same chance when relevance is judged by that factor (any attribution's choice;
     *  relevanceChancePerFactor). */
    QVector<double> factorChance;
    /** The score network's directions file: which direction set its outputs belong to (empty when unknown). */
    QString directionsPath;
};

/**
 * Builds a retrieval pool (Sprites at the score network's resolution, or a dataset split) and encodes it with the
 * score network on the controller's worker, reading or writing the score cache in cacheDir (encodePoolCached).
 * The result is shared read-only with the GUI thread: the pool's pixels are not copied again.
 */
class PoolEncodingJob : public Job {
    Q_OBJECT

public:
    PoolEncodingJob(
        const QString &scoreFile, const RetrievalPoolSpec &spec, const QString &cacheDir, QObject *parent = nullptr);

signals:
    void encoded(std::shared_ptr<const untangle::PoolEncoding> encoding);

protected:
    void execute() override;

private:
    QString m_scoreFile;
    RetrievalPoolSpec m_spec;
    QString m_cacheDir;
};

/** Names of a score file's directions: from its directions file when it can be read and has K entries. */
QStringList retrievalDirectionNames(const QString &directionsPath, int count);

/** The set a score network scores: the path it recorded, or, when that is not on this machine and the network is a
 *  shipped NAME-estimator.pt, the NAME.json beside it. */
QString scoredDirectionsPath(const QString &scoreFile, const QString &recorded);

} // namespace untangle

Q_DECLARE_METATYPE(std::shared_ptr<const untangle::PoolEncoding>)
