#pragma once

#include <QTabWidget>

namespace untangle {

class DatasetBuilderPage;
class JobController;

/** The Debias workspace: its pages in the order of the DeNetDM workflow (dataset first). */
class DebiasWorkspace : public QTabWidget {
    Q_OBJECT

public:
    DebiasWorkspace(JobController *controller, QWidget *parent = nullptr);

    DatasetBuilderPage *datasetBuilder() const { return m_datasetBuilder; }

private:
    DatasetBuilderPage *m_datasetBuilder = nullptr;
};

} // namespace untangle
