#include "debiasworkspace.h"

#include "datasetbuilderpage.h"

namespace untangle {

DebiasWorkspace::DebiasWorkspace(JobController *controller, QWidget *parent) : QTabWidget(parent)
{
    setDocumentMode(true);
    m_datasetBuilder = new DatasetBuilderPage(controller, this);
    addTab(m_datasetBuilder, tr("Dataset"));
}

} // namespace untangle
