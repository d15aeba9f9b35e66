#include "latentworkspace.h"

#include "directioncomputepanel.h"
#include "directionexplorer.h"
#include "directionmetricspanel.h"
#include "gantrainpanel.h"
#include "latentrenderservice.h"
#include "retrievalpanel.h"
#include "spritesexplorer.h"
#include "traversalview.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTabWidget>
#include <QVBoxLayout>

namespace untangle {

LatentWorkspace::LatentWorkspace(JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_service(new LatentRenderService(this))
{
    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_explorer = new DirectionExplorer(m_service, m_pages);
    m_traversal = new TraversalView(m_explorer, m_service, m_pages);
    m_sprites = new SpritesExplorer(m_pages);
    m_pages->addTab(m_explorer, tr("Directions"));
    m_pages->addTab(m_traversal, tr("Traversal"));
    if (controller) {
        m_compute = new DirectionComputePanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_compute, tr("Compute"));
        m_metrics = new DirectionMetricsPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_metrics, tr("Metrics"));
        m_gan = new GanTrainPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_gan, tr("Train GAN"));
        m_retrieval = new RetrievalPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_retrieval, tr("Retrieval"));
    }
    m_pages->addTab(m_sprites, tr("Sprites ground truth"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
}

LatentWorkspace::~LatentWorkspace()
{
    m_service->shutdown(); // the render thread ends before the widgets its frames are meant for
}

void LatentWorkspace::openGenerator(const QString &path)
{
    m_pages->setCurrentWidget(m_explorer);
    m_explorer->openGenerator(path);
}

QSlider *LatentWorkspace::factorSlider(int factor) const
{
    return m_sprites->factorSlider(factor);
}

QImage LatentWorkspace::spriteImage() const
{
    return m_sprites->spriteImage();
}

bool isGeneratorPath(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QFileInfo::exists(QDir(path).filePath("generator.pt"));
    const QString suffix = info.suffix().toLower();
    return info.isFile() && (suffix == "pt" || suffix == "pth" || suffix == "ts");
}

} // namespace untangle
