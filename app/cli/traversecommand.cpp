#include "traversecommand.h"

#include "clicommon.h"
#include "computeruntime.h"
#include "explore/latentrenderer.h"
#include "explore/traversalgrid.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

namespace untangle::cli {

int runTraverseCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Render a traversal grid as in the papers: one row per direction, columns from "
                                     "-range to +range sigma_k along it, the centre column unedited.");
    parser.addHelpOption();
    parser.addOption({"generator", "Generator.", "path"});
    parser.addOption({"directions", "A directions.json, or the run folder holding it.", "path"});
    parser.addOption({"seed", "Seed of the z every row starts from.", "S", "0"});
    parser.addOption({"columns", "Shifts per row (odd).", "N", "7"});
    parser.addOption({"range", "Outer shift in units of each direction's sigma.", "r", "2"});
    parser.addOption({"rows", "Comma-separated directions to show, 1-based (default: all).", "list"});
    parser.addOption({"truncation", "psi (1 = none).", "psi", "1.0"});
    parser.addOption({"out", "PNG file to write.", "file"});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.isSet("generator") || !parser.isSet("directions") || !parser.isSet("out"))
        return fail(UsageError, "--generator, --directions and --out are required");
    if (const QString problem
        = outputFileProblem("out", parser.value("out"), {parser.value("generator"), parser.value("directions")});
        !problem.isEmpty())
        return fail(UsageError, problem);
    TraversalOptions options;
    SettingOptions numbers(parser);
    numbers.number("seed", options.seed);
    numbers.number("columns", options.columns);
    numbers.number("range", options.range);
    numbers.number("truncation", options.truncation);
    if (!numbers.ok())
        return numbers.failure();
    for (const QString &row : parser.value("rows").split(',', Qt::SkipEmptyParts)) {
        bool isNumber = false;
        options.rows.push_back(row.trimmed().toInt(&isNumber) - 1);
        if (!isNumber)
            return fail(UsageError, "--rows takes 1-based direction numbers, e.g. 1,3,5");
    }
    configureComputeThread(1);
    return runReportingErrors([&]() -> int {
        LatentRenderer renderer(QFileInfo(parser.value("generator")).absoluteFilePath().toStdString());
        const auto directions
            = loadDirectionSet(QFileInfo(parser.value("directions")).absoluteFilePath().toStdString());
        std::vector<ImageU8> tiles;
        for (auto &row : renderTraversal(renderer, directions, options))
            tiles.insert(tiles.end(), row.begin(), row.end());
        const std::string out = QFileInfo(parser.value("out")).absoluteFilePath().toStdString();
        writePngFile(out, tileImageGrid(tiles, options.columns));
        std::printf(
            "%s: %zu rows x %d columns\n", out.c_str(), tiles.size() / std::size_t(options.columns), options.columns);
        return Success;
    });
}

} // namespace untangle::cli
