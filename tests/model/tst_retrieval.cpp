// Attribute-based retrieval (docs/methods/sre.md §5, §7.6): nearest neighbours along one score, ground-truth
// precision@k and mAP on a hand-made pool with known answers, and pool encoding through a real (tiny, random) score
// network with its on-disk cache.
#include "dataerror.h"
#include "dataerrorof.h"
#include "retrieval/retrieval.h"
#include "selfcheck/retrievalselfcheck.h"
#include "spritesrenderer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

using namespace untangle;
using untangle::test::dataErrorOf;
namespace sc = untangle::selfcheck;

namespace {

constexpr int PoolSide = 32;
constexpr int Directions = 4;

template <typename F> QString invalidArgumentOf(F &&f)
{
    try {
        f();
    } catch (const std::invalid_argument &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("wrong exception type: ") + e.what();
    }
    return QStringLiteral("no exception");
}

/** One score per image for the hand-made pool (its answers were worked out independently, see the test). */
Matrix column(const std::vector<double> &values)
{
    Matrix m;
    m.rows = int(values.size());
    m.cols = 1;
    m.values = values;
    return m;
}

RetrievalPool spritesPool(int count, std::uint64_t seed)
{
    RetrievalPoolSpec spec;
    spec.count = count;
    spec.resolution = PoolSide;
    spec.seed = seed;
    return buildRetrievalPool(spec);
}

double maxAbsDifference(const std::vector<double> &a, const std::vector<double> &b)
{
    double worst = a.size() == b.size() ? 0.0 : 1e9;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

} // namespace

class TstRetrieval : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string pathOf(const char *name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void retrieveReturnsTheNearestByDistanceWithoutTheQuery()
    {
        // Direction 1 holds the scores; direction 0 is a decoy that would give another order.
        const Matrix pool = Matrix::fromRows({{9, 0.0}, {8, 0.5}, {7, 1.0}, {6, 1.25}, {5, 0.75}, {4, 1.0}, {3, 5.0}});
        const auto query = poolScoresOf(pool, 2); // score 1.0
        const auto result = retrieve(pool, query, 1, 4, 2);
        // 5 ties with the query at distance 0; 3 and 4 tie at 0.25 (exact in binary), broken by index.
        QCOMPARE(result.indices, (std::vector<int> {5, 3, 4, 1}));
        QCOMPARE(result.distances.size(), std::size_t(4));
        const std::vector<double> expected = {0.0, 0.25, 0.25, 0.5};
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::abs(result.distances[i] - expected[i]) < 1e-12);

        // Without exclusion the query itself comes first (distance 0, lower index than 5).
        QCOMPARE(retrieve(pool, query, 1, 1).indices, std::vector<int> {2});
        // An external query (not in the pool) at 4.0: 6 is nearest.
        QCOMPARE(retrieve(pool, {0, 4.0}, 1, 2).indices, (std::vector<int> {6, 3}));
    }

    void retrieveRefusesBadRequests()
    {
        const Matrix pool = Matrix::fromRows({{0, 1}, {1, 2}, {2, 3}, {3, 4}});
        const auto q = poolScoresOf(pool, 0);
        // Directions are 1-based in messages; one the network lacks is a data error, one below 1 a bad request.
        QVERIFY(dataErrorOf([&] {
            retrieve(pool, q, 2, 1, 0);
        }).contains("direction 3 does not exist: the score network scores 2 directions (1 to 2)"));
        QVERIFY(invalidArgumentOf([&] { retrieve(pool, q, -1, 1, 0); }).contains("direction 0 does not exist"));
        QVERIFY(invalidArgumentOf([&] { retrieve(pool, q, 0, 0, 0); }).contains("at least 1"));
        QVERIFY(invalidArgumentOf([&] { retrieve(pool, q, 0, 4, 0); }).contains("from a pool of 4"));
        QVERIFY(dataErrorOf([&] { retrieve(pool, {1.0}, 0, 1, 0); }).contains("the query has 1 scores"));
        QVERIFY(invalidArgumentOf([&] { poolScoresOf(pool, 4); }).contains("does not exist"));
    }

