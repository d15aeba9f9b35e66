#include "exportlffjob.h"

#include "lffformat.h"

namespace untangle {

ExportLffJob::ExportLffJob(const DatasetHandle &dataset, const QString &folder, QObject *parent)
    : Job(tr("Exporting to %1").arg(folder), parent)
    , m_dataset(dataset)
    , m_folder(folder)
{
}

void ExportLffJob::execute()
{
    emit progress(0.0, title());
    exportLff(m_dataset->dataset, m_folder.toStdString());
    emit progress(1.0, tr("Exported to %1").arg(m_folder));
}

} // namespace untangle
