#pragma once

#include "datasethandle.h"
#include "debiasconfig.h"
#include "imageinspection.h"
#include "job.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace untangle {

/**
 * A run loaded for inspection: its dataset (rebuilt from the run's config, so train indices in hardest.json mean
 * the same images), its heads and every head's verdict on every test image. Value types only: the models themselves
 * go to the InspectionService's thread, which answers questions about single images.
 */
struct RunInspection {
    QString runDir;
    DatasetHandle dataset;
    DebiasConfig config; // the run's, as its folder records it
    RunHeads heads;
    std::vector<ImagePredictions> test; // test[i]: every head on test image i, in heads.names order
};

class InspectorHandOver;

/**
 * Builds a run's dataset, loads its selected models and predicts the whole test split, on the worker thread; then
 * leaves the models in handOver (for the InspectionService) before it emits inspected.
 */
class InspectRunJob : public Job {
    Q_OBJECT

public:
    InspectRunJob(const QString &runDir, const DebiasConfig &config, std::shared_ptr<InspectorHandOver> handOver,
        QObject *parent = nullptr);

    const QString &runDir() const { return m_runDir; }

signals:
    /** Emitted once, before succeeded(). */
    void inspected(const untangle::RunInspection &inspection);

protected:
    void execute() override;

private:
    QString m_runDir;
    DebiasConfig m_config;
    std::shared_ptr<InspectorHandOver> m_handOver;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::RunInspection)
