#pragma once

#include "datasethandle.h"
#include "debiasconfig.h"
#include "job.h"
#include "runinspector.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace untangle {

/**
 * A run loaded for inspection: its dataset (rebuilt from the run's config, so train indices in hardest.json mean
 * the same images), its models, and every head's verdict on every test image. The inspector is used from the GUI
 * thread once the job has handed it over; the job keeps no reference that it touches again.
 */
struct RunInspection {
    QString runDir;
    DatasetHandle dataset;
    std::shared_ptr<RunInspector> inspector;
    std::vector<ImagePredictions> test; // test[i]: every head on test image i, in inspector->heads() order
};

/** Builds a run's dataset, loads its selected models and predicts the whole test split, on the worker thread. */
class InspectRunJob : public Job {
    Q_OBJECT

public:
    InspectRunJob(const QString &runDir, const DebiasConfig &config, QObject *parent = nullptr);

    const QString &runDir() const { return m_runDir; }

signals:
    /** Emitted once, before succeeded(). */
    void inspected(const untangle::RunInspection &inspection);

protected:
    void execute() override;

private:
    QString m_runDir;
    DebiasConfig m_config;
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::RunInspection)
