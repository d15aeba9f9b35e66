#pragma once

#include "datasethandle.h"
#include "job.h"

namespace untangle {

/** Writes a built dataset in the LfF / DeNetDM research format on the worker thread. */
class ExportLffJob : public Job {
    Q_OBJECT

public:
    ExportLffJob(const DatasetHandle &dataset, const QString &folder, QObject *parent = nullptr);

protected:
    void execute() override;

private:
    DatasetHandle m_dataset;
    QString m_folder;
};

} // namespace untangle
