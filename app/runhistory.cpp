#include "runhistory.h"

#include "debiasseeds.h"
#include "recordjson.h"
#include "runfolder.h"
#include "runfolderclaim.h"

#include <QFile>

namespace untangle {

RunHistory::RunHistory(QObject *parent)
    : QObject(parent)
{
}

void RunHistory::clear(const DebiasConfig &config, const QString &runDir, int trainCount)
{
    m_config = config;
    m_runDir = runDir;
    m_evaluations.clear();
    m_probes.clear();
    m_hard = HardSamples();
    m_result = DebiasResult();
    m_hasResult = false;
    // Stage 1 drops the last partial batch, stage 2 keeps it (as the paper's code does).
    const int batch = std::max(1, config.batchSize);
    m_stepsPerEpoch[0] = trainCount / batch;
    m_stepsPerEpoch[1] = (trainCount + batch - 1) / batch;
    emit cleared();
}

void RunHistory::addEvaluation(const EvaluationRecord &record)
{
    if (record.epoch > 0 && record.stage >= 1 && record.stage <= 2)
        m_stepsPerEpoch[record.stage - 1] = double(record.iteration) / record.epoch;
    m_evaluations.push_back(record);
    emit evaluationAdded(int(m_evaluations.size()) - 1);
}

void RunHistory::addProbe(const ProbeRecord &record)
{
    m_probes.push_back(record);
    emit probeAdded(int(m_probes.size()) - 1);
}

void RunHistory::setHardSamples(const HardSamples &hard)
{
    m_hard = hard;
    emit hardSamplesChanged();
}

void RunHistory::setResult(const DebiasResult &result)
{
    m_result = result;
    m_hasResult = true;
    emit resultChanged();
}

double RunHistory::epochAxis(const EvaluationRecord &record) const
{
    return record.stage == 2 ? m_config.stage1Epochs + record.epoch : record.epoch;
}

double RunHistory::epochAxis(const ProbeRecord &probe) const
{
    const double offset = probe.stage == 2 ? m_config.stage1Epochs : 0.0;
    if (probe.epoch > 0)
        return offset + probe.epoch;
    // Inside the first epoch: place by steps, using the batches per epoch of this stage.
    const int stage = probe.stage == 2 ? 1 : 0;
    return offset + (m_stepsPerEpoch[stage] > 0 ? double(probe.iteration) / m_stepsPerEpoch[stage] : 0.0);
}

bool RunHistory::loadFolder(const QString &runDir, QString *error)
{
    try {
        if (detectRunKind(runDir.toStdString()) == RunKind::DebiasSeeds) {
            QStringList seeds;
            for (std::uint64_t seed : readSeedsPlan(runDir.toStdString()).seeds)
                seeds << QString::number(seed);
            if (error)
                *error
                    = QObject::tr("%1 is a batch of %2 seeds (%3), one run folder each: open one of them, e.g. "
                                  "%4. `untangle-cli table %1` gives their mean ± std.")
                          .arg(runDir)
                          .arg(seeds.size())
                          .arg(seeds.join(", "))
                          .arg(QString::fromStdString(seedRunDir(runDir.toStdString(), seeds.first().toULongLong())));
            return false;
        }
        const RunFolder folder(runDir.toStdString());
        const DebiasConfig config = folder.readConfig();
        const auto evaluations = folder.readEvaluations();
        const auto probes = folder.readProbes();
        clear(config, runDir);
        // Steps per epoch are known once the first evaluation is in; add evaluations first so probes place right.
        for (const auto &record : evaluations)
            addEvaluation(record);
        for (const auto &probe : probes)
            addProbe(probe);
        // The hardest-sample ranking is an extra: a damaged one leaves the curves to open, and the sample browser
        // says the run has none (it used to refuse the run with the parser's bare message).
        QFile hardest(runDir + "/hardest.json");
        if (hardest.open(QIODevice::ReadOnly)) {
            try {
                setHardSamples(hardSamplesFromJson(hardest.readAll().toStdString()));
            } catch (const std::exception &) {
            }
        }
        // A finished run's result (its selected epochs, the stage-1 health). An unreadable result.json does not
        // keep the curves from opening: the views then say the run has not finished.
        try {
            if (const auto result = folder.readResult(); result && !result->stopped)
                setResult(*result);
        } catch (const std::exception &) {
        }
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

} // namespace untangle
