#include "directionevaluationjob.h"

#include "computeruntime.h"
#include "evaluation/directionevaluation.h"

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

DirectionEvaluationJob::DirectionEvaluationJob(const QString &generatorPath, const QVector<DirectionSet> &sets,
    const QStringList &labels, bool quick, QObject *parent)
    : Job(tr("Evaluating directions"), parent)
    , m_generatorPath(generatorPath)
    , m_sets(sets)
    , m_labels(labels)
    , m_quick(quick)
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
    const auto results = evaluateDirectionSets(m_generatorPath.toStdString(), jobs, options, throttledProgress());
    QVector<DirectionScores> scores;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const DirectionEvaluation &r = results[i];
        DirectionScores s;
        s.label = m_labels.value(int(i), QString::fromStdString(r.method));
        s.values = {r.mig.mig, r.dci.disentanglement, r.dci.completeness, r.dci.informativeness,
            r.factorVae.evalAccuracy, r.betaVae.evalAccuracy};
        s.floors = {r.migFloor.mig, r.dciFloor.disentanglement, r.dciFloor.completeness, r.dciFloor.informativeness,
            r.factorVaeFloor.evalAccuracy, r.betaVaeFloor.evalAccuracy};
        s.heldOutR2 = QVector<double>(r.distillation.heldOutR2.begin(), r.distillation.heldOutR2.end());
        s.summary = QString::fromStdString(formatEvaluationSummary(r));
        scores.push_back(s);
    }
    emit evaluated(scores);
}

} // namespace untangle
