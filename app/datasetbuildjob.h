#pragma once

#include "datasethandle.h"
#include "datasetspec.h"
#include "job.h"

namespace untangle {

/** Builds a dataset on the worker thread and hands the finished, immutable result to the GUI. */
class DatasetBuildJob : public Job {
    Q_OBJECT

public:
    explicit DatasetBuildJob(const DatasetSpec &spec, QObject *parent = nullptr);

    const DatasetSpec &spec() const { return m_spec; }

signals:
    /** Emitted once, before succeeded(), with the dataset, its counts and the build time. */
    void built(const untangle::DatasetHandle &dataset);

protected:
    void execute() override;

private:
    DatasetSpec m_spec;
};

} // namespace untangle
