#include "debiasworkspace.h"

#include "branchheatmaps.h"
#include "datasetbuilderpage.h"
#include "debiasinspectpage.h"
#include "debiastrainpage.h"

namespace untangle {

DebiasWorkspace::DebiasWorkspace(JobController *controller, QWidget *parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    m_datasetBuilder = new DatasetBuilderPage(controller, this);
    addTab(m_datasetBuilder, tr("Dataset"));
    m_trainPage = new DebiasTrainPage(controller, m_datasetBuilder, this);
    addTab(m_trainPage, tr("Train"));
    m_inspectPage = new DebiasInspectPage(controller, m_trainPage, this);
    addTab(m_inspectPage, tr("Inspect"));
    // A heat-map cell is a question about those images: answer it on the Inspect page.
    connect(
        m_trainPage->heatMaps(), &BranchHeatMaps::cellClicked, this, [this](const QString &head, int target, int bias) {
            m_inspectPage->showCell(head, target, bias);
            setCurrentWidget(m_inspectPage);
        });
}

} // namespace untangle
