// Ground-truth scoring of retrieval (docs/methods/sre.md §7.6) and the per-direction table the CLI prints.
#include "retrieval/retrieval.h"

#include "dataerror.h"
#include "seededrandom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace untangle {

namespace {

/** Precision@k (relevance: factorValuesRelevant for the factor's kind) and average precision (relevance: same
 *  value) of one query. */
struct QueryScore {
    double precision = 0.0;
    double averagePrecision = 0.0;
    bool hasExactMatches = false;
    double nearShare = 0.0; // fraction of the other images relevant to the query (the precision's chance)
    double exactShare = 0.0; // fraction with the same value
};

QueryScore scoreQuery(
    const Matrix &scores, const FactorMatrix &factors, FactorKind kind, int direction, int factor, int query, int k)
{
    const int n = scores.rows;
    const double queryScore = scores.at(query, direction);
    const int queryValue = factors.at(query, factor);
    const int size = factors.sizes[std::size_t(factor)];
    std::vector<std::pair<double, int>> ranking;
    ranking.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i)
        if (i != query)
            ranking.emplace_back(std::abs(scores.at(i, direction) - queryScore), i);
    std::sort(ranking.begin(), ranking.end()); // the same order retrieve() returns, over the whole pool
    QueryScore result;
    int near = 0, exact = 0, hitsInTop = 0;
    double precisionSum = 0.0;
    for (std::size_t rank = 0; rank < ranking.size(); ++rank) {
        const int value = factors.at(ranking[rank].second, factor);
        const bool relevant = factorValuesRelevant(kind, size, value, queryValue);
        near += relevant;
        if (int(rank) < k)
            hitsInTop += relevant;
        if (value == queryValue) {
            ++exact;
            precisionSum += double(exact) / double(rank + 1);
        }
    }
    result.precision = double(hitsInTop) / k;
    result.hasExactMatches = exact > 0;
    result.averagePrecision = exact > 0 ? precisionSum / exact : 0.0;
    result.nearShare = double(near) / double(ranking.size());
    result.exactShare = double(exact) / double(ranking.size());
    return result;
}

std::vector<double> column(const Matrix &scores, int direction)
{
    std::vector<double> values(std::size_t(scores.rows));
    for (int i = 0; i < scores.rows; ++i)
        values[std::size_t(i)] = scores.at(i, direction);
    return values;
}

std::vector<double> factorValues(const FactorMatrix &factors, int factor)
{
    std::vector<double> values(std::size_t(factors.rows));
    for (int i = 0; i < factors.rows; ++i)
        values[std::size_t(i)] = factors.at(i, factor);
    return values;
}

void requireFactorKinds(const FactorMatrix &factors, const std::vector<FactorKind> &factorKinds)
{
    if (int(factorKinds.size()) != factors.factorCount())
        throw std::invalid_argument("retrieval needs one factor kind per factor: " + std::to_string(factorKinds.size())
            + " kinds for " + std::to_string(factors.factorCount()) + " factors");
}

} // namespace

std::vector<double> relevanceChancePerFactor(const FactorMatrix &factors, const std::vector<FactorKind> &factorKinds)
{
    factors.validate("pool factors");
    requireFactorKinds(factors, factorKinds);
    std::vector<double> chance;
    const double n = factors.rows;
    for (int f = 0; f < factors.factorCount(); ++f) {
        // A histogram of the values: an image of value v has (the sum of counts[w] over the values w relevant to v)
        // - 1 relevant others, since every value is relevant to itself.
        const int size = factors.sizes[std::size_t(f)];
        std::vector<double> counts(std::size_t(std::max(1, size)), 0.0);
        for (int i = 0; i < factors.rows; ++i)
            counts[std::size_t(factors.at(i, f))] += 1.0;
        double sum = 0.0;
        for (int v = 0; v < size; ++v)
            for (int w = 0; w < size; ++w)
                if (factorValuesRelevant(factorKinds[std::size_t(f)], size, v, w))
                    sum += counts[std::size_t(v)] * (counts[std::size_t(w)] - (v == w ? 1.0 : 0.0));
        chance.push_back(n > 1 ? sum / (n * (n - 1)) : 0.0);
    }
    return chance;
}

