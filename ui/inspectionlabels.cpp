#include "inspectionlabels.h"

#include <QCoreApplication>

#include <algorithm>
#include <numeric>

namespace untangle {

QStringList shownHeads(const RunHeads &heads)
{
    QStringList shown;
    for (const auto &head : heads.names)
        if (head != "poe")
            shown << QString::fromStdString(head);
    return shown;
}

int headIndex(const RunHeads &heads, const QString &head)
{
    return heads.indexOf(head.toStdString());
}

QStringList disagreementPair(DebiasMethod method)
{
    switch (method) {
    case DebiasMethod::DeNetDM:
        return {"deep", "shallow"};
    case DebiasMethod::Lff:
        return {"biased", "debiased"};
    case DebiasMethod::Erm:
        break;
    }
    return {};
}

bool hasColourBias(DatasetKind kind)
{
    return kind == DatasetKind::ColoredMnist10k || kind == DatasetKind::ColoredMnistIdx
        || kind == DatasetKind::ColoredFashion;
}

QString weightsText(const HeadWeights &weights)
{
    return QCoreApplication::translate("InspectionLabels", "stage %1, epoch %2").arg(weights.stage).arg(weights.epoch);
}

QString headWeightsText(const RunHeads &runHeads, const QStringList &heads)
{
    // Heads sharing weights' epoch are named together, in the order they come.
    QList<HeadWeights> groups;
    QList<QStringList> names;
    for (const QString &head : heads) {
        const HeadWeights weights = runHeads.weightsOf(head.toStdString());
        int at = 0;
        while (at < groups.size()
            && !(groups[at].stage == weights.stage && groups[at].epoch == weights.epoch
                && groups[at].selected == weights.selected))
            ++at;
        if (at == groups.size()) {
            groups << weights;
            names << QStringList();
        }
        names[at] << head;
    }
    QStringList parts;
    bool allSelected = true;
    for (int i = 0; i < groups.size(); ++i) {
        const QStringList &group = names[i];
        const QString who = group.size() == 1
            ? group[0]
            : QCoreApplication::translate("InspectionLabels", "%1 and %2")
                  .arg(QStringList(group.mid(0, group.size() - 1)).join(QStringLiteral(", ")), group.back());
        parts << QCoreApplication::translate("InspectionLabels", "%1 at %2").arg(who, weightsText(groups[i]));
        allSelected = allSelected && groups[i].selected;
    }
    const QString how = allSelected
        ? QCoreApplication::translate("InspectionLabels", "each stage's epoch selected on the valid split")
        : QCoreApplication::translate("InspectionLabels", "the last finished epoch where no epoch was selected yet");
    return QStringLiteral("%1 (%2)").arg(parts.join(QStringLiteral(", ")), how);
}

QString labelName(const std::vector<std::string> &names, std::int64_t index)
{
    return index >= 0 && index < std::int64_t(names.size()) ? QString::fromStdString(names[std::size_t(index)])
                                                            : QString::number(index);
}

QString predictionText(const HeadPrediction &prediction, const std::vector<std::string> &targetNames)
{
    return QStringLiteral("%1 (%2%)")
        .arg(labelName(targetNames, prediction.predicted))
        .arg(100.0 * prediction.confidence, 0, 'f', 0);
}

QString probabilitiesText(const HeadPrediction &prediction, const std::vector<std::string> &targetNames)
{
    std::vector<int> order(prediction.probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](int a, int b) { return prediction.probabilities[a] > prediction.probabilities[b]; });
    QStringList parts;
    for (int k : order)
        parts << QStringLiteral("%1 %2%")
                     .arg(labelName(targetNames, k))
                     .arg(100.0 * prediction.probabilities[k], 0, 'f', 1);
    return QString::fromStdString(prediction.head) + ": " + parts.join(QStringLiteral(" · "));
}

QString branchHealthText(const BranchHealth &health)
{
    if (!health.known())
        return {};
    constexpr double CleanSplit = 0.30; // 30 points: a branch that keeps the cue and has mostly let the target go
    const double split = health.split();
    const QString verdict = split >= CleanSplit ? QObject::tr("it holds the cue")
        : split <= 0.0                          ? QObject::tr("it has learned the target too")
                                                : QObject::tr("it holds the cue only partly");
    QString branch = QString::fromStdString(health.branch);
    branch[0] = branch[0].toUpper();
    return QObject::tr("%1 branch at stage-1 epoch %2, by linear probes: the bias %3% decodable, the target %4% — %5")
        .arg(branch)
        .arg(health.epoch)
        .arg(100.0 * health.biasDecodability, 0, 'f', 1)
        .arg(100.0 * health.targetDecodability, 0, 'f', 1)
        .arg(verdict);
}

} // namespace untangle
