#include "debiasseedsjob.h"

#include "datasetfactory.h"

namespace untangle {

DebiasSeedsJob::DebiasSeedsJob(const DebiasConfig &config, const std::vector<std::uint64_t> &seeds,
    const QString &parentDir, bool resume, bool overwrite, QObject *parent)
    : Job(tr("Training %1, %n seeds", nullptr, int(seeds.size())).arg(QString::fromStdString(methodKey(config.method))),
        parent)
    , m_config(config)
    , m_seeds(seeds)
    , m_parentDir(parentDir)
    , m_resume(resume)
    , m_overwrite(overwrite)
{
    registerDebiasMetaTypes();
}

void DebiasSeedsJob::execute()
{
    emit progress(0.0, tr("Building %1").arg(QString::fromStdString(datasetTitle(m_config.dataset.kind))));
    const BiasedDataset dataset
        = buildDataset(m_config.dataset, [this](double, const std::string &) { return shouldContinue(); });
    // Called from each seed's own thread: a signal emitted there is queued to the receivers on the GUI thread.
    const SeedCallbacksFn perSeed = [this](std::size_t index) {
        DebiasCallbacks callbacks;
        callbacks.evaluated = [this, index](const EvaluationRecord &record) { emit evaluated(int(index), record); };
        callbacks.probed = [this, index](const ProbeRecord &record) { emit probed(int(index), record); };
        callbacks.hardSamples = [this, index](const HardSamples &hard) { emit hardSamplesFound(int(index), hard); };
        return callbacks;
    };
    const SeedsOutcome outcome = runDebiasSeeds(
        m_config, m_seeds, dataset, throttledProgress(), m_parentDir.toStdString(), m_resume, m_overwrite, perSeed);
    emit finishedSeeds(outcome);
}

} // namespace untangle
