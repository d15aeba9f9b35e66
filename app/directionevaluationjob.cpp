#include "directionevaluationjob.h"

#include "computeruntime.h"
#include "evaluation/directionevaluation.h"

#include <algorithm>
#include <cmath>

namespace untangle {
namespace {
constexpr int QuickDivisor = 5; // quick mode: every count / 5 (10,000 distillation images -> 2,000)

int scaled(int count, bool quick)
{
    return quick ? std::max(1, count / QuickDivisor) : count;
}
} // namespace

QStringList DirectionScores::metricNames()
{
    return {"MIG", "DCI D", "DCI C", "DCI I", "FactorVAE", "β-VAE"};
}

std::pair<double, double> DirectionScores::seedRange(int metric) const
{
    double low = INFINITY, high = -INFINITY;
    for (const QVector<double> &seed : seedValues) {
        low = std::min(low, seed.value(metric, NAN));
        high = std::max(high, seed.value(metric, NAN));
    }
    return seedValues.isEmpty() ? std::pair {double(NAN), double(NAN)} : std::pair {low, high};
}

PairedChange pairedChange(const DirectionScores &before, const DirectionScores &after, int metric)
{
    PairedChange change;
    change.seeds = int(std::min(before.seedValues.size(), after.seedValues.size()));
    if (change.seeds == 0)
        return change;
    change.low = INFINITY;
    change.high = -INFINITY;
    for (int s = 0; s < change.seeds; ++s) {
        const double difference = after.seedValues[s].value(metric, NAN) - before.seedValues[s].value(metric, NAN);
        change.mean += difference / change.seeds;
        change.low = std::min(change.low, difference);
        change.high = std::max(change.high, difference);
    }
    return change;
}

DirectionEvaluationJob::DirectionEvaluationJob(const QString &generatorPath, const QVector<DirectionSet> &sets,
    const QStringList &labels, bool quick, int seeds, QObject *parent)
    : Job(tr("Evaluating directions"), parent)
    , m_generatorPath(generatorPath)
    , m_sets(sets)
    , m_labels(labels)
    , m_quick(quick)
    , m_seeds(std::clamp(seeds, 1, MaxEvaluationSeeds))
{
    qRegisterMetaType<QVector<DirectionScores>>();
}

void DirectionEvaluationJob::execute()
{
    configureComputeThread();
    EvaluationOptions options;
    options.images = scaled(options.images, m_quick);
    options.migPoints = scaled(options.migPoints, m_quick);
    options.dciTrainPoints = scaled(options.dciTrainPoints, m_quick);
    options.dciTestPoints = scaled(options.dciTestPoints, m_quick);
    options.factorVaeTrainVotes = scaled(options.factorVaeTrainVotes, m_quick);
    options.factorVaeEvalVotes = scaled(options.factorVaeEvalVotes, m_quick);
    options.betaVaeTrainPoints = scaled(options.betaVaeTrainPoints, m_quick);
    options.betaVaeEvalPoints = scaled(options.betaVaeEvalPoints, m_quick);
    options.samplingPool = scaled(options.samplingPool, m_quick);
    std::vector<EvaluationJob> jobs;
    for (const DirectionSet &set : m_sets)
        jobs.push_back({set, {}, {}});
    QVector<DirectionScores> scores(m_sets.size());
    for (int seed = 0; seed < m_seeds; ++seed) {
        options.seed = std::uint64_t(seed);
        const QString stage = m_seeds > 1 ? tr("seed %1 of %2").arg(seed + 1).arg(m_seeds) : QString();
        const auto results = evaluateDirectionSets(m_generatorPath.toStdString(), jobs, options,
            throttledProgress(stage, 1.0 / m_seeds, double(seed) / m_seeds));
        for (std::size_t i = 0; i < results.size() && i < std::size_t(scores.size()); ++i) {
            const DirectionEvaluation &r = results[i];
            DirectionScores &s = scores[int(i)];
            const QVector<double> values {r.mig.mig, r.dci.disentanglement, r.dci.completeness, r.dci.informativeness,
                r.factorVae.evalAccuracy, r.betaVae.evalAccuracy};
            const QVector<double> floors {r.migFloor.mig, r.dciFloor.disentanglement, r.dciFloor.completeness,
                r.dciFloor.informativeness, r.factorVaeFloor.evalAccuracy, r.betaVaeFloor.evalAccuracy};
            s.seedValues.push_back(values);
            if (seed == 0) {
                s.label = m_labels.value(int(i), QString::fromStdString(r.method));
                s.values = QVector<double>(values.size(), 0.0);
                s.floors = QVector<double>(floors.size(), 0.0);
                s.heldOutR2 = QVector<double>(r.distillation.heldOutR2.begin(), r.distillation.heldOutR2.end());
                s.summary = QString::fromStdString(formatEvaluationSummary(r));
            }
            for (int m = 0; m < values.size(); ++m) {
                s.values[m] += values[m] / m_seeds;
                s.floors[m] += floors[m] / m_seeds;
            }
        }
    }
    emit evaluated(scores);
}

} // namespace untangle
