#pragma once

#include "debiasmetatypes.h"
#include "job.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace untangle {

/**
 * Trains several training seeds of one debias config at once into a multi-seed folder (runDebiasSeeds: one run
 * folder per seed, seeds.json, summary.json), turning each seed's callbacks into queued signals tagged with the
 * seed's index. Pause and stop act on every seed between batches; a stop keeps each seed's last complete epoch.
 */
class DebiasSeedsJob : public Job {
    Q_OBJECT

public:
    /** overwrite: a fresh batch may replace what parentDir holds; resume continues the folder's own plan. */
    DebiasSeedsJob(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds, const QString &parentDir,
        bool resume, bool overwrite = false, QObject *parent = nullptr);

signals:
    void evaluated(int seedIndex, const untangle::EvaluationRecord &record);
    void probed(int seedIndex, const untangle::ProbeRecord &record);
    void hardSamplesFound(int seedIndex, const untangle::HardSamples &hard);
    void finishedSeeds(const untangle::SeedsOutcome &outcome);

protected:
    void execute() override;

private:
    DebiasConfig m_config;
    std::vector<std::uint64_t> m_seeds;
    QString m_parentDir;
    bool m_resume;
    bool m_overwrite;
};

} // namespace untangle
