#include "retrievecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "retrieval/poolscorecache.h"
#include "retrieval/retrieval.h"
#include "sre/scoreencoder.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <thread>

namespace untangle::cli {

namespace {

QJsonObject tableJson(const RetrievalTable &table)
{
    QJsonArray rows;
    for (const auto &row : table.rows)
        rows.append(QJsonObject {{"direction", row.direction + 1}, {"factor", QString::fromStdString(row.factorName)},
            {"spearman", row.spearman}, {"precisionAtK", row.precisionAtK}, {"precisionChance", row.precisionChance},
            {"map", row.meanAveragePrecision}, {"mapChance", row.mapChance}});
    return {{"scoreFile", QString::fromStdString(table.scoreFile)}, {"kind", QString::fromStdString(table.kind)},
        {"pool", QString::fromStdString(table.poolDescription)}, {"k", table.k}, {"rows", rows},
        {"meanPrecisionAtK", table.meanPrecision()}, {"meanAveragePrecision", table.meanAveragePrecision()}};
}

} // namespace

int runRetrieveCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Attribute-based retrieval: encode a pool with a score network (an SRE estimator.pt or an encoder), then list "
        "the k pool images whose score along one direction is closest to the query's. With --table, score every "
        "direction against the pool's ground truth (precision@k, mAP) instead.");
    parser.addHelpOption();
    parser.addOption(
        {"sre", "Score network: an SRE run folder, its estimator.pt, or a distilled encoder file.", "path"});
    parser.addOption({"pool", "sprites, or a dataset key (cmnist10k, cfmnist, ...).", "name", "sprites"});
    parser.addOption({"pool-size", "Sprites pool: images, 2 to " + QString::number(MaxRetrievalPoolImages) + ".", "N",
        QString::number(RetrievalPoolSpec {}.count)});
    parser.addOption({"pool-seed", "Sprites pool: seed of the factor draws.", "S", "0"});
    parser.addOption({"query", "A pool index, or an image file.", "index|path"});
    parser.addOption({"direction", "Direction (attribute), 1..K.", "K", "1"});
    parser.addOption({"k", "Results.", "k", "10"});
    parser.addOption({"table", "Score every direction against the pool's ground truth (precision@k, mAP)."});
    parser.addOption({"queries", "--table: queries averaged.", "Q", "100"});
    parser.addOption({"threads", "LibTorch threads (0 = every core).", "T", "0"});
    parser.addOption({"json", "Print the result as one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;

    if (!parser.isSet("sre"))
        return fail(UsageError, "--sre PATH (a score network file) is required");
    const std::string scoreOption = QFileInfo(parser.value("sre")).absoluteFilePath().toStdString();
    RetrievalPoolSpec spec;
    int direction = 0, k = 0, queries = 0;
    SettingOptions options(parser);
    options.number("pool-size", spec.count);
    options.number("pool-seed", spec.seed);
    options.number("direction", direction);
    options.number("k", k);
    options.number("queries", queries);
    if (!options.ok())
        return options.failure();
    --direction; // 1-based on the command line
    const QString pool = parser.value("pool");
    if (pool != "sprites") {
        spec.source = PoolSource::Dataset;
        if (!parseDatasetKey(pool.toStdString(), spec.dataset.kind))
            return fail(UsageError, "unknown pool '" + pool + "' (sprites or a dataset key)");
    }
    if (!parser.isSet("table") && !parser.isSet("query"))
        return fail(UsageError, "--query INDEX|PATH is required (or --table)");
    try {
        spec.validate(); // before the score network is read or a pool rendered
    } catch (const std::invalid_argument &error) {
        return fail(UsageError, "--pool-size: " + QString::fromUtf8(error.what()));
    }
    configureComputeThread(threadsOption(parser));
    installInterruptHandler();
    return runReportingErrors([&]() -> int {
        const std::string scoreFile = scoreFileOf(scoreOption); // an SRE run folder means its estimator.pt
        const ScoreEncoder encoder(scoreFile);
        if (spec.source == PoolSource::Sprites)
            spec.resolution = encoder.inputShape().resolution;
        const RetrievalPool retrievalPool = buildRetrievalPool(spec, stderrProgress());
        if (parser.isSet("table")) {
            RetrievalScoringOptions options;
            options.k = k;
            options.queries = queries;
            const auto table
                = retrievalTable(scoreFile, retrievalPool, options, defaultPoolCacheDir(), stderrProgress());
            std::fprintf(stderr, "\n");
            if (parser.isSet("json"))
                std::printf("%s\n", QJsonDocument(tableJson(table)).toJson(QJsonDocument::Compact).constData());
            else
                std::printf("%s", formatRetrievalTable(table).c_str());
            return Success;
        }
        const EncodedPool encoded = encodePoolCached(scoreFile, retrievalPool, defaultPoolCacheDir(), stderrProgress());
        std::fprintf(stderr, "\n");
        const QString query = parser.value("query");
        bool isIndex = false;
        const int queryIndex = query.toInt(&isIndex);
        std::vector<double> queryScores;
        if (isIndex) {
            if (queryIndex < 0 || queryIndex >= retrievalPool.count())
                return fail(UsageError,
                    QString("--query %1 is not a pool index (0..%2)").arg(queryIndex).arg(retrievalPool.count() - 1));
            queryScores = poolScoresOf(encoded.scores, queryIndex);
        } else {
            queryScores = encoder.encodeImageFile(QFileInfo(query).absoluteFilePath().toStdString());
        }
        const auto result = retrieve(encoded.scores, queryScores, direction, k, isIndex ? queryIndex : -1);
        if (parser.isSet("json")) {
            QJsonArray items;
            for (std::size_t i = 0; i < result.indices.size(); ++i)
                items.append(QJsonObject {{"index", result.indices[i]}, {"distance", result.distances[i]}});
            const QJsonObject json {{"pool", QString::fromStdString(retrievalPool.description)},
                {"direction", direction + 1}, {"query", query}, {"queryScore", queryScores[std::size_t(direction)]},
                {"results", items}, {"fromCache", encoded.fromCache}};
            std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s; direction %d; query %s (score %.4f)\n", retrievalPool.description.c_str(), direction + 1,
                qPrintable(query), queryScores[std::size_t(direction)]);
            for (std::size_t i = 0; i < result.indices.size(); ++i)
                std::printf("  %2zu. pool image %6d  distance %.4f\n", i + 1, result.indices[i], result.distances[i]);
        }
        return Success;
    });
}

} // namespace untangle::cli
