#include "spritecheckpanel.h"

#include "directionexplorer.h"
#include "generatorworld.h"
#include "imageconversion.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "renderbackpairsview.h"
#include "spritecheckjob.h"
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

constexpr int SpriteChannels = 1;
const char *const ShapeNames[SpriteShapeCount] = {QT_TRANSLATE_NOOP("untangle::SpriteCheckPanel", "squares"),
    QT_TRANSLATE_NOOP("untangle::SpriteCheckPanel", "ellipses"),
    QT_TRANSLATE_NOOP("untangle::SpriteCheckPanel", "hearts")};

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

} // namespace

SpriteCheckPanel::SpriteCheckPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
    , m_samples(SpriteCheckSamples)
{
    m_measure = new QPushButton(tr("Measure the open generator"), this);
    m_measure->setToolTip(tr("Draws %1 seeded samples, reads their factors with the Sprites factor reader (trained "
                             "once and cached if none is there) and renders back what it reads, as "
                             "`untangle-cli coverage --samples %1 --pairs` does.")
                              .arg(SpriteCheckSamples));
    m_jobButtons = new JobButtons(controller, {m_measure}, this);
    connect(m_measure, &QPushButton::clicked, this, [this] { measure(); });
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_score = new QLabel(this);
    m_score->setWordWrap(true);
    m_score->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_factors = readOnlyTable(
        {tr("Factor"), tr("Values present"), tr("Evenness"), tr("Sure"), tr("Sure, real")}, SpriteFactorCount, this);
    m_factors->setToolTip(
        tr("Values present: the bins holding at least a quarter of a uniform share (shape 3, scale "
           "6, orientation, x and y 8 each). Evenness: the histogram's entropy over its maximum "
           "(1 = as even as real sprites). Sure: the reader's mean top probability on the samples, and "
           "on held-out real sprites; a reader is often sure of garbage, so read it with the pairs."));
    for (int f = 0; f < SpriteFactorCount; ++f)
        setCell(m_factors, f, 0, QString::fromLatin1(spriteFactorName(SpriteFactor(f))));
    fitHeight(m_factors);
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

    connect(m_explorer, &DirectionExplorer::generatorOpened, this, &SpriteCheckPanel::generatorChanged);
    connect(m_explorer, &DirectionExplorer::generatorFailed, this, &SpriteCheckPanel::generatorChanged);
    connect(m_controller, &JobController::idle, this, &SpriteCheckPanel::measureIfDue);
    generatorChanged();
}

QString SpriteCheckPanel::statusText() const
{
    return m_status->text();
}

QString SpriteCheckPanel::notSpritesReason() const
{
    const auto &info = m_explorer->generatorInfo();
    const QString open = tr("Open a Sprites generator (File ▸ Shipped generators ▸ Sprites 64 × 64, or a Sprites "
                            "GAN run) to measure it against the ground truth.");
    if (!info)
        return open;
    const bool spritesShape = info->channels == SpriteChannels && (info->resolution == 32 || info->resolution == 64);
    if (!spritesShape || !mayBelongToRenderedWorld(m_explorer->generatorPath()))
        return tr("The open generator draws %1-channel %2 × %2 images of another world, not Sprites. %3")
            .arg(info->channels)
            .arg(info->resolution)
            .arg(open);
    return {};
}

void SpriteCheckPanel::generatorChanged()
{
    const QString reason = notSpritesReason();
    m_measure->setEnabled(reason.isEmpty() && !m_controller->isBusy());
    if (m_measured == m_explorer->generatorPath() && reason.isEmpty())
        return;
    m_measured.clear();
    for (QTableWidget *table : {m_factors, m_shapes})
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 1; c < table->columnCount(); ++c)
                setCell(table, r, c, QString());
    m_score->clear();
    m_status->setText(reason.isEmpty() ? tr("%1: press \"%2\" to draw %3 samples and read them.")
                                             .arg(QFileInfo(m_explorer->generatorPath()).fileName(), m_measure->text())
                                             .arg(m_samples)
                                       : reason);
    m_pairs->clear(reason.isEmpty()
            ? tr("Each shape's samples over the sprites the reader's reading renders to appear here.")
            : QString());
    if (isVisible())
        measureIfDue();
}

void SpriteCheckPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    measureIfDue();
}

void SpriteCheckPanel::measureIfDue()
{
    // Once per generator on our own, while the page is on screen and the worker is free: a failure or a stop is
    // not retried on every idle, Measure does that.
    const QString path = m_explorer->generatorPath();
    if (!isVisible() || m_controller->isBusy() || !notSpritesReason().isEmpty() || path == m_measured
        || path == m_attempted)
        return;
    if (measure(true)) // refused (another job took the worker first): tried again when it is idle
        m_attempted = path;
}

bool SpriteCheckPanel::measure(bool background)
{
    const QString reason = notSpritesReason();
    if (!reason.isEmpty()) {
        m_status->setText(reason);
        return false;
    }
    const QString path = m_explorer->generatorPath();
    auto *job = new SpriteCheckJob(path, m_explorer->generatorInfo()->resolution, m_samples);
    connect(job, &SpriteCheckJob::checked, this, [this](const SpriteCheck &check) { showCheck(check); });
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

void SpriteCheckPanel::showCheck(const SpriteCheck &check)
{
    if (check.generatorPath != m_explorer->generatorPath())
        return; // another generator was opened meanwhile: these numbers are not of it
    m_measured = check.generatorPath;
    const SpriteCoverage &coverage = check.readings.coverage;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        const auto &factor = coverage.factors[std::size_t(f)];
        const int bins = int(factor.histogram.size());
        setCell(m_factors, f, 1, QStringLiteral("%1 of %2").arg(std::lround(factor.coverage * bins)).arg(bins));
        setCell(m_factors, f, 2, QString::number(factor.entropy, 'f', 2));
        setCell(m_factors, f, 3, QString::number(factor.confidence, 'f', 2));
        setCell(m_factors, f, 4, QString::number(factor.realConfidence, 'f', 2));
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
        for (int c = 0; c < SpriteFactorSizes[int(SpriteFactor::Scale)]; ++c)
            byScale << QString::number(std::count_if(check.readings.read.begin(), check.readings.read.end(),
                [s, c](const SpriteFactors &read) { return read.shape == s && read.scale == c; }));
        setCell(m_shapes, s, 3, byScale.join(QStringLiteral("  ")));
        captions
            << tr("read as %1\n%2 %, IoU %3").arg(tr(ShapeNames[s])).arg(100.0 * share, 0, 'f', 0).arg(iou, 0, 'f', 2)
            << tr("rendered back\nfrom the reading");
    }
    m_pairs->setPairs(toQImage(check.pairs), coverage.resolution, captions);
    m_score->setText(
        tr("Score %1 = values present %2 × evenness %3 × realism %4 (render-back IoU %5, real sprites "
           "%6). Sharpness %7 of real sprites'. %8 samples, seed 1; `coverage` reports the same. "
           "Real sprites would put %9 in each shape and scale.")
            .arg(coverage.score, 0, 'f', 3)
            .arg(coverage.meanCoverage, 0, 'f', 2)
            .arg(coverage.meanEntropy, 0, 'f', 2)
            .arg(coverage.realism, 0, 'f', 2)
            .arg(coverage.renderAgreement, 0, 'f', 3)
            .arg(coverage.realRenderAgreement, 0, 'f', 3)
            .arg(coverage.sharpness.ratio, 0, 'f', 2)
            .arg(coverage.samples)
            .arg(coverage.samples / double(SpriteShapeCount * SpriteFactorSizes[int(SpriteFactor::Scale)]), 0, 'f', 0));
    m_status->setText(
        tr("%1 against the Sprites ground truth%2.")
            .arg(QFileInfo(check.generatorPath).fileName(),
                check.readerTrained ? tr(" (the factor reader was trained first and is now cached)") : QString()));
    emit measured(check);
}

} // namespace untangle
