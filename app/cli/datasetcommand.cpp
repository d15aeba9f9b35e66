#include "datasetcommand.h"

#include "clicommon.h"
#include "dataerror.h"
#include "datasethandle.h"
#include "datasetreport.h"
#include "lffformat.h"

#include <QCommandLineParser>
#include <QJsonDocument>

#include <cstdio>

namespace untangle::cli {
namespace {

QString datasetKeys()
{
    QStringList keys;
    for (auto kind : allDatasetKinds())
        keys << QString::fromStdString(datasetKey(kind));
    return keys.join('|');
}

} // namespace

int runDatasetCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Build a biased dataset and print its per-split counts.");
    parser.addHelpOption();
    parser.addOption({"dataset", "Dataset: " + datasetKeys() + ".", "name", "cmnist10k"});
    parser.addOption({"ratio", "Fraction of bias-conflicting training samples (0..1).", "R", "0.01"});
    parser.addOption({"noise", "Colour jitter std on training images.", "sigma", "0.005"});
    parser.addOption({"seed", "Random seed.", "S", "0"});
    parser.addOption({"path", "Folder for cmnist-idx, folder and lff datasets.", "dir"});
    parser.addOption({"size", "Image size for folder (resize), sprites and scenes (32 or 64).", "N", "0"});
    parser.addOption(
        {"export-lff", "Also write the dataset in the LfF/DeNetDM format (images.npy, attrs.npy).", "dir"});
    parser.addOption({"json", "Print one JSON document on stdout."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty())
        return fail(UsageError, "unexpected argument " + parser.positionalArguments().first());

    DatasetSpec spec;
    if (!parseDatasetKey(parser.value("dataset").toStdString(), spec.kind))
        return fail(UsageError, "unknown dataset '" + parser.value("dataset") + "'; choose one of " + datasetKeys());
    SettingOptions options(parser);
    options.number("ratio", spec.ratio);
    options.number("noise", spec.colorNoise);
    options.number("seed", spec.seed);
    options.number("size", spec.imageSize);
    if (!options.ok())
        return options.failure();
    if (!(spec.ratio >= 0.0 && spec.ratio <= 1.0))
        return fail(UsageError, "--ratio must be a number in [0, 1], got '" + parser.value("ratio") + "'");
    if (!(spec.colorNoise >= 0.0))
        return fail(UsageError, "--noise must be a non-negative number, got '" + parser.value("noise") + "'");
    if (spec.imageSize < 0)
        return fail(UsageError, "--size must be a non-negative integer, got '" + parser.value("size") + "'");
    spec.path = parser.value("path").toStdString();
    if (datasetNeedsPath(spec.kind) && spec.path.empty())
        return fail(UsageError, "--dataset " + parser.value("dataset") + " needs --path DIR");

    try {
        const DatasetHandle built = buildDatasetHandle(spec);
        if (parser.isSet("export-lff")) {
            exportLff(built->dataset, parser.value("export-lff").toStdString());
            std::fprintf(stderr, "exported LfF format to %s\n", qPrintable(parser.value("export-lff")));
        }
        if (parser.isSet("json"))
            std::printf("%s", QJsonDocument(datasetReportJson(*built)).toJson(QJsonDocument::Indented).constData());
        else
            std::printf("%s", qPrintable(datasetReportText(*built)));
    } catch (const std::exception &error) {
        return fail(BadInput, QString::fromUtf8(error.what()));
    }
    return Success;
}

} // namespace untangle::cli
