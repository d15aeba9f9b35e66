#include "datasetbuildjob.h"

namespace untangle {

DatasetBuildJob::DatasetBuildJob(const DatasetSpec &spec, QObject *parent)
    : Job(tr("Building %1").arg(QString::fromStdString(datasetTitle(spec.kind))), parent)
    , m_spec(spec)
{
    qRegisterMetaType<DatasetHandle>();
}

void DatasetBuildJob::execute()
{
    DatasetHandle dataset = buildDatasetHandle(m_spec, [this](double fraction, const std::string &what) {
        emit progress(fraction, QString::fromStdString(what));
        return shouldContinue();
    });
    emit built(dataset);
}

} // namespace untangle
