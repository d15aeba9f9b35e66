#include "groundtruthcheckpanel.h"

#include "directionexplorer.h"
#include "factors/readingpairs.h"
#include "generatorworld.h"
#include "imageconversion.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "renderbackpairsview.h"
#include "sprites/spritefactormodel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace untangle {

namespace {

constexpr int PairColumns = 8; // as `coverage --pairs` writes them
constexpr int ScenePairRows = 3; // Scenes: the first 24 samples, each over the render of its reading
const char *const ShapeNames[SpriteShapeCount] = {QT_TRANSLATE_NOOP("untangle::GroundTruthCheckPanel", "squares"),
    QT_TRANSLATE_NOOP("untangle::GroundTruthCheckPanel", "ellipses"),
    QT_TRANSLATE_NOOP("untangle::GroundTruthCheckPanel", "hearts")};

QTableWidget *readOnlyTable(const QStringList &headers, int rows, QWidget *parent)
{
    auto *table = new QTableWidget(rows, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return table;
}

void setCell(QTableWidget *table, int row, int column, const QString &text, const QString &toolTip = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(toolTip);
    if (column > 0)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table->setItem(row, column, item);
}

/** A table exactly as tall as its rows, so the page's layout gives the rest to the pairs. */
void fitHeight(QTableWidget *table)
{
    table->resizeRowsToContents();
    int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
    for (int r = 0; r < table->rowCount(); ++r)
        height += table->rowHeight(r);
    table->setFixedHeight(height);
}

/** Values present, evenness and the reader's confidence on samples and on real renders of one factor. */
void setFactorRow(QTableWidget *table, int row, int presentBins, int bins, double evenness, double sure, double real)
{
    setCell(table, row, 1, QStringLiteral("%1 of %2").arg(presentBins).arg(bins));
    setCell(table, row, 2, QString::number(evenness, 'f', 2));
    setCell(table, row, 3, QString::number(sure, 'f', 2));
    setCell(table, row, 4, QString::number(real, 'f', 2));
}

} // namespace

GroundTruthCheckPanel::GroundTruthCheckPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
    , m_samples(GroundTruthCheckSamples)
{
    m_measure = new QPushButton(tr("Measure the open generator"), this);
    m_measure->setToolTip(tr("Draws %1 seeded samples, reads their factors with the world's factor reader (trained "
                             "once and cached if none is there) and renders what it reads, as "
                             "untangle-cli coverage --samples %1 (with --pairs for Sprites) does.")
                              .arg(GroundTruthCheckSamples));
    m_jobButtons = new JobButtons(controller, {m_measure}, this);
    connect(m_measure, &QPushButton::clicked, this, [this] { measure(); });
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_score = new QLabel(this);
    m_score->setWordWrap(true);
    m_score->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_factors = readOnlyTable(
        {tr("Factor"), tr("Values present"), tr("Evenness"), tr("Confidence"), tr("On real")}, SpriteFactorCount, this);
    m_factors->setToolTip(
        tr("Values present: the values (Sprites: bins of orientation and position) the reader gives at least a "
           "quarter of a uniform share of the samples. Evenness: the histogram's entropy over its maximum (1 = as "
           "even as real renders). Confidence: the reader's mean top probability on the samples; On real: the same on "
           "held-out real renders; a reader is often sure of garbage, so read it with the pairs."));
    m_shapes = readOnlyTable(
        {tr("Shape read"), tr("Share"), tr("IoU"), tr("By scale, small → large")}, SpriteShapeCount, this);
    m_shapes->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_shapes->setToolTip(tr(
        "Share: of the samples, those the reader reads as this shape (real sprites: a third "
        "each). IoU: render-back IoU, how well a sample's pixels match the sprite rendered from what "
        "the reader reads in it; real sprites reach about 0.92, and a shape drawn wrong (a "
        "\"heart\" without its cleft) shows here and in the pairs. By scale: how many samples are read as this shape "
        "at each of the 6 scales, smallest first; real sprites draw every shape at every scale "
        "equally often (1/18 of the samples each)."));
    for (int s = 0; s < SpriteShapeCount; ++s)
        setCell(m_shapes, s, 0, tr(ShapeNames[s]));
    fitHeight(m_shapes);
    m_pairs = new RenderBackPairsView(this);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_measure);
    buttons->addWidget(m_jobButtons->stop());
    buttons->addWidget(m_status, 1);
    auto *tables = new QVBoxLayout;
    tables->addWidget(m_factors);
    tables->addWidget(m_shapes);
    tables->addWidget(m_score);
    tables->addStretch(1);
    auto *body = new QHBoxLayout;
    body->addWidget(m_pairs, 1);
    body->addLayout(tables, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addLayout(body, 1);

    connect(m_explorer, &DirectionExplorer::generatorOpened, this, &GroundTruthCheckPanel::generatorChanged);
    connect(m_explorer, &DirectionExplorer::generatorFailed, this, &GroundTruthCheckPanel::generatorChanged);
    connect(m_controller, &JobController::idle, this, &GroundTruthCheckPanel::measureIfDue);
    generatorChanged();
}

QString GroundTruthCheckPanel::statusText() const
{
    return m_status->text();
}

QString GroundTruthCheckPanel::scoreText() const
{
    return m_score->text();
}

const FactorWorld *GroundTruthCheckPanel::openWorld() const
{
    const auto &info = m_explorer->generatorInfo();
    if (!info || !mayBelongToRenderedWorld(m_explorer->generatorPath()))
        return nullptr;
    const FactorWorld *world = FactorWorld::forImages(info->channels, info->resolution);
    return world && world->rendersAt(info->resolution) ? world : nullptr;
}

QString GroundTruthCheckPanel::reason() const
{
    const QString open = tr("Open a Sprites or Scenes generator (File ▸ Shipped generators, or a GAN run of either "
                            "world) to measure it against the ground truth.");
    const auto &info = m_explorer->generatorInfo();
    if (!info)
        return open;
    if (!openWorld())
        return tr("The open generator draws %1-channel %2 × %2 images of no rendered world (real images, or another "
                  "size), so there is no ground truth to read them against. %3")
            .arg(info->channels)
            .arg(info->resolution)
            .arg(open);
    return {};
}

void GroundTruthCheckPanel::resetFactorRows(const FactorWorld &world)
{
    m_factors->setRowCount(world.factorCount());
    for (int f = 0; f < world.factorCount(); ++f) {
        const std::string &name = world.factors[std::size_t(f)].name;
        // A sprite's angle repeats with its shape's symmetry (a square every 90°), so no reader is sure of it, on real
        // sprites either: said where the low number shows, not read as a flaw of the generator.
        const bool spriteAngle = world.kind == WorldKind::Sprites && name == "orientation";
        setCell(m_factors, f, 0, QString::fromStdString(factorDisplayName(name)) + (spriteAngle ? tr(" †") : QString()),
            spriteAngle ? tr("Ambiguous by symmetry: a square repeats every 90°, an ellipse every 180°, so the reader "
                             "is as unsure on real sprites (On real) as on samples. Left out of the score.")
                        : QString());
        for (int c = 1; c < m_factors->columnCount(); ++c)
            setCell(m_factors, f, c, QString());
    }
    fitHeight(m_factors);
    m_shapes->setVisible(world.kind == WorldKind::Sprites);
}

void GroundTruthCheckPanel::generatorChanged()
{
    const QString why = reason();
    m_measure->setEnabled(why.isEmpty() && !m_controller->isBusy());
    if (m_measured == m_explorer->generatorPath() && why.isEmpty())
        return;
    m_measured.clear();
    const FactorWorld *world = openWorld();
    resetFactorRows(world ? *world : FactorWorld::of(WorldKind::Sprites));
    for (int r = 0; r < m_shapes->rowCount(); ++r)
        for (int c = 1; c < m_shapes->columnCount(); ++c)
            setCell(m_shapes, r, c, QString());
    m_score->clear();
    m_status->setText(why.isEmpty() ? tr("%1: press \"%2\" to draw %3 samples and read them.")
                                          .arg(QFileInfo(m_explorer->generatorPath()).fileName(), m_measure->text())
                                          .arg(m_samples)
                                    : why);
    m_pairs->clear(
        why.isEmpty() ? tr("Samples over the renders of what the reader reads in them appear here.") : QString());
    if (isVisible())
        measureIfDue();
}

void GroundTruthCheckPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    measureIfDue();
}

