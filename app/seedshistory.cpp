#include "seedshistory.h"

#include "runfolder.h"
#include "runfolderclaim.h"
#include "runhistory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {
namespace {

QString percentSpread(const Spread &s)
{
    if (s.count == 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 ± %2").arg(100.0 * s.mean, 0, 'f', 1).arg(100.0 * s.std, 0, 'f', 1);
}

QString groupLine(const QString &name, const GroupSpread &g)
{
    // Conflicting first: it is the number debiasing is about. Worst group is in summary.json and the CLI's table.
    return QObject::tr("%1: confl. %2 · unbiased %3 · aligned %4")
        .arg(name, percentSpread(g.conflicting), percentSpread(g.unbiased), percentSpread(g.aligned));
}

/** The batch's wall time from summary.json ("wall_seconds"), or NaN when the file is missing or not readable. */
double storedWallSeconds(const QString &parentDir)
{
    QFile file(parentDir + "/summary.json");
    if (!file.open(QIODevice::ReadOnly) || file.size() > (1 << 20)) // a summary is a few hundred bytes
        return std::nan("");
    const QJsonValue wall = QJsonDocument::fromJson(file.readAll()).object().value("wall_seconds");
    return wall.isDouble() ? wall.toDouble() : std::nan("");
}

} // namespace

SeedsHistory::SeedsHistory(RunHistory *mean, QObject *parent)
    : QObject(parent)
    , m_mean(mean)
{
}

void SeedsHistory::clear(
    const DebiasConfig &config, const std::vector<std::uint64_t> &seeds, const QString &parentDir, int trainCount)
{
    reset();
    m_seedList = seeds;
    for (std::uint64_t seed : seeds) {
        auto *history = new RunHistory(this);
        DebiasConfig own = config;
        own.seed = seed;
        history->clear(own, QString::fromStdString(seedRunDir(parentDir.toStdString(), seed)), trainCount);
        m_seeds.push_back(history);
    }
    m_mean->clear(config, parentDir, trainCount);
}

void SeedsHistory::reset()
{
    qDeleteAll(m_seeds);
    m_seeds.clear();
    m_seedList.clear();
    m_spreads.clear();
    m_summary = SeedsSummary();
    m_hasSummary = false;
    emit summaryChanged();
}

void SeedsHistory::addEvaluation(int seedIndex, const EvaluationRecord &record)
{
    if (RunHistory *history = m_seeds.value(seedIndex)) {
        history->addEvaluation(record);
        catchUp();
    }
}

void SeedsHistory::addProbe(int seedIndex, const ProbeRecord &probe)
{
    if (RunHistory *history = m_seeds.value(seedIndex)) {
        history->addProbe(probe);
        catchUp();
    }
}

void SeedsHistory::setHardSamples(int seedIndex, const HardSamples &hard)
{
    if (RunHistory *history = m_seeds.value(seedIndex))
        history->setHardSamples(hard);
}

void SeedsHistory::setOutcome(const SeedsOutcome &outcome)
{
    if (!isActive())
        return;
    for (int i = 0; i < m_seeds.size() && i < int(outcome.results.size()); ++i)
        m_seeds[i]->setResult(outcome.results[i]);
    m_hasSummary = !outcome.stopped;
    m_summary = outcome.summary;
    emit summaryChanged();
}

void SeedsHistory::catchUp()
{
    const auto reached = [this](auto count) {
        int least = std::numeric_limits<int>::max();
        for (const RunHistory *history : std::as_const(m_seeds))
            least = std::min(least, count(history));
        return least;
    };
    const int evaluations = reached([](const RunHistory *h) { return int(h->evaluations().size()); });
    while (m_mean->evaluations().size() < evaluations) {
        const int index = int(m_mean->evaluations().size());
        std::vector<EvaluationRecord> records;
        for (const RunHistory *history : std::as_const(m_seeds))
            records.push_back(history->evaluations()[index]);
        try {
            m_spreads.push_back(evaluationSpread(records)); // before the mean: the views read it when it arrives
            m_mean->addEvaluation(meanEvaluation(records));
        } catch (const std::invalid_argument &) {
            m_spreads.pop_back(); // seeds out of step (a damaged folder): the mean stops here rather than lie
            return;
        }
    }
    const int probes = reached([](const RunHistory *h) { return int(h->probes().size()); });
    while (m_mean->probes().size() < probes) {
        const int index = int(m_mean->probes().size());
        std::vector<ProbeRecord> records;
        for (const RunHistory *history : std::as_const(m_seeds))
            records.push_back(history->probes()[index]);
        try {
            m_mean->addProbe(meanProbe(records));
        } catch (const std::invalid_argument &) {
            return;
        }
    }
}

bool SeedsHistory::loadFolder(const QString &parentDir, QString *error)
{
    try {
        const std::string parent = parentDir.toStdString();
        if (detectRunKind(parent) != RunKind::DebiasSeeds) {
            if (error)
                *error = tr("%1 is not a multi-seed debias run (it has no seeds.json).").arg(parentDir);
            return false;
        }
        const SeedsPlan plan = readSeedsPlan(parent);
        // Each seed is read whole before anything is shown: a damaged seed folder leaves the views as they were.
        QVector<RunHistory *> loaded;
        auto dropLoaded = qScopeGuard([&] { qDeleteAll(loaded); });
        for (std::uint64_t seed : plan.seeds) {
            auto *history = new RunHistory(this);
            loaded.push_back(history);
            const QString dir = QString::fromStdString(seedRunDir(parent, seed));
            DebiasConfig own = plan.config;
            own.seed = seed;
            history->clear(own, dir);
            QString problem;
            if (QFileInfo::exists(dir + "/config.json") && !history->loadFolder(dir, &problem)) {
                if (error)
                    *error = tr("seed %1 of %2: %3").arg(seed).arg(parentDir, problem);
                return false;
            }
        }
        dropLoaded.dismiss();
        clear(plan.config, plan.seeds, parentDir);
        std::vector<DebiasResult> results;
        for (int i = 0; i < loaded.size(); ++i) {
            RunHistory *source = loaded[i];
            for (const EvaluationRecord &record : source->evaluations())
                addEvaluation(i, record);
            for (const ProbeRecord &probe : source->probes())
                addProbe(i, probe);
            if (source->hardSamples().k > 0)
                setHardSamples(i, source->hardSamples());
            if (source->hasResult()) {
                m_seeds[i]->setResult(source->result());
                results.push_back(source->result());
            }
        }
        qDeleteAll(loaded);
        if (results.size() == plan.seeds.size()) {
            m_summary = summarizeSeeds(results, storedWallSeconds(parentDir));
            m_hasSummary = true;
            emit summaryChanged();
        }
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

const std::vector<HeadSpread> *SeedsHistory::spreadAt(int index) const
{
    return index >= 0 && index < m_spreads.size() ? &m_spreads[index] : nullptr;
}

QVector<int> SeedsHistory::evaluationCounts() const
{
    QVector<int> counts;
    for (const RunHistory *history : m_seeds)
        counts << int(history->evaluations().size());
    return counts;
}

QStringList SeedsHistory::summaryLines() const
{
    if (!m_hasSummary)
        return {};
    QStringList seeds;
    for (std::uint64_t seed : m_summary.seeds)
        seeds << QString::number(seed);
    const DebiasConfig &config = m_mean->config();
    QStringList lines;
    lines << tr("Mean ± std (%) over %n seeds (%1), at each seed's selected epoch:", nullptr, int(seeds.size()))
                 .arg(seeds.join(", "));
    const QString finalHead = config.method == DebiasMethod::DeNetDM ? tr("target")
        : config.method == DebiasMethod::Lff                         ? tr("debiased")
                                                                     : tr("model");
    lines << groupLine(tr("%1, test").arg(finalHead), m_summary.selectedTest);
    lines << groupLine(tr("%1, valid").arg(finalHead), m_summary.selectedValid);
    if (m_summary.stage1DeepTest.conflicting.count > 0) {
        lines << groupLine(tr("stage-1 deep, test"), m_summary.stage1DeepTest);
        lines << groupLine(tr("stage-1 shallow, test"), m_summary.stage1ShallowTest);
    }
    if (m_summary.hardestPrecision.count > 0)
        lines << tr("hardest training samples truly conflicting: %1").arg(percentSpread(m_summary.hardestPrecision));
    if (std::isfinite(m_summary.wallSeconds) && m_summary.wallSeconds > 0)
        lines << tr("wall time of the batch: %1 s").arg(m_summary.wallSeconds, 0, 'f', 0);
    return lines;
}

} // namespace untangle
