#include "debiastrainingjob.h"

#include "datasetfactory.h"
#include "debiasrunner.h"

namespace untangle {

DebiasTrainingJob::DebiasTrainingJob(
    const DebiasConfig &config, const QString &runDir, bool resume, bool overwrite, QObject *parent)
    : Job(tr("Training %1").arg(QString::fromStdString(methodKey(config.method))), parent)
    , m_config(config)
    , m_runDir(runDir)
    , m_resume(resume)
    , m_overwrite(overwrite)
{
    registerDebiasMetaTypes();
}

void DebiasTrainingJob::execute()
{
    emit progress(0.0, tr("Building %1").arg(QString::fromStdString(datasetTitle(m_config.dataset.kind))));
    const BiasedDataset dataset
        = buildDataset(m_config.dataset, [this](double, const std::string &) { return shouldContinue(); });
    DebiasCallbacks callbacks;
    callbacks.evaluated = [this](const EvaluationRecord &record) { emit evaluated(record); };
    callbacks.probed = [this](const ProbeRecord &record) { emit probed(record); };
    callbacks.hardSamples = [this](const HardSamples &hard) { emit hardSamplesFound(hard); };
    callbacks.progress = throttledProgress();
    const DebiasResult result = runDebias(m_config, dataset, callbacks, m_runDir.toStdString(), m_resume, m_overwrite);
    emit finishedRun(result);
}

} // namespace untangle
