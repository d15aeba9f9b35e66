#pragma once
// How `debias|erm|lff --seeds N` prints its outcome: every seed's result and the mean and std over them.

#include "debiasseeds.h"

namespace untangle::cli {

/** One JSON document on stdout: {"results": [each seed's result.json], "summary": summary.json}. */
void printSeedsJson(const SeedsOutcome &outcome);

/** The mean ± std lines after each seed's own text (printed by printResult). */
void printSeedsText(const SeedsOutcome &outcome, void (*printResult)(const DebiasResult &));

} // namespace untangle::cli
