#include "factorattributionjob.h"

#include "computeruntime.h"
#include "factors/factorlabels.h"
#include "factors/factorrescoring.h"

namespace untangle {

FactorAttributionJob::FactorAttributionJob(const QString &generatorPath, const QVector<DirectionSet> &sets,
    const QStringList &labels, int samples, const std::vector<double> &floor, QObject *parent)
    : Job(tr("Attributing directions to factors"), parent)
    , m_generatorPath(generatorPath)
    , m_sets(sets)
    , m_labels(labels)
    , m_samples(samples)
    , m_floor(floor)
{
    qRegisterMetaType<QVector<FactorAttribution>>();
}

QVector<QVector<double>> shownCells(const FactorAttribution &attribution, bool timesRandom)
{
    QVector<QVector<double>> cells = attribution.magnitude;
    if (timesRandom && int(attribution.randomFloor.size()) == int(attribution.factorNames.size()))
        for (auto &row : cells)
            for (int f = 0; f < row.size(); ++f)
                row[f] = timesRandomDirection(row[f], attribution.randomFloor[std::size_t(f)]);
    return cells;
}

namespace {

/** A page's attribution from a matrix, its factors and the random-direction floor its labels are read against. */
FactorAttribution attributionFrom(const DirectionSet &set, const QString &setLabel, const Matrix &magnitude,
    const std::vector<std::string> &factorNames, const std::vector<double> &floor)
{
    const auto labels = factorLabels(magnitude, factorNames, floor);
    FactorAttribution result;
    result.setLabel = setLabel;
    result.randomFloor = floor;
    for (const auto &name : factorNames)
        result.factorNames << QString::fromStdString(name);
    for (const auto &direction : set.directions)
        result.directionNames << QString::fromStdString(direction.name);
    for (const auto &label : labels) {
        result.labels << QString::fromStdString(label.text);
        result.dominantFactor << label.factor;
    }
    for (int k = 0; k < magnitude.rows; ++k) {
        QVector<double> row;
        for (int f = 0; f < magnitude.cols; ++f)
            row << magnitude.at(k, f);
        result.magnitude << row;
    }
    return result;
}

} // namespace

std::optional<FactorAttribution> storedAttributionOf(
    const DirectionSet &set, const QString &setLabel, const std::string &fingerprint)
{
    const auto &stored = set.attribution;
    if (stored.empty() || fingerprint.empty() || set.generatorFingerprint != fingerprint)
        return std::nullopt;
    auto result = attributionFrom(set, setLabel, stored.magnitude, stored.factorNames, stored.randomFloor);
    result.authorsDiagonal = stored.authorsDiagonal;
    result.authorsOffDiagonal = stored.authorsOffDiagonal;
    result.samples = stored.samples;
    return result;
}

FactorAttribution attributeDirections(const QString &generatorPath, const DirectionSet &set, const QString &setLabel,
    int samples, std::vector<double> &floor, const ProgressFn &progress)
{
    FactorRescoringOptions options;
    options.samples = samples;
    options.progress = progress;
    options.noiseFloor = floor.empty(); // measured once per generator and job, then reused
    const auto rescoring = rescoreDirections(generatorPath.toStdString(), set, options);
    if (floor.empty())
        floor = randomDirectionFloor(rescoring.floorMagnitude);
    auto result = attributionFrom(set, setLabel, rescoring.magnitude, rescoring.factorNames, floor);
    result.authorsDiagonal = rescoring.authors.diagonal;
    result.authorsOffDiagonal = rescoring.authors.offDiagonal;
    result.samples = samples;
    return result;
}

void FactorAttributionJob::execute()
{
    configureComputeThread();
    QVector<FactorAttribution> results;
    std::vector<double> floor = m_floor; // the generator's, shared by its sets
    for (int s = 0; s < m_sets.size(); ++s) {
        emit progress(double(s) / m_sets.size(), tr("Rescoring %1").arg(m_labels.value(s)));
        if (!shouldContinue())
            return;
        // Polled before every shifted batch: a stop (or the application closing) ends the job within one batch.
        const double share = 1.0 / m_sets.size();
        results << attributeDirections(m_generatorPath, m_sets[s], m_labels.value(s), m_samples, floor,
            throttledProgress(tr("Rescoring %1").arg(m_labels.value(s)), share, s * share));
        // Progress first: the page's caption, written when the results arrive, must be the last word.
        emit progress(double(s + 1) / m_sets.size(), tr("%1 attributed").arg(m_labels.value(s)));
        emit attributed(results); // each set as soon as it is done: the "before" names need not wait for "after"
    }
}

} // namespace untangle