    void spearmanHandlesTies()
    {
        QCOMPARE(spearmanRho({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
        QCOMPARE(spearmanRho({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        QCOMPARE(spearmanRho({1, 2, 3, 4}, {5, 5, 5, 5}), 0.0); // constant side: no evidence either way
        // Ties share their average rank: value computed independently (scipy.stats.spearmanr convention).
        QVERIFY(
            std::abs(spearmanRho({0.0, 0.45, 0.3, 0.4, 0.8, 1.0}, {0, 0, 1, 2, 3, 3}) - 0.7356123579206245) < 1e-12);
    }

    void groundTruthScoresMatchAHandWorkedPool()
    {
        // Six images, one score; factor 0 follows the score loosely, factor 1 alternates.
        // Rankings per query (distance, then index), worked by hand and in an independent script:
        //   q0 -> 2 3 1 4 5: top-2 values 1, 2 vs 0 -> 1 of 2 within one step; the other 0 is at rank 3: AP 1/3.
        //   q1 -> 3 2 4 0 5: P 1/2, AP 1/4.   q2 -> 3 1 0 4 5: P 1, no other 1: skipped by mAP.
        //   q3 -> 1 2 0 4 5: P 1/2, no other 2.   q4 -> 5 1 3 2 0: P 1/2, AP 1.   q5 -> 4 1 3 2 0: P 1/2, AP 1.
        const Matrix scores = column({0.0, 0.45, 0.3, 0.4, 0.8, 1.0});
        const FactorMatrix factors = FactorMatrix::fromRows({{0, 1}, {0, 0}, {1, 1}, {2, 0}, {3, 1}, {3, 0}}, {4, 2});
        RetrievalScoringOptions options;
        options.k = 2;
        options.queries = 6; // every image once, whatever the seed
        const std::vector<FactorKind> kinds {FactorKind::Ordinal, FactorKind::Categorical};
        const auto score = scoreRetrievalDirection(scores, factors, {"size", "parity"}, kinds, 0, options);
        QCOMPARE(score.factor, 0);
        QCOMPARE(score.factorName, std::string("size"));
        QVERIFY(std::abs(score.spearman - 0.7356123579206245) < 1e-12);
        QVERIFY(std::abs(score.precisionAtK - 3.5 / 6.0) < 1e-12);
        QVERIFY(std::abs(score.precisionChance - 2.8 / 6.0) < 1e-12);
        QVERIFY(std::abs(score.meanAveragePrecision - (1.0 / 3 + 0.25 + 1 + 1) / 4) < 1e-12);
        QVERIFY(std::abs(score.mapChance - 0.2) < 1e-12);
        QCOMPARE(score.queries, 6);

        // A score that is the factor itself: perfect retrieval.
        const auto perfect = scoreRetrievalDirection(column({0, 0, 1, 2, 3, 3}), factors, {}, kinds, 0, options);
        QCOMPARE(perfect.precisionAtK, 1.0);
        QCOMPARE(perfect.meanAveragePrecision, 1.0);
        QCOMPARE(perfect.factorName, std::string("factor 0"));

        // The factor with the largest |rho| is chosen even when the relation is decreasing.
        const auto parity
            = scoreRetrievalDirection(column({0, 1, 0, 1, 0, 1}), factors, {"size", "parity"}, kinds, 0, options);
        QCOMPARE(parity.factor, 1);
        QCOMPARE(parity.factorKind, FactorKind::Categorical);
        QCOMPARE(parity.spearman, -1.0);

        options.k = 6;
        QVERIFY(invalidArgumentOf([&] {
            scoreRetrievalDirection(scores, factors, {}, kinds, 0, options);
        }).contains("k must"));
        options.k = 2;
        // Every factor needs its kind: without them relevance is undefined, so the scoring refuses to guess.
        QVERIFY(invalidArgumentOf([&] {
            scoreRetrievalDirection(scores, factors, {}, {}, 0, options);
        }).contains("one factor kind per factor"));
    }

    void relevanceFollowsTheFactorKind()
    {
        // Ordinal: one step either way, no wrap.
        QVERIFY(factorValuesRelevant(FactorKind::Ordinal, 10, 4, 4));
        QVERIFY(factorValuesRelevant(FactorKind::Ordinal, 10, 0, 1));
        QVERIFY(factorValuesRelevant(FactorKind::Ordinal, 10, 5, 4));
        QVERIFY(!factorValuesRelevant(FactorKind::Ordinal, 10, 0, 2));
        QVERIFY(!factorValuesRelevant(FactorKind::Ordinal, 10, 0, 9));
        // Categorical: the same class only; neighbouring indices are unrelated classes.
        QVERIFY(factorValuesRelevant(FactorKind::Categorical, 4, 2, 2));
        QVERIFY(!factorValuesRelevant(FactorKind::Categorical, 4, 0, 1));
        QVERIFY(!factorValuesRelevant(FactorKind::Categorical, 4, 3, 2));
        // Circular: one step around the circle, so the first and the last value are neighbours.
        QVERIFY(factorValuesRelevant(FactorKind::Circular, 10, 3, 3));
        QVERIFY(factorValuesRelevant(FactorKind::Circular, 10, 0, 1));
        QVERIFY(factorValuesRelevant(FactorKind::Circular, 10, 0, 9));
        QVERIFY(factorValuesRelevant(FactorKind::Circular, 10, 9, 0));
        QVERIFY(!factorValuesRelevant(FactorKind::Circular, 10, 0, 2));
        QVERIFY(!factorValuesRelevant(FactorKind::Circular, 10, 0, 8));
        QVERIFY(!factorValuesRelevant(FactorKind::Circular, 10, 4, 6));
        QVERIFY(factorValuesRelevant(FactorKind::Circular, 4, 3, 0));
        QVERIFY(!factorValuesRelevant(FactorKind::Circular, 4, 0, 2));
    }

    void scoringJudgesByTheFactorKind()
    {
        // The hand-worked pool above with factor 0 declared categorical, then circular. Top-2 values per query
        // (query value first): q0 0: 1 2; q1 0: 2 1; q2 1: 2 0; q3 2: 0 1; q4 3: 3 0; q5 3: 3 0.
        //   categorical: only q4 and q5 hit once: precision (0.5 + 0.5) / 6; chance = share of other images with the
        //   same value: (1 + 1 + 0 + 0 + 1 + 1) / 5 / 6. The +-1 rule gave 3.5 / 6 and 2.8 / 6.
        //   circular (size 4: 3 and 0 are neighbours): 0.5 0.5 1 0.5 1 1 -> 4.5 / 6; chance (4 + 4 + 3 + 3 + 4 + 4) / 5
        //   / 6 = 4.4 / 6.
        const Matrix scores = column({0.0, 0.45, 0.3, 0.4, 0.8, 1.0});
        const FactorMatrix factors = FactorMatrix::fromRows({{0, 1}, {0, 0}, {1, 1}, {2, 0}, {3, 1}, {3, 0}}, {4, 2});
        RetrievalScoringOptions options;
        options.k = 2;
        options.queries = 6;
        const auto categorical = scoreRetrievalDirection(
            scores, factors, {"shape", "parity"}, {FactorKind::Categorical, FactorKind::Categorical}, 0, options);
        QCOMPARE(categorical.factor, 0);
        QCOMPARE(categorical.factorKind, FactorKind::Categorical);
        QVERIFY2(std::abs(categorical.precisionAtK - 1.0 / 6.0) < 1e-12,
            qPrintable(QString::number(categorical.precisionAtK)));
        QVERIFY2(std::abs(categorical.precisionChance - 0.8 / 6.0) < 1e-12,
            qPrintable(QString::number(categorical.precisionChance)));
        // Average precision always asks for the same value: the kind does not change it.
        QVERIFY(std::abs(categorical.meanAveragePrecision - (1.0 / 3 + 0.25 + 1 + 1) / 4) < 1e-12);
        QVERIFY(std::abs(categorical.mapChance - 0.2) < 1e-12);

        const auto circular = scoreRetrievalDirection(
            scores, factors, {"hue", "parity"}, {FactorKind::Circular, FactorKind::Categorical}, 0, options);
        QCOMPARE(circular.factorKind, FactorKind::Circular);
        QVERIFY2(
            std::abs(circular.precisionAtK - 4.5 / 6.0) < 1e-12, qPrintable(QString::number(circular.precisionAtK)));
        QVERIFY2(std::abs(circular.precisionChance - 4.4 / 6.0) < 1e-12,
            qPrintable(QString::number(circular.precisionChance)));
        QVERIFY(std::abs(circular.meanAveragePrecision - (1.0 / 3 + 0.25 + 1 + 1) / 4) < 1e-12);

        // The per-factor chance over the whole pool (the Retrieval panel's, every image a query) is the same
        // average: parity has 2 other images of 5 sharing its class, and as a circle of 2 every value is relevant.
        const auto close = [](const std::vector<double> &a, const std::vector<double> &b) {
            if (a.size() != b.size())
                return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (std::abs(a[i] - b[i]) > 1e-12)
                    return false;
            return true;
        };
        QVERIFY(
            close(relevanceChancePerFactor(factors, {FactorKind::Ordinal, FactorKind::Categorical}), {2.8 / 6.0, 0.4}));
        QVERIFY(close(
            relevanceChancePerFactor(factors, {FactorKind::Categorical, FactorKind::Categorical}), {0.8 / 6.0, 0.4}));
        QVERIFY(
            close(relevanceChancePerFactor(factors, {FactorKind::Circular, FactorKind::Circular}), {4.4 / 6.0, 1.0}));
        QVERIFY(invalidArgumentOf([&] {
            relevanceChancePerFactor(factors, {FactorKind::Ordinal});
        }).contains("one factor kind per factor"));
    }

    void spritesPoolsKeepTheirFactors()
    {
        const auto pool = spritesPool(12, 3);
        QCOMPARE(pool.count(), 12);
        QCOMPARE(pool.images.channels, 1);
        QCOMPARE(pool.factors.factorCount(), 5);
        QCOMPARE(pool.factorNames.size(), std::size_t(5));
        // The world's kinds travel with the pool: shape has no order, the sprite's angle wraps, the rest are lines.
        QCOMPARE(pool.factorKinds,
            (std::vector<FactorKind> {FactorKind::Categorical, FactorKind::Ordinal, FactorKind::Circular,
                FactorKind::Ordinal, FactorKind::Ordinal}));
        for (int i : {0, 7, 11}) {
            SpriteFactors f;
            for (int factor = 0; factor < SpriteFactorCount; ++factor)
                f.setIndex(SpriteFactor(factor), pool.factors.at(i, factor));
            const auto image = renderSprite(f, PoolSide);
            QVERIFY(std::equal(image.bytes.begin(), image.bytes.end(), pool.images.imageData(i)));
        }
        QCOMPARE(spritesPool(12, 3).images.pixels, pool.images.pixels); // seeded
        QVERIFY(spritesPool(12, 4).images.pixels != pool.images.pixels);
        RetrievalPoolSpec bad;
        bad.resolution = 48;
        QVERIFY(invalidArgumentOf([&] { buildRetrievalPool(bad); }).contains("32 or 64"));
    }

    void networkInputIsMinusOneToOne()
    {
        // Pixels reach the network in the generator's range, not ToTensor's [0, 1] (docs/methods/sre.md, pitfall 14).
        const std::vector<std::uint8_t> rgb = {0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0}; // 2 x 2 RGB
        std::vector<float> out(4);
        uint8ImageToNetwork(rgb.data(), 2, 2, 3, {1, 2}, out.data());
        const std::vector<float> expected = {-1, 1, 1, -1};
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::abs(out[i] - expected[i]) < 1e-5f); // luma weights sum to 1 up to float rounding
        std::vector<float> grown(3 * 4 * 4);
        uint8ImageToNetwork(rgb.data(), 2, 2, 3, {3, 4}, grown.data());
        for (float v : grown) // bilinear weights sum to 1 up to float rounding
            QVERIFY2(std::abs(v) <= 1.0f + 1e-6f, qPrintable(QString::number(double(v), 'g', 10)));
        std::vector<float> shrunk(1);
        floatImageToNetwork({-1, 1, 1, -1}, 1, 2, 2, {1, 1}, shrunk.data());
        QVERIFY(std::abs(shrunk[0]) < 1e-6f); // INTER_AREA averages
        QVERIFY(invalidArgumentOf([&] {
            floatImageToNetwork({0, 0, 0}, 1, 2, 2, {1, 1}, shrunk.data());
        }).contains("needs that many values"));
    }

    void encodedPoolIsCachedAndACorruptCacheIsRebuilt()
    {
        const auto pool = spritesPool(40, 5);
        const auto scoreFile = pathOf("sre.scores.pt");
        sc::writeRandomScoreNetwork(scoreFile, 1, PoolSide, Directions, 1);
        const auto cacheDir = pathOf("cache");

        const auto first = encodePoolCached(scoreFile, pool, cacheDir);
        QVERIFY(!first.fromCache);
        QCOMPARE(first.scores.rows, 40);
        QCOMPARE(first.scores.cols, Directions);
        for (double v : first.scores.values)
            QVERIFY(std::isfinite(v));
        QVERIFY(maxAbsDifference(poolScoresOf(first.scores, 0), poolScoresOf(first.scores, 1)) > 1e-6);
        QVERIFY(first.cachePath.rfind(cacheDir, 0) == 0);
        QVERIFY(std::filesystem::exists(first.cachePath));

        const auto written = std::filesystem::last_write_time(first.cachePath);
        const auto second = encodePoolCached(scoreFile, pool, cacheDir);
        QVERIFY(second.fromCache);
        QCOMPARE(second.scores.values, first.scores.values);
        QVERIFY(std::filesystem::last_write_time(first.cachePath) == written); // read, not rewritten

        // Flip one byte in the payload: the checksum catches it and the scores are recomputed, not trusted.
        {
            std::fstream file(first.cachePath, std::ios::in | std::ios::out | std::ios::binary);
            file.seekg(-20, std::ios::end);
            char byte = 0;
            file.read(&byte, 1);
            file.seekp(-20, std::ios::end);
            byte = char(byte ^ 0x5a);
            file.write(&byte, 1);
        }
        const auto rebuilt = encodePoolCached(scoreFile, pool, cacheDir);
        QVERIFY(!rebuilt.fromCache);
        QCOMPARE(rebuilt.scores.values, first.scores.values);
        QVERIFY(encodePoolCached(scoreFile, pool, cacheDir).fromCache);

        // Truncated cache: rebuilt too.
        std::filesystem::resize_file(first.cachePath, 100);
        QVERIFY(!encodePoolCached(scoreFile, pool, cacheDir).fromCache);

        // A different network under the same name makes the cache stale.
        sc::writeRandomScoreNetwork(scoreFile, 1, PoolSide, Directions, 2);
        const auto stale = encodePoolCached(scoreFile, pool, cacheDir);
        QVERIFY(!stale.fromCache);
        QCOMPARE(stale.cachePath, first.cachePath); // overwritten in place, not left beside the new one
        QVERIFY(maxAbsDifference(stale.scores.values, first.scores.values) > 1e-6);

        // Another pool has its own cache; without a cache folder it sits next to the score file.
        const auto other = encodePoolCached(scoreFile, spritesPool(40, 6), {});
        QVERIFY(!other.fromCache);
        QVERIFY(other.cachePath.rfind(scoreFile, 0) == 0);

        // A cache folder that cannot be created (under a file): the scores come all the same, the cache is skipped.
        const auto unwritable = encodePoolCached(scoreFile, pool, scoreFile + "/cache");
        QVERIFY(!unwritable.fromCache);
        QVERIFY(unwritable.cachePath.empty());
        QCOMPARE(unwritable.scores.values, stale.scores.values);
    }

    void queriesFromFilesAndRawImagesMatchThePool()
    {
        const auto pool = spritesPool(10, 8);
        const auto scoreFile = pathOf("encoder.pt");
        sc::writeRandomScoreNetwork(scoreFile, 1, PoolSide, Directions, 3, "encoder");
        const ScoreEncoder encoder(scoreFile);
        QCOMPARE(encoder.outputs(), Directions);
        QCOMPARE(encoder.kind(), std::string("encoder"));
        const Matrix scores = encoder.encodePool(pool);
        const auto expected = poolScoresOf(scores, 4);

        const cv::Mat grey(PoolSide, PoolSide, CV_8UC1, const_cast<std::uint8_t *>(pool.images.imageData(4)));
        const auto greyPng = pathOf("query-grey.png");
        QVERIFY(cv::imwrite(greyPng, grey));
        QVERIFY(maxAbsDifference(encoder.encodeImageFile(greyPng), expected) < 1e-5);

        // The same sprite as a colour file at twice the size: grey conversion and INTER_AREA undo both.
        cv::Mat colour, large;
        cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
        cv::resize(colour, large, cv::Size(2 * PoolSide, 2 * PoolSide), 0, 0, cv::INTER_NEAREST);
        const auto colourPng = pathOf("query-colour.png");
        QVERIFY(cv::imwrite(colourPng, large));
        QVERIFY(maxAbsDifference(encoder.encodeImageFile(colourPng), expected) < 1e-4);

        std::vector<float> raw(std::size_t(PoolSide) * PoolSide);
        for (std::size_t p = 0; p < raw.size(); ++p)
            raw[p] = float(pool.images.imageData(4)[p]) / 127.5f - 1.0f;
        QVERIFY(maxAbsDifference(encoder.encodeImage(raw, 1, PoolSide, PoolSide), expected) < 1e-5);

        const auto nonsense = pathOf("nonsense.png");
        std::ofstream(nonsense) << "not an image";
        const auto unreadable = dataErrorOf([&] { encoder.encodeImageFile(nonsense); });
        QVERIFY2(unreadable.contains(QString::fromStdString(nonsense)) && unreadable.contains("cannot be read"),
            qPrintable(unreadable));
        QVERIFY(dataErrorOf([&] { encoder.encodeImageFile(pathOf("absent.png")); }).contains("does not exist"));
        QVERIFY(dataErrorOf([&] { ScoreEncoder bad(nonsense); }).contains(QString::fromStdString(nonsense)));

        // Encoding stops when progress asks to.
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, encoder.encodePool(pool, [](double, const std::string &) { return false; }));
    }

    void tableScoresEveryDirection()
    {
        const auto pool = spritesPool(300, 9);
        const auto scoreFile = pathOf("table.pt");
        sc::writeRandomScoreNetwork(scoreFile, 1, PoolSide, Directions, 4);
        RetrievalScoringOptions options;
        options.queries = 20;
        const auto table = retrievalTable(scoreFile, pool, options, pathOf("cache"));
        QCOMPARE(int(table.rows.size()), Directions);
        QCOMPARE(table.kind, std::string("sre-estimator"));
        for (int k = 0; k < Directions; ++k) {
            const auto &row = table.rows[std::size_t(k)];
            QCOMPARE(row.direction, k);
            QVERIFY(row.factor >= 0 && row.factor < SpriteFactorCount);
            QCOMPARE(row.factorName, pool.factorNames[std::size_t(row.factor)]);
            QCOMPARE(row.factorKind, pool.factorKinds[std::size_t(row.factor)]);
            QVERIFY(std::abs(row.spearman) <= 1.0);
            QVERIFY(row.precisionAtK >= 0 && row.precisionAtK <= 1);
            QVERIFY(row.meanAveragePrecision > 0 && row.meanAveragePrecision <= 1);
            QVERIFY(row.precisionChance > 0 && row.precisionChance < 1);
            QCOMPARE(row.queries, 20);
        }
        // A random CNN still sees position and size: some direction correlates clearly with some factor.
        double strongest = 0;
        for (const auto &row : table.rows)
            strongest = std::max(strongest, std::abs(row.spearman));
        QVERIFY2(strongest > 0.2, qPrintable(QString::number(strongest)));
        QVERIFY(retrievalTable(scoreFile, pool, options, pathOf("cache")).scoresFromCache);
        const auto text = formatRetrievalTable(table);
        QVERIFY(text.find("prec@5") != std::string::npos && text.find("mean mAP") != std::string::npos);
        QVERIFY(text.find("within one step around the circle of a circular one") != std::string::npos);

        RetrievalPool unlabelled = pool;
        unlabelled.factors = {};
        QVERIFY(dataErrorOf([&] { retrievalTable(scoreFile, unlabelled, options); }).contains("no ground-truth"));
    }

    void scenesPoolsCarryTheirKinds()
    {
        RetrievalPoolSpec spec;
        spec.source = PoolSource::Scenes;
        spec.count = 4;
        spec.resolution = 16;
        const auto pool = buildRetrievalPool(spec);
        QCOMPARE(pool.factorNames, FactorWorld::of(WorldKind::Scenes).names());
        // The three hues wrap, orientation and scale are lines, shape has no order.
        QCOMPARE(pool.factorKinds,
            (std::vector<FactorKind> {FactorKind::Circular, FactorKind::Circular, FactorKind::Circular,
                FactorKind::Ordinal, FactorKind::Categorical, FactorKind::Ordinal}));
        QCOMPARE(pool.factorNames[4], std::string("shape"));
    }

    void datasetPoolsUseTheirLabels()
    {
        RetrievalPoolSpec spec;
        spec.source = PoolSource::Dataset;
        spec.dataset.kind = DatasetKind::Sprites;
        spec.dataset.imageSize = PoolSide;
        const auto pool = buildRetrievalPool(spec);
        QCOMPARE(pool.factorNames, (std::vector<std::string> {"target", "bias"}));
        // Class labels have no order: relevance is the same class.
        QCOMPARE(pool.factorKinds, (std::vector<FactorKind> {FactorKind::Categorical, FactorKind::Categorical}));
        QCOMPARE(pool.factors.rows, pool.count());
        QCOMPARE(pool.images.channels, 3);
        // A grey network on an RGB pool: channels converted, scores finite.
        const auto scoreFile = pathOf("grey.pt");
        sc::writeRandomScoreNetwork(scoreFile, 1, PoolSide, 2, 5);
        const auto encoded = encodePoolCached(scoreFile, pool, pathOf("cache"));
        QCOMPARE(encoded.scores.rows, pool.count());
        for (double v : encoded.scores.values)
            QVERIFY(std::isfinite(v));
    }
};

QTEST_GUILESS_MAIN(TstRetrieval)
#include "tst_retrieval.moc"
