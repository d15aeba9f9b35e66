#pragma once
// Attribute-based image retrieval with a score network (docs/methods/sre.md §5 and §7.6): std-only facade.
#include "common/latentmatrix.h"
#include "evaluation/disentanglement.h"
#include "progress.h"
#include "retrieval/poolscorecache.h"
#include "retrieval/retrievalpool.h"
#include "sre/scoreencoder.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The k pool images closest to a query along one direction, nearest first. */
struct RetrievalResult {
    std::vector<int> indices;
    std::vector<double> distances; // |s_k(query) - s_k(image)|, ascending
};

/**
 * Ranks the pool by the L1 distance of one score (the paper's attribute embedding is one scalar per direction) and
 * returns the k nearest; ties go to the lower index so results are reproducible. excludeIndex (the query itself
 * when it sits in the pool, docs/methods/sre.md, pitfall 14) is never returned; -1 excludes nothing. Throws
 * std::invalid_argument when the direction is below 0, k < 1 or k >= the pool size; DataError when the direction is
 * beyond the network's (messages number directions from 1), queryScores does not have poolScores.cols values or the
 * scores are ragged.
 */
RetrievalResult retrieve(
    const Matrix &poolScores, const std::vector<double> &queryScores, int direction, int k, int excludeIndex = -1);

/** Row `index` of the pool scores: the query scores of a pool image. */
std::vector<double> poolScoresOf(const Matrix &poolScores, int index);

/** Spearman's rho (average ranks for ties; 0 when either side is constant). */
double spearmanRho(const std::vector<double> &a, const std::vector<double> &b);

/** Ground-truth retrieval protocol of docs/methods/sre.md §7.6 (the paper's own numbers are unknown). */
struct RetrievalScoringOptions {
    int k = 5; // neighbours per query (the paper's figure shows 5)
    int queries = 100; // Q seeded pool queries averaged
    std::uint64_t seed = 0; // which queries
};

/** How well one direction's score retrieves images that share the factor it controls. */
struct DirectionRetrievalScore {
    int direction = 0;
    int factor = 0; // the factor with the largest |Spearman rho| against the score over the pool
    std::string factorName;
    double spearman = 0.0; // signed rho of that factor
    FactorKind factorKind = FactorKind::Ordinal; // decides relevance for precision@k (factorValuesRelevant)
    double precisionAtK = 0.0; // fraction of the top k relevant to the query: its value (categorical), +-1 step
                               // (ordinal) or +-1 step around the circle (circular)
    double precisionChance = 0.0; // the same fraction over the whole pool: what a random ranking scores
    double meanAveragePrecision = 0.0; // relevance: exactly the query's value, over the full ranking
    double mapChance = 0.0; // fraction of the pool with the query's value: a random ranking's AP tends to it
    int queries = 0; // queries averaged (mAP skips a query whose value no other image has)
};

/**
 * Scores one direction. factorKinds must hold one kind per factor (a pool's factorKinds): they decide which results
 * precision@k counts as relevant. Throws std::invalid_argument on mismatched sizes (kinds included), no factors, bad
 * options.
 */
DirectionRetrievalScore scoreRetrievalDirection(const Matrix &poolScores, const FactorMatrix &factors,
    const std::vector<std::string> &factorNames, const std::vector<FactorKind> &factorKinds, int direction,
    const RetrievalScoringOptions &options = {});

/**
 * Per factor, the fraction of the other pool images relevant to a pool image (factorValuesRelevant with that factor's
 * kind), averaged over the whole pool: what a random ranking's precision@k is when that factor judges relevance.
 * Throws std::invalid_argument when factorKinds does not hold one kind per factor; 0 for a pool of fewer than 2.
 */
std::vector<double> relevanceChancePerFactor(const FactorMatrix &factors, const std::vector<FactorKind> &factorKinds);

/** Every direction of a score file on one pool: one row per direction. */
struct RetrievalTable {
    std::string scoreFile;
    std::string kind; // "sre-estimator", "encoder": the CLI compares the two on the same pool
    std::string poolDescription;
    std::vector<DirectionRetrievalScore> rows;
    int k = 0;
    bool scoresFromCache = false;

    double meanPrecision() const;
    double meanAveragePrecision() const;
};

/** Encodes the pool (cached, see poolscorecache.h) and scores every direction. Throws DataError when the pool has
 *  no ground truth, plus whatever loading or encoding throws. */
RetrievalTable retrievalTable(const std::string &scoreFile, const RetrievalPool &pool,
    const RetrievalScoringOptions &options = {}, const std::string &cacheDir = {}, const ProgressFn &progress = {});

/** Plain-text table for the CLI and logs. */
std::string formatRetrievalTable(const RetrievalTable &table);

} // namespace untangle
