#include "debiasworkspace.h"

#include "datasetbuilderpage.h"
#include "debiastrainpage.h"

namespace untangle {

DebiasWorkspace::DebiasWorkspace(JobController *controller, QWidget *parent) : QTabWidget(parent)
{
    setDocumentMode(true);
    m_datasetBuilder = new DatasetBuilderPage(controller, this);
    addTab(m_datasetBuilder, tr("Dataset"));
    m_trainPage = new DebiasTrainPage(controller, m_datasetBuilder, this);
    addTab(m_trainPage, tr("Train"));
}

} // namespace untangle
