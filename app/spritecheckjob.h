#pragma once

#include "imagemetatype.h"
#include "job.h"
#include "sprites/spritecoverage.h"

#include <QMetaType>
#include <QString>

namespace untangle {

/** Samples the Sprites page measures an open generator on: the README's coverage tables use as many. */
constexpr int SpriteCheckSamples = 2048;
/** Render-back pairs per shape on the page: one row of 8, as `coverage --pairs` writes them. */
constexpr int SpriteCheckPairsPerShape = 8;

/** An open Sprites generator measured against the ground truth: its samples as read, their coverage, and the pairs
 *  its IoU compares. */
struct SpriteCheck {
    QString generatorPath;
    /** The seeded samples, what the reader reads in each, and their coverage. */
    SpriteSampleReadings readings;
    /** Per shape read, samples over the sprites rendered from what the reader read (spriteRenderBackPairs). */
    ImageU8 pairs;
    bool readerTrained = false; // no cached reader was there: this job trained (and cached) one first
};

/**
 * Measures a Sprites generator the way `coverage --samples 2048 --pairs` does, on the controller's worker: the
 * factor reader (trained once and cached when none is there, with its progress), the factor coverage of seeded
 * samples, and the render-back pairs. Throws (reported as failed) like measureSpriteCoverage for a generator that is
 * not a Sprites one.
 */
class SpriteCheckJob : public Job {
    Q_OBJECT

public:
    SpriteCheckJob(
        const QString &generatorPath, int resolution, int samples = SpriteCheckSamples, QObject *parent = nullptr);

signals:
    void checked(const untangle::SpriteCheck &check);

protected:
    void execute() override;

private:
    QString m_generatorPath;
    int m_resolution;
    int m_samples;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::SpriteCheck)
