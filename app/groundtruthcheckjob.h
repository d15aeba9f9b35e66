#pragma once

#include "factors/factorworld.h"
#include "factors/worldcoverage.h"
#include "imagemetatype.h"
#include "job.h"
#include "sprites/spritecoverage.h"

#include <QMetaType>
#include <QString>

namespace untangle {

/** Samples the ground-truth page measures an open generator on: the README's coverage tables use as many. */
constexpr int GroundTruthCheckSamples = 2048;
/** An open Sprites or Scenes generator measured against its world's ground truth. */
struct GroundTruthCheck {
    QString generatorPath;
    WorldKind world = WorldKind::Sprites;
    /** Sprites: the seeded samples, what the reader reads in each, their coverage (the page's render-back pairs are
     *  drawn from these). */
    SpriteSampleReadings sprites;
    /** Scenes: the seeded samples, what the reader reads in each, their coverage. */
    WorldSampleReadings scenes;
    bool readerTrained = false; // no cached or shipped reader was there: this job trained (and cached) one first

    /** Samples x factors, row-major, as the page's explorer takes them. */
    std::vector<int> readTuples() const;
};

/**
 * Measures a Sprites or Scenes generator against its world on the controller's worker, as `coverage --samples N
 * [--pairs]` does: the world's factor reader (trained once and cached when none is there, with its progress), then
 * the factor coverage of seeded samples and what the reader reads in each, and for Sprites the render-back pairs.
 * Throws (reported as failed) like the coverage functions for a generator of neither world or a damaged file.
 */
class GroundTruthCheckJob : public Job {
    Q_OBJECT

public:
    GroundTruthCheckJob(const QString &generatorPath, WorldKind world, int resolution,
        int samples = GroundTruthCheckSamples, QObject *parent = nullptr);

signals:
    void checked(const untangle::GroundTruthCheck &check);

protected:
    void execute() override;

private:
    QString m_generatorPath;
    WorldKind m_world;
    int m_resolution;
    int m_samples;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::GroundTruthCheck)
