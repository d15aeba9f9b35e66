#pragma once

#include "debiasrecords.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace untangle {

class DebiasCurves;
class RunHistory;

/**
 * What a run report shows, all at one epoch per stage: the epoch selected on the unbiased valid split for the final
 * head (and, for DeNetDM, stage 1's selected epoch for the deep and shallow branches), or the last evaluation of a
 * run that has not selected one. The table, the heat maps and the marker on the curves are at those epochs.
 */
struct RunReportContents {
    QString epochLine; // which epochs, in words
    QStringList tableLines; // one row per head: stage, epoch, unbiased, aligned, conflicting, worst group
    QStringList noteLines; // hardest-sample precision, timings (not tied to an epoch)
    QVector<EvaluationRecord> mapRecords; // the record of each heat map, in order
    QStringList mapHeads; // the head of each heat map
    double markerEpoch = 0.0; // the final head's epoch on the curves' axis
};

/** A batch of seeds, for a report of their mean: the history then holds the mean of every evaluation. */
struct ReportSeeds {
    QString seeds; // "0, 1, 2"
    QStringList summaryLines; // mean ± std at each seed's own selected epoch (SeedsHistory::summaryLines)
};

/** With seeds, the table is the batch's mean ± std and the maps are the mean at the newest evaluation. */
RunReportContents runReportContents(const RunHistory &history, const ReportSeeds *seeds = nullptr);

/**
 * A one-page run report: the settings, runReportContents (the table and the heat maps at the selected epochs, the
 * marker on the curves there too) and the accuracy and decodability curves. PDF when path ends in .pdf, PNG
 * otherwise. False with *error set when the file cannot be written.
 */
bool writeRunReport(const QString &path, const RunHistory &history, DebiasCurves *curves,
    const QStringList &targetNames, const QStringList &biasNames, QString *error = nullptr,
    const ReportSeeds *seeds = nullptr);

} // namespace untangle
