#include "tablecommand.h"

#include "clicommon.h"
#include "debiasseeds.h"
#include "runfolder.h"
#include "runfolderclaim.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <cmath>
#include <cstdio>

namespace untangle::cli {
namespace {

/** Values of one statistic over seeds. */
struct Series {
    QVector<double> values;
    void add(double fraction) // undefined (NaN: an empty group) is left out
    {
        if (std::isfinite(fraction))
            values << 100.0 * fraction;
    }
    QString text() const
    {
        if (values.isEmpty())
            return "-";
        double mean = 0;
        for (double v : values)
            mean += v;
        mean /= values.size();
        double var = 0;
        for (double v : values)
            var += (v - mean) * (v - mean);
        const double std = values.size() > 1 ? std::sqrt(var / (values.size() - 1)) : 0.0;
        return QString("%1 ± %2").arg(mean, 0, 'f', 2).arg(std, 0, 'f', 2);
    }
};

struct Row {
    QString dataset, method;
    double ratio = 0;
    int seeds = 0;
    Series selected, last, selectedConflicting, selectedWorst, deepConflicting, deepAligned, shallowConflicting,
        shallowAligned, hardPrecision, healthBias, healthTarget, seconds;
};

/**
 * The method as a row names it: runs of one method with other recipes or lengths are other rows ("lff official",
 * "lff untangle", "denetdm, 756 epochs"), so a step-matched run never averages into the 100-epoch row.
 */
QString methodLabel(const DebiasConfig &config)
{
    QString label = QString::fromStdString(methodKey(config.method));
    if (config.method == DebiasMethod::Lff) {
        const auto recipe = lffRecipeOf(config);
        label += recipe ? " " + QString::fromStdString(lffRecipeKey(*recipe)) : QString(" custom");
        if (config.lffRescaleInputs)
            label += ", inputs /255 twice";
    }
    if (config.stage1Epochs != DebiasConfig {}.stage1Epochs)
        label += QString(", %1 epochs").arg(config.stage1Epochs);
    return label;
}

QString rowKey(const QString &dataset, double ratio, const QString &method)
{
    static const QStringList order = {"erm", "lff", "denetdm"};
    const QString key = method.section(QRegularExpression("[ ,]"), 0, 0);
    return QString("%1|%2|%3|%4").arg(dataset).arg(ratio, 8, 'f', 5, '0').arg(order.indexOf(key)).arg(method);
}

} // namespace

int runTableCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Summarise run folders (their result.json) as one table, mean ± std over seeds.");
    parser.addHelpOption();
    parser.addPositionalArgument("runs", "Run folders (a --seeds batch stands for its seed folders).", "RUN_DIR...");
    parser.addOption({"json", "Print the rows as JSON."});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (parser.positionalArguments().isEmpty())
        return fail(UsageError, "table needs at least one run folder");

    // A multi-seed batch (--seeds N) stands for its seed folders.
    QStringList folders;
    for (const QString &dir : parser.positionalArguments()) {
        if (detectRunKind(dir.toStdString()) != RunKind::DebiasSeeds) {
            folders << dir;
            continue;
        }
        try {
            for (std::uint64_t seed : readSeedsPlan(dir.toStdString()).seeds)
                folders << QString::fromStdString(seedRunDir(dir.toStdString(), seed));
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromUtf8(error.what()));
        }
    }
    QMap<QString, Row> rows;
    for (const QString &dir : folders) {
        std::optional<DebiasResult> result;
        try {
            result = RunFolder(dir.toStdString()).readResult();
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromUtf8(error.what()));
        }
        if (!result) {
            std::fprintf(stderr, "untangle-cli: skipping %s: no result.json yet (run unfinished?)\n", qPrintable(dir));
            continue;
        }
        const DebiasResult &r = *result;
        if (r.stopped) {
            // Older versions wrote result.json for stopped runs too; their numbers are not a finished seed.
            std::fprintf(stderr, "untangle-cli: skipping %s: the run was stopped before it finished (resume it)\n",
                qPrintable(dir));
            continue;
        }
        const QString dataset = QString::fromStdString(datasetKey(r.config.dataset.kind));
        // result.json names the method; config.json holds the recipe and length that tell its variants apart.
        DebiasConfig config;
        try {
            config = RunFolder(dir.toStdString()).readConfig();
        } catch (const std::exception &error) {
            return fail(BadInput, QString::fromUtf8(error.what()));
        }
        const QString method = methodLabel(config);
        const double ratio = r.config.dataset.ratio;
        Row &row = rows[rowKey(dataset, ratio, method)];
        row.dataset = dataset;
        row.method = method;
        row.ratio = ratio;
        row.seeds += 1;
        row.selected.add(r.selected.test.unbiased);
        row.selectedConflicting.add(r.selected.test.conflicting);
        row.selectedWorst.add(r.selected.test.worstGroup);
        row.last.add(r.last.test.unbiased);
        row.hardPrecision.add(r.hardest.precision);
        row.healthBias.add(r.stage1Health.biasDecodability); // NaN (probes off, older runs) is left out
        row.healthTarget.add(r.stage1Health.targetDecodability);
        row.seconds.values << r.totalSeconds;
        if (r.config.method == DebiasMethod::DeNetDM) {
            row.deepConflicting.add(r.stage1Deep.test.conflicting);
            row.deepAligned.add(r.stage1Deep.test.aligned);
            row.shallowConflicting.add(r.stage1Shallow.test.conflicting);
            row.shallowAligned.add(r.stage1Shallow.test.aligned);
        }
    }

    if (rows.isEmpty())
        return fail(BadInput, "none of the folders holds a result.json");
    if (parser.isSet("json")) {
        QJsonArray out;
        for (const Row &row : rows)
            out.append(QJsonObject {{"dataset", row.dataset}, {"method", row.method}, {"ratio", row.ratio},
                {"seeds", row.seeds}, {"selected_unbiased", row.selected.text()}, {"last_unbiased", row.last.text()}});
        std::printf("%s", QJsonDocument(out).toJson().constData());
        return Success;
    }
    std::printf(
        "| dataset | ratio %% | method | seeds | unbiased (selected) | unbiased (last) | conflicting (selected) | "
        "worst group (selected) | stage-1 deep confl. / aligned | stage-1 shallow confl. / aligned | "
        "hardest-sample precision | biased branch by probes: bias / target decodable | seconds per run |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const Row &row : rows) {
        const bool denetdm = row.method.startsWith("denetdm");
        auto pair = [denetdm](const Series &a, const Series &b) {
            return denetdm ? a.text() + " / " + b.text() : QString("-");
        };
        const Series &seconds = row.seconds; // filled with plain seconds, not through add(), which scales to %
        const QString health
            = row.healthBias.values.isEmpty() ? QString("-") : row.healthBias.text() + " / " + row.healthTarget.text();
        std::printf("| %s | %g | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", qPrintable(row.dataset),
            100.0 * row.ratio, qPrintable(row.method), row.seeds, qPrintable(row.selected.text()),
            qPrintable(row.last.text()), qPrintable(row.selectedConflicting.text()),
            qPrintable(row.selectedWorst.text()), qPrintable(pair(row.deepConflicting, row.deepAligned)),
            qPrintable(pair(row.shallowConflicting, row.shallowAligned)), qPrintable(row.hardPrecision.text()),
            qPrintable(health), qPrintable(seconds.text()));
    }
    return Success;
}

} // namespace untangle::cli
