#include "latentworkspace.h"

#include "directioncomputepanel.h"
#include "directionexplorer.h"
#include "directionmetricspanel.h"
#include "factorattributionpanel.h"
#include "factors/factorworld.h"
#include "gantrainpanel.h"
#include "generatorworld.h"
#include "groundtruthcheckpanel.h"
#include "groundtruthexplorer.h"
#include "imageconversion.h"
#include "jobcontroller.h"
#include "latentrenderservice.h"
#include "retrievalpanel.h"
#include "shippedresources.h"
#include "traversalview.h"

#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QImage>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace untangle {

namespace {
constexpr int AttributeDelayMs = 500; // a generator and two sets load in a burst: attribute once they have settled
} // namespace

LatentWorkspace::LatentWorkspace(JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_service(new LatentRenderService(this))
    , m_controller(controller)
    , m_attributeSoon(new QTimer(this))
{
    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_explorer = new DirectionExplorer(m_service, m_pages);
    m_traversal = new TraversalView(m_explorer, m_service, m_pages);
    m_pages->addTab(m_explorer, tr("Directions"));
    m_pages->addTab(m_traversal, tr("Traversal"));
    if (controller) {
        m_compute = new DirectionComputePanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_compute, tr("Compute"));
        m_metrics = new DirectionMetricsPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_metrics, tr("Metrics"));
        m_factors = new FactorAttributionPanel(m_explorer, controller, m_pages);
        m_compute->setFactorsPage(m_factors);
        m_pages->addTab(m_factors, tr("Factors"));
        m_gan = new GanTrainPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_gan, tr("Train GAN"));
        m_retrieval = new RetrievalPanel(m_explorer, controller, m_pages);
        m_pages->addTab(m_retrieval, tr("Retrieval"));
    }
    m_groundTruthPage = buildGroundTruthPage();
    m_pages->addTab(m_groundTruthPage, tr("Ground truth"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    m_attributeSoon->setSingleShot(true);
    m_attributeSoon->setInterval(AttributeDelayMs);
    connect(m_attributeSoon, &QTimer::timeout, this, &LatentWorkspace::attributeIfDue);
    connect(m_explorer, &DirectionExplorer::directionsChanged, this, [this] {
        if (m_autoAttribution)
            m_attributeSoon->start();
    });
    if (controller) // a worker busy when the sets arrived: try again once it is free
        connect(controller, &JobController::idle, this, [this] {
            if (m_autoAttribution)
                m_attributeSoon->start();
        });
}

void LatentWorkspace::setAutoAttribution(bool on)
{
    m_autoAttribution = on;
    if (on)
        m_attributeSoon->start();
}

void LatentWorkspace::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_autoAttribution)
        m_attributeSoon->start();
}

QString LatentWorkspace::attributionKey() const
{
    return m_explorer->loadedKey() + '\n' + QString::number(m_explorer->directions().count());
}

QWidget *LatentWorkspace::buildGroundTruthPage()
{
    auto *page = new QWidget(m_pages);
    auto *layout = new QVBoxLayout(page);
    m_truths = new QStackedWidget(page);
    m_sprites = new GroundTruthExplorer(FactorWorld::of(WorldKind::Sprites), m_truths);
    m_scenes = new GroundTruthExplorer(FactorWorld::of(WorldKind::Scenes), m_truths);
    m_truths->addWidget(m_sprites);
    m_truths->addWidget(m_scenes);
    m_truths->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    layout->addWidget(m_truths);
    // The open generator's world is the renderer shown; Sprites when it draws none.
    const auto showOpenWorld = [this] {
        const auto &info = m_explorer->generatorInfo();
        const FactorWorld *world = info ? FactorWorld::forImages(info->channels, info->resolution) : nullptr;
        m_truths->setCurrentWidget(world && world->kind == WorldKind::Scenes ? m_scenes : m_sprites);
    };
    connect(m_explorer, &DirectionExplorer::generatorOpened, m_truths, showOpenWorld);
    if (m_controller) {
        auto *group = new QGroupBox(tr("The open generator against the ground truth"), page);
        m_check = new GroundTruthCheckPanel(m_explorer, m_controller, group);
        // The measured samples feed the renderer's "how the generator draws it" strip; another generator clears it.
        connect(m_check, &GroundTruthCheckPanel::measured, m_truths, [this](const GroundTruthCheck &check) {
            const bool sprites = check.world == WorldKind::Sprites;
            const auto &images = sprites ? check.sprites.images : check.scenes.images;
            QVector<QImage> shown;
            QStringList captions;
            for (std::size_t i = 0; i < images.size(); ++i) {
                shown << toQImage(images[i]);
                if (sprites)
                    captions << tr("IoU %1").arg(check.sprites.renderAgreement[i], 0, 'f', 2);
            }
            GroundTruthExplorer *explorer = sprites ? m_sprites : m_scenes;
            explorer->setDrawings(QFileInfo(check.generatorPath).fileName(), shown, check.readTuples(), captions);
            (sprites ? m_scenes : m_sprites)->setDrawings({}, {}, {}, {});
        });
        const auto clearIfOther = [this] {
            if (m_check->measuredPath() != m_explorer->generatorPath())
                for (GroundTruthExplorer *explorer : {m_sprites, m_scenes})
                    explorer->setDrawings({}, {}, {}, {});
        };
        connect(m_explorer, &DirectionExplorer::generatorOpened, m_truths, clearIfOther);
        connect(m_explorer, &DirectionExplorer::generatorFailed, m_truths, clearIfOther);
        auto *groupLayout = new QVBoxLayout(group);
        groupLayout->addWidget(m_check);
        layout->addWidget(group, 1);
    } else {
        layout->addStretch(1);
    }
    return page;
}

