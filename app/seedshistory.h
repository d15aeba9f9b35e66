#pragma once

#include "debiasseeds.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <vector>

namespace untangle {

class RunHistory;

/**
 * A multi-seed debias run as the views see it: each seed's records in its own RunHistory, and their mean in the
 * history the views draw (given at construction), so curves, heat maps and the timeline of a batch work exactly as
 * for one run. The mean of an evaluation appears once every seed has reached it; beside it, the heads' spreads over
 * seeds (the band around a curve). The mean ± std summary arrives when the batch finishes.
 */
class SeedsHistory : public QObject {
    Q_OBJECT

public:
    explicit SeedsHistory(RunHistory *mean, QObject *parent = nullptr);

    /** Starts a batch of seeds in parentDir (the mean history is cleared for it too). */
    void clear(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds, const QString &parentDir,
        int trainCount = 0);
    /** Leaves batch mode: the mean history is left to a single run. */
    void reset();
    bool isActive() const { return !m_seeds.isEmpty(); }

    void addEvaluation(int seedIndex, const EvaluationRecord &record);
    void addProbe(int seedIndex, const ProbeRecord &probe);
    void setHardSamples(int seedIndex, const HardSamples &hard);
    void setOutcome(const SeedsOutcome &outcome);

    /** Replaces everything with a multi-seed folder (seeds.json and each seed's folder; a seed not started yet is
     *  empty). False with a message when it is not one or cannot be read. */
    bool loadFolder(const QString &parentDir, QString *error = nullptr);

    const std::vector<std::uint64_t> &seeds() const { return m_seedList; }
    int seedCount() const { return int(m_seeds.size()); }
    const RunHistory *seed(int index) const { return m_seeds.value(index); }
    /** The heads' spreads of the mean history's evaluation at index; null outside a batch or past the end. */
    const std::vector<HeadSpread> *spreadAt(int index) const;
    /** Evaluations each seed has reported so far, in seed order. */
    QVector<int> evaluationCounts() const;
    bool hasSummary() const { return m_hasSummary; }
    const SeedsSummary &summary() const { return m_summary; }
    /** The summary as text lines (mean ± std in %), for the page's status and the report; empty without one. */
    QStringList summaryLines() const;

signals:
    void summaryChanged();

private:
    /** Moves every evaluation and probe all seeds have reached into the mean history. */
    void catchUp();

    RunHistory *m_mean;
    QVector<RunHistory *> m_seeds;
    std::vector<std::uint64_t> m_seedList;
    QVector<std::vector<HeadSpread>> m_spreads;
    SeedsSummary m_summary;
    bool m_hasSummary = false;
};

} // namespace untangle