void GroundTruthCheckPanel::measureIfDue()
{
    // Once per generator on our own, while the page is on screen and the worker is free: a failure or a stop is
    // not retried on every idle, Measure does that.
    const QString path = m_explorer->generatorPath();
    if (!isVisible() || m_controller->isBusy() || !reason().isEmpty() || path == m_measured || path == m_attempted)
        return;
    if (measure(true)) // refused (another job took the worker first): tried again when it is idle
        m_attempted = path;
}

bool GroundTruthCheckPanel::measure(bool background)
{
    const QString why = reason();
    if (!why.isEmpty()) {
        m_status->setText(why);
        return false;
    }
    const QString path = m_explorer->generatorPath();
    auto *job = new GroundTruthCheckJob(path, openWorld()->kind, m_explorer->generatorInfo()->resolution, m_samples);
    connect(job, &GroundTruthCheckJob::checked, this, [this](const GroundTruthCheck &check) { showCheck(check); });
    connect(job, &Job::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(job, &Job::progress, this, [this](double, const QString &message) { m_status->setText(message + "…"); });
    connect(job, &Job::stopped, this, [this] {
        m_status->setText(tr("Stopped before the measurement ended: press \"%1\" to measure.").arg(m_measure->text()));
    });
    if (!m_controller->start(std::unique_ptr<Job>(job), background ? JobPriority::Background : JobPriority::User)) {
        m_status->setText(background ? tr("Measured once the running job ends.")
                                     : tr("Another job is running; press \"%1\" once it ends.").arg(m_measure->text()));
        return false;
    }
    m_jobButtons->markRunning();
    return true;
}

void GroundTruthCheckPanel::showCheck(const GroundTruthCheck &check)
{
    if (check.generatorPath != m_explorer->generatorPath())
        return; // another generator was opened meanwhile: these numbers are not of it
    m_measured = check.generatorPath;
    resetFactorRows(FactorWorld::of(check.world));
    if (check.world == WorldKind::Sprites)
        showSprites(check);
    else
        showScenes(check);
    m_status->setText(
        tr("%1 against the %2 ground truth%3.")
            .arg(QFileInfo(check.generatorPath).fileName(), QString::fromStdString(FactorWorld::of(check.world).title),
                check.readerTrained ? tr(" (the factor reader was trained first and is now cached)") : QString()));
    emit measured(check);
}

void GroundTruthCheckPanel::showSprites(const GroundTruthCheck &check)
{
    const SpriteCoverage &coverage = check.sprites.coverage;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto &factor = coverage.factors[std::size_t(f)];
        const int bins = int(factor.histogram.size());
        setFactorRow(m_factors, f, int(std::lround(factor.coverage * bins)), bins, factor.entropy, factor.confidence,
            factor.realConfidence);
    }
    const auto &shapes = coverage.factors[std::size_t(SpriteFactor::Shape)].histogram;
    QStringList captions;
    for (int s = 0; s < SpriteShapeCount; ++s) {
        const double share = coverage.samples > 0
            ? double(std::size_t(s) < shapes.size() ? shapes[std::size_t(s)] : 0) / coverage.samples
            : 0.0;
        const double iou = coverage.shapeRenderAgreement[std::size_t(s)];
        setCell(m_shapes, s, 1, QStringLiteral("%1 %").arg(100.0 * share, 0, 'f', 0));
        setCell(m_shapes, s, 2, QString::number(iou, 'f', 3));
        QStringList byScale;
        for (int count : coverage.shapeByScale[std::size_t(s)])
            byScale << QString::number(count);
        setCell(m_shapes, s, 3, byScale.join(QStringLiteral("  ")));
        captions
            << tr("read as %1\n%2 %, IoU %3").arg(tr(ShapeNames[s])).arg(100.0 * share, 0, 'f', 0).arg(iou, 0, 'f', 2)
            << tr("rendered back\nfrom the reading");
    }
    // From the page's own samples: the pairs `coverage --pairs` draws from as many.
    m_pairs->setPairs(toQImage(spriteRenderBackPairs(check.sprites, PairColumns)), coverage.resolution, captions);
    m_score->setText(
        tr("Score %1 = values present %2 × evenness %3 × realism %4 (render-back IoU %5, real sprites "
           "%6). Sharpness %7 of real sprites'. %8 samples, seed 1; untangle-cli coverage reports the same. "
           "Real sprites would put %9 in each shape and scale. † Orientation repeats with a shape's symmetry, so the "
           "reader is as unsure on real sprites; it is left out of the score.")
            .arg(coverage.score, 0, 'f', 3)
            .arg(coverage.meanCoverage, 0, 'f', 3)
            .arg(coverage.meanEntropy, 0, 'f', 3)
            .arg(coverage.realism, 0, 'f', 3)
            .arg(coverage.renderAgreement, 0, 'f', 3)
            .arg(coverage.realRenderAgreement, 0, 'f', 3)
            .arg(coverage.sharpness.ratio, 0, 'f', 2)
            .arg(coverage.samples)
            .arg(coverage.samples / double(SpriteShapeCount * SpriteFactorSizes[int(SpriteFactor::Scale)]), 0, 'f', 0));
}