DirectionRetrievalScore scoreRetrievalDirection(const Matrix &poolScores, const FactorMatrix &factors,
    const std::vector<std::string> &factorNames, const std::vector<FactorKind> &factorKinds, int direction,
    const RetrievalScoringOptions &options)
{
    poolScores.validate("pool scores");
    factors.validate("pool factors");
    requireFactorKinds(factors, factorKinds);
    if (factors.rows != poolScores.rows)
        throw std::invalid_argument("pool scores have " + std::to_string(poolScores.rows) + " rows but the factors "
            + std::to_string(factors.rows));
    if (factors.factorCount() < 1)
        throw std::invalid_argument("retrieval scoring needs at least one ground-truth factor");
    if (direction < 0 || direction >= poolScores.cols)
        throw std::invalid_argument("direction " + std::to_string(direction) + " does not exist");
    if (options.k < 1 || options.k >= poolScores.rows)
        throw std::invalid_argument("k must be in 1 .. pool size - 1, got " + std::to_string(options.k));
    if (options.queries < 1)
        throw std::invalid_argument("retrieval scoring needs at least one query");

    DirectionRetrievalScore result;
    result.direction = direction;
    const auto score = column(poolScores, direction);
    double best = -1.0;
    for (int f = 0; f < factors.factorCount(); ++f) {
        const double rho = spearmanRho(score, factorValues(factors, f));
        if (std::abs(rho) > best) { // strict: ties keep the earlier factor
            best = std::abs(rho);
            result.factor = f;
            result.spearman = rho;
        }
    }
    result.factorName = result.factor < int(factorNames.size()) ? factorNames[std::size_t(result.factor)]
                                                                : "factor " + std::to_string(result.factor);
    result.factorKind = factorKinds[std::size_t(result.factor)];

    // Queries: the first Q of a seeded permutation, the same for every direction and every score file.
    std::vector<int> order(std::size_t(poolScores.rows));
    std::iota(order.begin(), order.end(), 0);
    SeededRandom random(options.seed);
    random.shuffle(order);
    const int queries = std::min(options.queries, poolScores.rows);
    int mapQueries = 0;
    for (int q = 0; q < queries; ++q) {
        const auto one = scoreQuery(
            poolScores, factors, result.factorKind, direction, result.factor, order[std::size_t(q)], options.k);
        result.precisionAtK += one.precision;
        result.precisionChance += one.nearShare;
        if (one.hasExactMatches) {
            result.meanAveragePrecision += one.averagePrecision;
            result.mapChance += one.exactShare;
            ++mapQueries;
        }
    }
    result.precisionAtK /= queries;
    result.precisionChance /= queries;
    if (mapQueries > 0) {
        result.meanAveragePrecision /= mapQueries;
        result.mapChance /= mapQueries;
    }
    result.queries = queries;
    return result;
}

double RetrievalTable::meanPrecision() const
{
    double sum = 0.0;
    for (const auto &row : rows)
        sum += row.precisionAtK;
    return rows.empty() ? 0.0 : sum / double(rows.size());
}

double RetrievalTable::meanAveragePrecision() const
{
    double sum = 0.0;
    for (const auto &row : rows)
        sum += row.meanAveragePrecision;
    return rows.empty() ? 0.0 : sum / double(rows.size());
}

RetrievalTable retrievalTable(const std::string &scoreFile, const RetrievalPool &pool,
    const RetrievalScoringOptions &options, const std::string &cacheDir, const ProgressFn &progress)
{
    if (pool.factors.rows != pool.count() || pool.factors.factorCount() == 0)
        throw DataError(pool.description + " has no ground-truth labels: retrieval can be shown but not scored");
    const auto encoded = encodePoolCached(scoreFile, pool, cacheDir, progress);
    RetrievalTable table;
    table.scoreFile = scoreFile;
    table.kind = ScoreEncoder(scoreFile).kind();
    table.poolDescription = pool.description;
    table.scoresFromCache = encoded.fromCache;
    table.k = options.k;
    for (int k = 0; k < encoded.scores.cols; ++k) {
        reportProgress(progress, double(k) / encoded.scores.cols, "Scoring direction " + std::to_string(k));
        table.rows.push_back(
            scoreRetrievalDirection(encoded.scores, pool.factors, pool.factorNames, pool.factorKinds, k, options));
    }
    return table;
}

std::string formatRetrievalTable(const RetrievalTable &table)
{
    std::string text = "Retrieval with " + table.scoreFile + " (" + table.kind + ") on " + table.poolDescription + "\n";
    char line[256];
    const std::string precision = "prec@" + std::to_string(table.k);
    std::snprintf(line, sizeof line, "%-4s %-12s %8s %10s %8s %8s %8s\n", "dir", "factor", "rho", precision.c_str(),
        "chance", "mAP", "chance");
    text += line;
    for (const auto &row : table.rows) {
        std::snprintf(line, sizeof line, "%-4d %-12s %8.3f %10.3f %8.3f %8.3f %8.3f\n", row.direction + 1,
            row.factorName.c_str(), row.spearman, row.precisionAtK, row.precisionChance, row.meanAveragePrecision,
            row.mapChance);
        text += line;
    }
    std::snprintf(line, sizeof line, "mean precision@k %.3f, mean mAP %.3f\n", table.meanPrecision(),
        table.meanAveragePrecision());
    text += line;
    text += "relevant for precision@k: the query's value of a categorical factor, within one step of an ordinal one, "
            "within one step around the circle of a circular one; for mAP: the query's value\n";
    return text;
}

} // namespace untangle
