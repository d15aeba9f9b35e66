#pragma once

#include <QString>

namespace untangle {

class BranchHeatMaps;
class DebiasCurves;
class RunHistory;

/**
 * A one-page run report: the settings, the final table (result.json: selected and last epoch, stage-1 branches,
 * hardest-sample precision, timings) and the key plots and heat maps as they are on screen. PDF when path ends in
 * .pdf, PNG otherwise. False with *error set when the file cannot be written.
 */
bool writeRunReport(const QString &path, const RunHistory &history, DebiasCurves *curves, BranchHeatMaps *maps,
    QString *error = nullptr);

} // namespace untangle
