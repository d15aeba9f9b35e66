#pragma once

#include <QTabWidget>

namespace untangle {

class DatasetBuilderPage;
class DebiasInspectPage;
class DebiasTrainPage;
class JobController;

/** The Debias workspace: its pages in the order of the DeNetDM workflow (dataset first). */
class DebiasWorkspace : public QTabWidget {
    Q_OBJECT

public:
    DebiasWorkspace(JobController *controller, QWidget *parent = nullptr);

    DatasetBuilderPage *datasetBuilder() const { return m_datasetBuilder; }
    DebiasTrainPage *trainPage() const { return m_trainPage; }
    DebiasInspectPage *inspectPage() const { return m_inspectPage; }

private:
    DatasetBuilderPage *m_datasetBuilder = nullptr;
    DebiasTrainPage *m_trainPage = nullptr;
    DebiasInspectPage *m_inspectPage = nullptr;
};

} // namespace untangle
