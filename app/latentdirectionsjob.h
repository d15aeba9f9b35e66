#pragma once

#include "directions/directionfinder.h"
#include "factorattributionjob.h"
#include "job.h"
#include "sre/srerunner.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace untangle {

/** What the explorer's Compute button asks for. */
struct LatentDirectionsConfig {
    QString generatorPath;
    DirectionMethod method = DirectionMethod::SeFa;
    int count = 10;
    bool refineWithSre = false;
    int sreSteps = 1000; // the GUI default: minutes on a CPU; the paper's 6000 from the CLI
    int voynovSteps = 2000;
    std::uint64_t seed = 0;
    QString outDir; // directions.json here, SRE's run folder in outDir/sre
    /** Set: continue the stopped SRE run in this folder with its own settings (config.json); nothing else is read. */
    QString resumeSreDir;
    /** Latents per shift of the live direction x factor matrix while SRE trains (Sprites and Scenes generators);
     *  0 = no live matrix. */
    int liveSamples = 32;
    int liveUpdates = 10; // matrices over the run, besides the initial set's
    /** Latents of the starting set's attribution that names the live matrix's rows (the Factors page's default),
     *  measured once before SRE starts; 0 = no names. The live cells' 32 latents misname directions whose factor
     *  moves little (on the shipped Scenes generator SeFa 1 reads "object hue" on 32, "floor hue" on 128). */
    int nameSamples = DefaultAttributionSamples;
    /** Sets whose stored attribution names a computed set with the same vectors on the same weights (the explorer's
     *  loaded ones): SeFa computed again on a shipped generator is its shipped set, and takes the names every other
     *  page shows (`label`'s 512 latents) instead of measuring new ones on nameSamples. */
    QStringList namedSets;
};

/**
 * Computes directions (SeFa, GANSpace, Voynov-Babenko) and optionally refines them with SRE, on the controller's
 * worker thread. SRE's per-direction held-out ranking accuracy arrives live as sreLogged, and, on a generator of a
 * rendered world, the direction x factor matrix as sreAttributed (the initial set at step 0, then liveUpdates times;
 * the run's numbers do not change with it). Stop ends SRE at its next step (its folder keeps the last checkpoint),
 * and a later job with resumeSreDir continues it from there.
 */
class LatentDirectionsJob : public Job {
    Q_OBJECT

public:
    explicit LatentDirectionsJob(const LatentDirectionsConfig &config, QObject *parent = nullptr);

signals:
    void directionsFound(const QString &path);
    void sreLogged(int step, const QVector<double> &heldOutAccuracy, double heldOutMean);
    void sreFinished(const QString &path);
    void sreAttributed(int step, const untangle::FactorAttribution &attribution);
    /** Before the first live matrix: the starting set's attribution on nameSamples latents, whose labels name the
     *  live rows for the whole run, as the Factors page names them. */
    void sreNamed(const QString &setPath, const untangle::FactorAttribution &start);

protected:
    void execute() override;

private:
    /** Wires the live matrix into callbacks (nothing when off); a generator no reader knows turns it off quietly. */
    void addLiveAttribution(SreCallbacks &callbacks, const QString &generatorPath, int steps);
    /** The stored attribution of a namedSets set with this set's vectors and weights, if any. */
    std::optional<FactorAttribution> twinsAttribution(const DirectionSet &set, const QString &label) const;
    /** Shows where SRE starts: sreNamed (when nameSamples > 0), then the live matrix of step 0. */
    void showStart(const SreCallbacks &callbacks, const QString &generatorPath, const QString &setPath,
        const DirectionSet &set, double offset);

    LatentDirectionsConfig m_config;
    bool m_liveWorks = true;
};

} // namespace untangle
