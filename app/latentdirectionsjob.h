#pragma once

#include "directions/directionfinder.h"
#include "job.h"

#include <QString>
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
};

/**
 * Computes directions (SeFa, GANSpace, Voynov-Babenko) and optionally refines them with SRE, on the controller's
 * worker thread. SRE's per-direction held-out ranking accuracy arrives live as sreLogged; Stop ends SRE at its next
 * step (its folder keeps the last checkpoint), and a later job with resumeSreDir continues it from there.
 */
class LatentDirectionsJob : public Job {
    Q_OBJECT

public:
    explicit LatentDirectionsJob(const LatentDirectionsConfig &config, QObject *parent = nullptr);

signals:
    void directionsFound(const QString &path);
    void sreLogged(int step, const QVector<double> &heldOutAccuracy, double heldOutMean);
    void sreFinished(const QString &path);

protected:
    void execute() override;

private:
    LatentDirectionsConfig m_config;
};

} // namespace untangle
