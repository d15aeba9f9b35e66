#pragma once

#include "confidenceinterval.h"
#include "directions/directionset.h"
#include "job.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>
#include <vector>

namespace untangle {

/** Latents per shift of the GUI's attributions (the Factors page's default, and what names the live SRE matrix's
 *  rows): seconds per set on two cores; the CLI's rescoring uses 512. */
constexpr int DefaultAttributionSamples = 128;

/** One direction set's direction x factor matrix (|mean change| of each factor at +-1.5 sigma) and its labels. */
struct FactorAttribution {
    QString setLabel; // "before SRE (sefa)"
    QStringList factorNames; // the world's, "floor_hue", ...
    QStringList directionNames; // as in the set
    QStringList labels; // per direction: "wall hue 6.7x" (factorlabels.h)
    QVector<int> dominantFactor; // per direction: the column it moves most, -1 when it moves none
    QVector<QVector<double>> magnitude; // directions x factors
    /** Per factor, what a random orthonormal direction moves of it (factorlabels.h): labels read cells against it. */
    std::vector<double> randomFloor;
    /** The authors' matched statistic (+eps) with its 95% bootstrap interval over the latents, for the captions:
     *  with the page's few latents a before/after gap can be noise, and the interval says so. */
    ConfidenceInterval authorsDiagonal;
    ConfidenceInterval authorsOffDiagonal;
    int samples = 0; // latents z the matrix and the intervals were measured on

    /** The factor direction k moves most, by name ("wall_hue"); empty when it moves none or k is out of range. */
    QString dominantFactorName(int k) const
    {
        const int f = dominantFactor.value(k, -1);
        return f >= 0 ? factorNames.value(f) : QString();
    }
};

/** The cells a page shows: the magnitudes themselves, or (timesRandom, when the floor was measured) each as a multiple
 *  of what a random direction moves of that factor, the number the labels come from. */
QVector<QVector<double>> shownCells(const FactorAttribution &attribution, bool timesRandom);

/**
 * One set's attribution on the generator's world (rescoreDirections with `samples` latents), with each direction's
 * dominant factor and label, read against what random directions move of each factor. `floor` carries that
 * between calls on one generator: empty, it is measured (random orthonormal directions, as many as the set has) and
 * filled in; given, it is reused, so a job attributing several sets pays for it once. Throws like rescoreDirections
 * (e.g. a generator of no rendered world). `progress` is told before every shifted batch and stops the work there
 * (Cancelled) when it returns false.
 */
FactorAttribution attributeDirections(const QString &generatorPath, const DirectionSet &set, const QString &setLabel,
    int samples, std::vector<double> &floor, const ProgressFn &progress = {});

/**
 * The attribution stored in a set by `label` (DirectionSet::attribution), with its labels read against its floor, as
 * the pages show a measured one; nothing when the set holds none or it was measured on other weights than
 * `fingerprint` (a generator's, as GeneratorInfo has it).
 */
std::optional<FactorAttribution> storedAttributionOf(
    const DirectionSet &set, const QString &setLabel, const std::string &fingerprint);

/**
 * The rescoring matrix of one or two direction sets of a Sprites or Scenes generator (factorrescoring.h) on the
 * controller's worker, with fewer latents than the CLI's 512 so the page answers in seconds; the factor reader's
 * attribution is what the explorer names directions after.
 */
class FactorAttributionJob : public Job {
    Q_OBJECT

public:
    /** `floor`: the generator's random-direction floor when an earlier attribution measured it (empty: measured). */
    FactorAttributionJob(const QString &generatorPath, const QVector<DirectionSet> &sets, const QStringList &labels,
        int samples, const std::vector<double> &floor = {}, QObject *parent = nullptr);

signals:
    /** After each set: the sets attributed so far, in order (the last emission holds them all). */
    void attributed(const QVector<untangle::FactorAttribution> &results);

protected:
    void execute() override;

private:
    QString m_generatorPath;
    QVector<DirectionSet> m_sets;
    QStringList m_labels;
    int m_samples;
    std::vector<double> m_floor;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::FactorAttribution)