GroundTruthExplorer *LatentWorkspace::groundTruth() const
{
    return qobject_cast<GroundTruthExplorer *>(m_truths->currentWidget());
}

bool LatentWorkspace::attributionDue() const
{
    if (!m_factors || !m_autoAttribution)
        return false;
    const auto &info = m_explorer->generatorInfo();
    const bool sets = m_explorer->hasDirections() && !m_explorer->attribution(0);
    const bool after = m_explorer->hasAfterSre() && !m_explorer->attribution(1);
    if (!info || !(sets || after) || !FactorWorld::forImages(info->channels, info->resolution)
        || !mayBelongToRenderedWorld(m_explorer->generatorPath()))
        return false; // nothing new, or a generator of no rendered world (an MNIST GAN): no reader to attribute with
    // Once per generator and sets: a job that failed (or was stopped) is not restarted on every idle.
    return attributionKey() != m_attempted;
}

void LatentWorkspace::attributeIfDue()
{
    if (!m_controller || m_controller->isBusy() || !isVisible() || !attributionDue())
        return;
    m_attempted = attributionKey();
    m_factors->attribute(JobPriority::Background); // the user's first click is not refused for it
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

bool LatentWorkspace::openShippedGenerator(const QString &name)
{
    const QString relative = QStringLiteral("generators/%1/generator.pt").arg(name);
    const QString generator = QString::fromStdString(shippedResourcePath(relative.toStdString()));
    if (generator.isEmpty()) {
        m_explorer->showError(tr("No shipped generator is installed (%1 not found): open a GAN run folder, a "
                                 "generator.pt or a TorchScript file, or train one on the Train GAN page.")
                                  .arg(relative));
        return false;
    }
    const QDir folder = QFileInfo(generator).dir();
    // Directions once the generator is open, so their style size is checked against it.
    connect(
        m_explorer, &DirectionExplorer::generatorOpened, this,
        [this, folder, generator](const QString &opened) {
            if (opened != generator)
                return;
            for (const auto &[file, after] : {std::pair {"sefa.json", false}, std::pair {"sefa-sre.json", true}}) {
                const QString path = folder.filePath(QString::fromLatin1(file));
                if (!QFileInfo::exists(path))
                    continue;
                if (after)
                    m_explorer->loadAfterSre(path);
                else
                    m_explorer->loadDirections(path);
            }
        },
        Qt::SingleShotConnection);
    openGenerator(generator);
    return true;
}

QSlider *LatentWorkspace::factorSlider(int factor) const
{
    return m_sprites->factorSlider(factor);
}

QImage LatentWorkspace::spriteImage() const
{
    return m_sprites->renderedImage();
}

QString shippedGeneratorTitle(const QString &name)
{
    // "sprites-64" -> "Sprites 64 x 64": the world the generator draws and its size, as the menu lists them
    const QStringList parts = name.split('-');
    QString world = parts.value(0);
    if (!world.isEmpty())
        world[0] = world[0].toUpper();
    bool isSize = false;
    const int size = parts.value(1).toInt(&isSize);
    return parts.size() == 2 && isSize ? QStringLiteral("%1 %2 × %2").arg(world).arg(size) : name;
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