void GroundTruthCheckPanel::showScenes(const GroundTruthCheck &check)
{
    const WorldCoverage &coverage = check.scenes.coverage;
    for (int f = 0; f < int(coverage.factors.size()); ++f) {
        const FactorCoverage &factor = coverage.factors[std::size_t(f)];
        const int values = int(factor.histogram.size());
        setFactorRow(m_factors, f, int(std::lround(factor.coverage * values)), values, factor.entropy,
            factor.confidence, factor.realConfidence);
    }
    const int resolution = check.scenes.images.empty() ? 0 : check.scenes.images.front().width;
    QStringList captions;
    for (int row = 0; row < ScenePairRows; ++row)
        captions << tr("samples") << tr("rendered from\nthe reading");
    const int shown = std::min(ScenePairRows * PairColumns, int(check.scenes.images.size()));
    m_pairs->setPairs(toQImage(readingPairs(FactorWorld::of(WorldKind::Scenes), resolution, check.scenes.images,
                          check.scenes.read, firstSampleRows(shown, PairColumns), PairColumns)),
        resolution, captions);
    m_score->setText(tr("Score %8 = values present %1 × evenness %2 × realism %3 (the reader's confidence against real "
                        "renders; a Scenes GAN run keeps the checkpoint that scores highest). "
                        "One view %4: the share of samples nearer a render of what the reader reads than that room "
                        "averaged over its orientations (renders 1.00; renders blended with their mirror image %5). "
                        "Sharpness %6 of real renders'. %7 samples, seed 1; untangle-cli coverage reports the same.")
                         .arg(coverage.meanCoverage, 0, 'f', 3)
                         .arg(coverage.meanEntropy, 0, 'f', 3)
                         .arg(coverage.realism, 0, 'f', 3)
                         .arg(coverage.oneView, 0, 'f', 2)
                         .arg(coverage.mirrorBlendOneView, 0, 'f', 2)
                         .arg(coverage.sharpness.ratio, 0, 'f', 2)
                         .arg(coverage.samples)
                         .arg(coverage.score(), 0, 'f', 3));
}

} // namespace untangle
