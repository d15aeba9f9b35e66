#pragma once

#include "debiasconfig.h"
#include "debiasrecords.h"
#include "imageinspection.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** The heads the Inspect page shows: every head but "poe" (it is the product of the deep and shallow ones shown). */
QStringList shownHeads(const RunHeads &heads);
/** Position of head in heads.names (the order of ImagePredictions), or -1. */
int headIndex(const RunHeads &heads, const QString &head);

/** The two heads whose disagreements say most: deep vs shallow (DeNetDM), biased vs debiased (LfF); none for ERM. */
QStringList disagreementPair(DebiasMethod method);

/** Whether the dataset's bias is a palette colour, so an image can be recoloured into a cue-conflict set. */
bool hasColourBias(DatasetKind kind);

/** "stage 1, epoch 87": where a head's weights come from. */
QString weightsText(const HeadWeights &weights);
/**
 * Which epochs the heads' verdicts come from, heads of the same weights together: "deep and shallow at stage 1,
 * epoch 87, target at stage 2, epoch 98 (each stage's epoch selected on the valid split)".
 */
QString headWeightsText(const RunHeads &runHeads, const QStringList &heads);

/**
 * "Deep branch at stage-1 epoch 87, by linear probes: the bias 97.1% decodable, the target 28.3% — it holds the cue"
 * (empty when probes were off). The verdict: holds the cue when the bias is at least 30 points more decodable than the
 * target, has learned the target too when the target is as decodable as the bias, in between otherwise.
 */
QString branchHealthText(const BranchHealth &health);

/** names[index], or the number when the dataset has no name for it. */
QString labelName(const std::vector<std::string> &names, std::int64_t index);
/** "3 (97%)": the predicted class and its probability. */
QString predictionText(const HeadPrediction &prediction, const std::vector<std::string> &targetNames);
/** "deep: 3 97.1% · 8 2.0% · …", every class, most probable first (tooltips). */
QString probabilitiesText(const HeadPrediction &prediction, const std::vector<std::string> &targetNames);

} // namespace untangle
