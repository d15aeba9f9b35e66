#pragma once

#include "debiasrecords.h"

#include <optional>
#include <string>
#include <vector>

namespace untangle {

/**
 * A run's folder, shared by the CLI and the GUI:
 *   config.json      the DebiasConfig
 *   metrics.jsonl    one EvaluationRecord per line (with every head's cell matrices); metrics.csv the same, flat
 *   probes.jsonl     linear decodability over training; probes.csv the same, flat
 *   hardest.json     the training samples the biased branch finds hardest, with their precision
 *   result.json      the final numbers, written only when the run finished (a stopped run has none)
 *   checkpoint.pt    the latest complete epoch: models, optimizer, epoch, RNG and selection state (atomic)
 */
class RunFolder {
public:
    explicit RunFolder(std::string dir);

    const std::string &dir() const { return m_dir; }
    std::string checkpointPath() const { return m_dir + "/checkpoint.pt"; }
    bool hasCheckpoint() const;

    /** Starts a fresh run: creates the folder, writes config.json and empty metric files. Throws DataError. */
    void create(const DebiasConfig &config, const std::vector<std::string> &heads);
    /**
     * Reopens for --resume: the stored config must exist. truncateRecords keeps the records the checkpoint counted
     * (a killed run may have written more) after checking that each of them parses: damaged records are refused
     * (DataError naming the line) rather than carried into the resumed run. The CSV copies are rewritten from them.
     */
    DebiasConfig readConfig() const;
    /** The finished run's result.json; none while the run is unfinished (a stopped run writes none). Throws
     *  DataError naming the file when it is not a result document (huge, nested, truncated, foreign). */
    std::optional<DebiasResult> readResult() const;
    void truncateRecords(int evaluations, int probes);
    void setHeads(const std::vector<std::string> &heads) { m_heads = heads; }

    void appendEvaluation(const EvaluationRecord &record);
    void appendProbe(const ProbeRecord &record);
    void writeHardest(const HardSamples &hard);
    void writeResult(const DebiasResult &result);
    void removeResult();

    std::vector<EvaluationRecord> readEvaluations() const;
    std::vector<ProbeRecord> readProbes() const;

private:
    std::string path(const char *name) const { return m_dir + "/" + name; }

    std::string m_dir;
    std::vector<std::string> m_heads;
};

} // namespace untangle
