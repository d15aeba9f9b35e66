#include "datasetreport.h"

#include "datasetnaming.h"

#include <QJsonArray>
#include <QTextStream>

namespace untangle {
namespace {

QJsonArray toJson(const std::vector<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return array;
}

QJsonArray toJson(const std::vector<std::string> &values)
{
    QJsonArray array;
    for (const auto &v : values)
        array.append(QString::fromStdString(v));
    return array;
}

QJsonObject splitJson(const SplitCounts &counts)
{
    QJsonArray cells;
    for (const auto &row : counts.cells)
        cells.append(toJson(row));
    return QJsonObject {{"total", counts.total}, {"aligned", counts.aligned}, {"conflicting", counts.conflicting},
        {"perClass", toJson(counts.perTarget)}, {"conflictingPerClass", toJson(counts.conflictingPerTarget)},
        {"cells", cells}};
}

QJsonArray factorsJson(DatasetKind kind)
{
    QJsonArray factors;
    for (const auto &factor : datasetFactors(kind))
        factors.append(QJsonObject {{"name", QString::fromStdString(factor.name)}, {"count", factor.count}});
    return factors;
}

QString joined(const std::vector<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return parts.join(' ');
}

} // namespace

QJsonObject datasetReportJson(const BuiltDataset &built)
{
    const auto &spec = built.spec;
    const QJsonObject specJson {{"kind", QString::fromStdString(datasetKey(spec.kind))}, {"ratio", spec.ratio},
        {"colorNoise", spec.colorNoise}, {"seed", QString::number(spec.seed)},
        {"path", QString::fromStdString(spec.path)}, {"imageSize", spec.imageSize}};
    const auto &train = built.dataset.train;
    return QJsonObject {{"dataset", QString::fromStdString(built.dataset.name)},
        {"description", QString::fromStdString(built.dataset.description)}, {"spec", specJson},
        {"imageShape", QJsonArray {train.height, train.width, train.channels}},
        {"numTargets", built.dataset.numTargets()}, {"numBiases", built.dataset.numBiases()},
        {"targetNames", toJson(built.dataset.targetNames)}, {"biasNames", toJson(built.dataset.biasNames)},
        {"splits",
            QJsonObject {
                {"train", splitJson(built.train)}, {"valid", splitJson(built.valid)}, {"test", splitJson(built.test)}}},
        {"factors", factorsJson(spec.kind)}, {"buildSeconds", built.buildSeconds},
        {"warnings", toJson(built.dataset.warnings)}};
}

QString datasetReportText(const BuiltDataset &built)
{
    QString text;
    QTextStream out(&text);
    out << QString::fromStdString(built.dataset.description) << "\n";
    out << QString("images %1x%2x%3, %4 targets x %5 biases, built in %6 s\n")
               .arg(built.dataset.train.height)
               .arg(built.dataset.train.width)
               .arg(built.dataset.train.channels)
               .arg(built.dataset.numTargets())
               .arg(built.dataset.numBiases())
               .arg(built.buildSeconds, 0, 'f', 3);
    out << QString("%1 %2 %3 %4\n").arg("split", -6).arg("total", 8).arg("aligned", 8).arg("conflicting", 12);
    const std::pair<const char *, const SplitCounts *> splits[]
        = {{"train", &built.train}, {"valid", &built.valid}, {"test", &built.test}};
    for (const auto &[name, counts] : splits)
        out << QString("%1 %2 %3 %4\n")
                   .arg(name, -6)
                   .arg(counts->total, 8)
                   .arg(counts->aligned, 8)
                   .arg(counts->conflicting, 12);
    out << "train per class:             " << joined(built.train.perTarget) << "\n";
    out << "train conflicting per class: " << joined(built.train.conflictingPerTarget) << "\n";
    QStringList factors;
    for (const auto &factor : datasetFactors(built.spec.kind))
        factors << QString("%1 %2").arg(QString::fromStdString(factor.name)).arg(factor.count);
    if (!factors.isEmpty())
        out << "factors: " << factors.join(", ") << "\n";
    for (const auto &warning : built.dataset.warnings)
        out << "warning: " << QString::fromStdString(warning) << "\n";
    return text;
}

} // namespace untangle
