#pragma once

#include "debiasrecords.h"

#include <string>

namespace untangle {

/** JSON forms of the debias records, as run folders store them (one document per line for JSONL). */
std::string configToJson(const DebiasConfig &config);
/** Throws std::runtime_error naming the field when the JSON is not a config this version understands. */
DebiasConfig configFromJson(const std::string &json);
/**
 * The settings in which two configs differ, as "key: stored vs given" joined by "; " (empty when they agree).
 * Threads are left out: they change speed, not what is computed.
 */
std::string configDifferences(const DebiasConfig &stored, const DebiasConfig &given);

std::string evaluationToJson(const EvaluationRecord &record);
EvaluationRecord evaluationFromJson(const std::string &json);
std::string probeToJson(const ProbeRecord &record);
ProbeRecord probeFromJson(const std::string &json);
std::string resultToJson(const DebiasResult &result, bool pretty = true);
/** What resultToJson wrote (config: method, dataset kind, ratio and seed only; summaries without cells); a result
 *  marked stopped (older versions) is read no further. Throws std::runtime_error naming what is missing or wrong. */
DebiasResult resultFromJson(const std::string &json);
std::string hardSamplesToJson(const HardSamples &hard);
HardSamples hardSamplesFromJson(const std::string &json);
std::string snapshotToJson(const HeadSnapshot &snapshot);
HeadSnapshot snapshotFromJson(const std::string &json);

/** The CSV header and row for metrics.csv: one row per evaluation, columns per head x split x summary. */
std::string evaluationCsvHeader(const std::vector<std::string> &heads);
std::string evaluationCsvRow(const EvaluationRecord &record, const std::vector<std::string> &heads);

} // namespace untangle
