#include "retrievalpanel.h"

#include "datasetspec.h"
#include "directionexplorer.h"
#include "factors/factorworld.h"
#include "generatorworld.h"
#include "imageconversion.h"
#include "imagegrid.h"
#include "jobbuttons.h"
#include "jobcontroller.h"
#include "queryencoderservice.h"
#include "retrieval/retrieval.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <memory>

#include <algorithm>
#include <utility>

namespace untangle {
namespace {
constexpr int PoolThumbnails = 400; // the pool view shows the first images; thousands of cells would only scroll
constexpr int DefaultPoolCount = 2000;
constexpr int DefaultK = 10;
constexpr int QueryPixels = 96;
constexpr int GalleryMaxPixels = 144; // 10 results in two rows of five on the right half at 1600 x 1000
const QColor RelevantFrame(40, 170, 60);
const QColor IrrelevantFrame(210, 50, 40);
// The source combo's data for the rendered worlds (their factors are the ground truth); datasets carry their kind.
constexpr int SpritesSource = -1;
constexpr int ScenesSource = -2;

QString localFileOf(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().isEmpty() || !mime->urls().front().isLocalFile())
        return {};
    return mime->urls().front().toLocalFile();
}

QScrollArea *scrolling(QWidget *inner, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidgetResizable(true);
    area->setWidget(inner);
    return area;
}
} // namespace

RetrievalPanel::RetrievalPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent)
    : QWidget(parent)
    , m_explorer(explorer)
    , m_controller(controller)
    , m_queryEncoder(new QueryEncoderService(this))
{
    setAcceptDrops(true);
    connect(m_queryEncoder, &QueryEncoderService::encoded, this, [this](quint64 id, const QVector<double> &scores) {
        if (id != m_queryEncoder->lastRequestId())
            return; // overtaken by a newer query
        setQueryScores(std::vector<double>(scores.begin(), scores.end()), m_pendingQuery, -1);
        m_status->setText(tr("Query scored along %n direction(s).", nullptr, int(scores.size())));
    });
    connect(m_queryEncoder, &QueryEncoderService::failed, this, [this](quint64 id, const QString &message) {
        if (id == m_queryEncoder->lastRequestId())
            m_status->setText(tr("Cannot use this query: %1").arg(message));
    });
    connect(
        m_queryEncoder, &QueryEncoderService::loadFailed, this, [this](const QString &file, const QString &message) {
            m_status->setText(tr("Cannot load %1: %2").arg(file, message));
        });
    m_scorePath = new QLineEdit(this);
    m_scorePath->setPlaceholderText(tr("SRE estimator.pt or a distilled encoder"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &RetrievalPanel::browseScoreFile);
    m_source = new QComboBox(this);
    m_source->addItem(tr("Sprites"), SpritesSource);
    m_source->addItem(tr("Scenes (rendered, six factors)"), ScenesSource);
    for (DatasetKind kind : allDatasetKinds())
        if (!datasetNeedsPath(kind) && kind != DatasetKind::Sprites && kind != DatasetKind::Scenes)
            m_source->addItem(tr("%1 (test split)").arg(QString::fromStdString(datasetTitle(kind))), int(kind));
    m_count = new QSpinBox(this);
    m_count->setRange(50, 100000);
    m_count->setValue(DefaultPoolCount);
    m_count->setToolTip(tr("Rendered pool size (Sprites or Scenes, at the score network's resolution)"));
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        const int source = m_source->currentData().toInt();
        m_count->setEnabled(source == SpritesSource || source == ScenesSource);
    });
    m_encode = new QPushButton(tr("Encode pool"), this);
    connect(m_encode, &QPushButton::clicked, this, &RetrievalPanel::encodePool);
    m_jobButtons = new JobButtons(m_controller, {m_encode}, this);
    m_stop = m_jobButtons->stop();
    m_direction = new QComboBox(this);
    m_direction->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    // The score network names its directions; until the pool is encoded with it there are none (an empty box read
    // as broken).
    m_direction->setPlaceholderText(tr("once the pool is encoded"));
    connect(m_direction, &QComboBox::currentIndexChanged, this, &RetrievalPanel::requery);
    m_k = new QSpinBox(this);
    m_k->setRange(1, 100);
    m_k->setValue(DefaultK);
    connect(m_k, &QSpinBox::valueChanged, this, &RetrievalPanel::requery);
    m_useGenerated = new QPushButton(tr("Use current generated image"), this);
    connect(m_useGenerated, &QPushButton::clicked, this, &RetrievalPanel::useGeneratedImage);

    auto *scoreRow = new QHBoxLayout;
    scoreRow->addWidget(new QLabel(tr("Score network"), this));
    scoreRow->addWidget(m_scorePath, 1);
    scoreRow->addWidget(browse);
    auto *poolRow = new QHBoxLayout;
    poolRow->addWidget(new QLabel(tr("Pool"), this));
    poolRow->addWidget(m_source);
    poolRow->addWidget(m_count);
    poolRow->addWidget(m_encode);
    poolRow->addWidget(m_stop);
    poolRow->addSpacing(16);
    poolRow->addWidget(new QLabel(tr("Direction"), this));
    poolRow->addWidget(m_direction);
    poolRow->addWidget(new QLabel(tr("k"), this));
    poolRow->addWidget(m_k);
    poolRow->addStretch(1);
    m_status = new QLabel(tr("Choose a score network and encode a pool; then click a pool image, drop an image "
                             "file here, or use the explorer's current image as the query."),
        this);
    m_status->setWordWrap(true);

    m_poolGrid = new ImageGrid(this);
    m_poolGrid->setCellSize(48);
    m_poolGrid->setEmptyText(
        tr("No pool yet. Press Encode pool: the score network scores the chosen dataset's "
           "images along every direction, and they appear here. Then click one to query with it."));
    connect(m_poolGrid, &ImageGrid::itemClicked, this, &RetrievalPanel::setQueryFromPool);
    m_gallery = new ImageGrid(this);
    m_gallery->setFitToArea(GalleryMaxPixels); // k results fill the pane (up to 100 fit without scrolling)
    m_gallery->setEmptyText(tr("Pick a query (a pool image, an image file dropped here, or the explorer's current "
                               "image): the k pool images nearest to it along the chosen direction appear here."));
    connect(m_gallery, &ImageGrid::itemClicked, this, [this](int item) {
        if (item >= 0 && std::size_t(item) < m_results.size())
            setQueryFromPool(m_results[std::size_t(item)]);
    });
    m_query = new QLabel(this);
    m_query->setFixedSize(QueryPixels, QueryPixels);
    m_query->setFrameShape(QFrame::Box);
    m_query->setAlignment(Qt::AlignCenter);
    m_precision = new QLabel(this);
    m_precision->setWordWrap(true);
    auto *queryRow = new QHBoxLayout;
    auto *queryText = new QVBoxLayout;
    queryText->addWidget(new QLabel(tr("<b>Query</b>"), this));
    queryText->addWidget(m_useGenerated);
    queryText->addWidget(m_precision);
    queryText->addStretch(1);
    queryRow->addWidget(m_query);
    queryRow->addLayout(queryText, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(queryRow);
    rightLayout->addWidget(new QLabel(tr("<b>Nearest along the direction</b> (distance under each)"), right));
    rightLayout->addWidget(m_gallery, 1);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>Pool</b> (click an image to query with it)"), left));
    leftLayout->addWidget(scrolling(m_poolGrid, left), 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(scoreRow);
    layout->addLayout(poolRow);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    if (m_explorer) {
        connect(m_explorer, &DirectionExplorer::directionsChanged, this, &RetrievalPanel::suggestScoreFile);
        connect(m_explorer, &DirectionExplorer::generatorOpened, this, &RetrievalPanel::followGeneratorWorld);
        connect(m_explorer, &DirectionExplorer::attributionChanged, this, [this] {
            if (m_encoding && !m_results.empty())
                requery(); // the frames and precision follow the factor now named for the direction
        });
    }
    suggestScoreFile();
}

RetrievalPanel::~RetrievalPanel() = default;

void RetrievalPanel::setScoreFile(const QString &path)
{
    m_scorePath->setText(path);
}

QString RetrievalPanel::scoreFile() const
{
    return m_scorePath->text().trimmed();
}

QString RetrievalPanel::statusText() const
{
    return m_status->text();
}

QString RetrievalPanel::precisionText() const
{
    return m_precision->text();
}

void RetrievalPanel::browseScoreFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Score network"), QFileInfo(scoreFile()).path(), tr("Score networks (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty())
        setScoreFile(path);
}

void RetrievalPanel::suggestScoreFile()
{
    // An explorer showing an SRE run's directions has that run's estimator beside them: the natural score network.
    // A shipped generator keeps it as "<set>-estimator.pt" beside the set (resources/generators/scenes-64).
    if (!m_explorer || !scoreFile().isEmpty() || m_explorer->afterSrePath().isEmpty())
        return;
    const QFileInfo after(m_explorer->afterSrePath());
    for (const QString &name : {QStringLiteral("estimator.pt"), after.completeBaseName() + "-estimator.pt"}) {
        if (const QString estimator = after.dir().filePath(name); QFileInfo(estimator).isFile()) {
            setScoreFile(estimator);
            return;
        }
    }
}

void RetrievalPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_shownOnce, true) || m_encoding || m_controller->isBusy() || !QFileInfo(scoreFile()).isFile())
        return;
    m_queryFirstImage = encodePool();
}

bool RetrievalPanel::encodePool()
{
    const QString path = scoreFile();
    if (path.isEmpty()) {
        m_status->setText(tr("Choose a score network first: an SRE run's estimator.pt (the Compute page's +SRE makes "
                             "one) or a distilled encoder."));
        return false;
    }
    if (!QFileInfo(path).isFile()) {
        m_status->setText(tr("Choose a score network file first (%1 is not a file).").arg(path));
        return false;
    }
    RetrievalPoolSpec spec;
    const int source = m_source->currentData().toInt();
    if (source == SpritesSource || source == ScenesSource) {
        spec.source = source == ScenesSource ? PoolSource::Scenes : PoolSource::Sprites;
        spec.count = m_count->value();
    } else {
        spec.source = PoolSource::Dataset;
        spec.dataset.kind = DatasetKind(source);
        spec.split = PoolSplit::Test;
    }
    const QString cacheDir = QString::fromStdString(defaultPoolCacheDir());
    auto *job = new PoolEncodingJob(QFileInfo(path).absoluteFilePath(), spec, cacheDir);
    connect(job, &PoolEncodingJob::encoded, this, &RetrievalPanel::setEncoding);
    connect(job, &Job::failed, this, [this](const QString &message) {
        m_queryFirstImage = false;
        m_status->setText(tr("Encoding failed: %1").arg(message));
    });
    connect(job, &Job::progress, this, [this](double fraction, const QString &message) {
        m_status->setText(tr("%1 (%2%)").arg(message).arg(int(100 * fraction)));
    });
    if (!m_controller->start(std::unique_ptr<Job>(job))) {
        m_status->setText(tr("Another job is running; stop it first."));
        return false;
    }
    m_status->setText(tr("Encoding the pool…"));
    m_jobButtons->markRunning();
    return true;
}

void RetrievalPanel::setEncoding(const std::shared_ptr<const PoolEncoding> &encoding)
{
    m_queryEncoder->load(encoding->scoreFile); // the job just read it: a failure here is said when it happens
    m_encoding = encoding;
    m_queryIndex = -1;
    m_queryScores.clear();
    m_results.clear();
    m_query->clear();
    m_precision->clear();
    m_gallery->setItems({});
    {
        const QSignalBlocker block(m_direction);
        m_direction->clear();
        m_direction->addItems(encoding->directionNames);
        // With a placeholder the box stays at -1 after addItems; the first direction is the one queried.
        if (m_direction->count() > 0)
            m_direction->setCurrentIndex(0);
    }
    m_k->setMaximum(std::max(1, encoding->pool.count() - 1));
    showPool();
    if (std::exchange(m_queryFirstImage, false))
        setQueryFromPool(0);
    m_status->setText(tr("%1: %2 images, %3 directions%4.")
                          .arg(QString::fromStdString(encoding->pool.description))
                          .arg(encoding->pool.count())
                          .arg(encoding->scores.cols)
                          .arg(encoding->fromCache ? tr(" (scores from the cache)") : QString()));
    emit poolEncoded();
}

QImage RetrievalPanel::poolImage(int index) const
{
    return toQImage(m_encoding->pool.images, index);
}

void RetrievalPanel::showPool()
{
    QVector<GridItem> items;
    const int shown = std::min(PoolThumbnails, m_encoding->pool.count());
    for (int i = 0; i < shown; ++i) {
        GridItem item;
        item.image = poolImage(i);
        item.toolTip = tr("pool image %1").arg(i);
        if (i == m_queryIndex)
            item.frame = QColor(40, 110, 200);
        items.push_back(item);
    }
    m_poolGrid->setItems(items);
}

bool RetrievalPanel::setQueryFromPool(int index)
{
    if (!m_encoding || index < 0 || index >= m_encoding->pool.count())
        return false;
    const bool wasShownFramed = m_queryIndex >= 0 && m_queryIndex < PoolThumbnails;
    const bool ok = setQueryScores(poolScoresOf(m_encoding->scores, index), poolImage(index), index);
    if (wasShownFramed || index < PoolThumbnails)
        showPool(); // moves the query's frame
    return ok;
}

bool RetrievalPanel::setQueryFromFile(const QString &path)
{
    if (!m_encoding) {
        m_status->setText(tr("Encode a pool first."));
        return false;
    }
    const QImage image(path);
    if (image.isNull()) {
        m_status->setText(tr("Cannot use %1 as a query: not a readable image").arg(path));
        return false;
    }
    m_pendingQuery = image;
    m_queryEncoder->encodeFile(QFileInfo(path).absoluteFilePath());
    m_status->setText(tr("Scoring %1…").arg(QFileInfo(path).fileName()));
    return true;
}

bool RetrievalPanel::useGeneratedImage()
{
    if (!m_encoding) {
        m_status->setText(tr("Encode a pool first."));
        return false;
    }
    const RenderFrame &frame = m_explorer ? m_explorer->lastFrame() : RenderFrame();
    if (!m_explorer || frame.panels.size() < 2 || frame.panels[1].empty() || frame.panels[1].front().isEmpty()) {
        m_status->setText(tr("The explorer shows no generated image yet: open a generator first."));
        return false;
    }
    const ImageU8 &image = frame.panels[1].front();
    m_pendingQuery = toQImage(image);
    m_queryEncoder->encodeImage(image);
    m_status->setText(tr("Scoring the generated image…"));
    return true;
}

bool RetrievalPanel::setQueryScores(std::vector<double> scores, const QImage &image, int poolIndex)
{
    m_queryScores = std::move(scores);
    m_queryIndex = poolIndex;
    m_query->setPixmap(QPixmap::fromImage(image.scaled(QueryPixels - 4, QueryPixels - 4, Qt::KeepAspectRatio)));
    m_query->setToolTip(poolIndex >= 0 ? tr("pool image %1").arg(poolIndex) : tr("external image"));
    requery();
    emit queryShown();
    return true;
}

void RetrievalPanel::requery()
{
    m_results.clear();
    m_precision->clear();
    if (!m_encoding || m_queryScores.empty() || m_direction->currentIndex() < 0) {
        m_gallery->setItems({});
        return;
    }
    const int direction = m_direction->currentIndex();
    const int k = std::min(m_k->value(), m_encoding->pool.count() - 1);
    RetrievalResult result;
    try {
        result = retrieve(m_encoding->scores, m_queryScores, direction, k, m_queryIndex);
    } catch (const std::exception &error) {
        m_status->setText(tr("Retrieval failed: %1").arg(QString::fromUtf8(error.what())));
        m_gallery->setItems({});
        return;
    }
    m_results = result.indices;
    // Relevance needs the query's own factor values, so only a pool query (whose ground truth is known) is judged.
    bool shared = false;
    const int factor = relevanceFactor(direction, &shared);
    const bool judged = factor >= 0 && m_queryIndex >= 0;
    const FactorMatrix &factors = m_encoding->pool.factors;
    // "floor hue", as the Factors page and the direction names write it, not the key "floor_hue"
    const QString words = factor >= 0
        ? QString::fromStdString(factorDisplayName(m_encoding->pool.factorNames[std::size_t(factor)]))
        : QString();
    int relevant = 0;
    QVector<GridItem> items;
    for (std::size_t i = 0; i < result.indices.size(); ++i) {
        const int index = result.indices[i];
        GridItem item;
        item.image = poolImage(index);
        item.caption = QString::number(result.distances[i], 'f', 3);
        item.toolTip = tr("pool image %1, distance %2").arg(index).arg(result.distances[i], 0, 'g', 4);
        if (judged) {
            // The value the frame was judged by, under the distance, so a frame can be checked by eye.
            item.caption += QStringLiteral(" · %1 %2").arg(words).arg(factors.at(index, factor));
            const bool hit = factorValuesRelevant(m_encoding->pool.factorKinds[std::size_t(factor)],
                factors.sizes[std::size_t(factor)], factors.at(index, factor), factors.at(m_queryIndex, factor));
            relevant += hit;
            item.frame = hit ? RelevantFrame : IrrelevantFrame;
        }
        items.push_back(item);
    }
    m_gallery->setItems(items);
    if (judged) {
        m_precision->setText(
            (shared ? tr("precision@%1 = %2, chance %3 (relevant: %4; %5 is the factor this direction moves most, as "
                         "on the Factors page)")
                    : tr("precision@%1 = %2, chance %3 (relevant: %4; %5 is the factor this direction's score tracks "
                         "best on the pool, until the Factors page attributes these directions)"))
                .arg(k)
                .arg(double(relevant) / double(std::max(1, k)), 0, 'f', 2)
                .arg(shared ? m_encoding->factorChance.value(factor) : m_encoding->precisionChance.value(direction), 0,
                    'f', 2)
                .arg(relevanceRule(m_encoding->pool.factorKinds[std::size_t(factor)], words), words)
            + tr(". The query's %1: %2 (of 0–%3), each result's under its distance.")
                  .arg(words)
                  .arg(factors.at(m_queryIndex, factor))
                  .arg(factors.sizes[std::size_t(factor)] - 1));
    } else if (factor >= 0)
        m_precision->setText(tr("(an image from outside the pool has no ground truth to judge results by)"));
}

int RetrievalPanel::relevanceFactor(int direction, bool *shared) const
{
    if (shared)
        *shared = false;
    if (!m_encoding)
        return -1;
    // The explorer's attribution, when the score network's outputs are one of the explorer's sets: then retrieval
    // judges by the same factor the sliders, traversal and metrics name.
    const QString scored = QFileInfo(m_encoding->directionsPath).canonicalFilePath();
    for (int set = 0; m_explorer && !scored.isEmpty() && set < 2; ++set) {
        const QString path = set == 0 ? m_explorer->directionsPath() : m_explorer->afterSrePath();
        const FactorAttribution *attribution = m_explorer->attribution(set);
        if (!attribution || path.isEmpty() || QFileInfo(path).canonicalFilePath() != scored)
            continue;
        const std::string name = attribution->dominantFactorName(direction).toStdString();
        const auto &names = m_encoding->pool.factorNames;
        const auto found = std::find(names.begin(), names.end(), name);
        if (name.empty() || found == names.end())
            break; // a world of other factor names: fall back to the pool's own tracking
        if (shared)
            *shared = true;
        return int(found - names.begin());
    }
    return m_encoding->directionFactor.value(direction, -1);
}

QString RetrievalPanel::relevanceRule(FactorKind kind, const QString &factorWords)
{
    switch (kind) {
    case FactorKind::Categorical:
        return tr("same %1").arg(factorWords);
    case FactorKind::Circular:
        return tr("same %1 ±1 step (wraps around)").arg(factorWords);
    case FactorKind::Ordinal:
        break;
    }
    return tr("same %1 ±1 step").arg(factorWords);
}

QString RetrievalPanel::relevanceFactorName(int direction) const
{
    const int factor = relevanceFactor(direction);
    return factor >= 0 ? QString::fromStdString(m_encoding->pool.factorNames[std::size_t(factor)]) : QString();
}

void RetrievalPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localFileOf(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void RetrievalPanel::dropEvent(QDropEvent *event)
{
    const QString path = localFileOf(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    setQueryFromFile(path);
}

void RetrievalPanel::followGeneratorWorld()
{
    // A generator's directions are judged on images of its own world: a Scenes network scoring Sprites (the first
    // item) gave a precision that meant nothing. The world is the one the rescoring uses (FactorWorld::forImages);
    // a generator of no rendered world (an MNIST GAN) leaves the choice to the user.
    if (!m_explorer || !m_explorer->generatorInfo())
        return;
    const GeneratorInfo &info = *m_explorer->generatorInfo();
    if (!mayBelongToRenderedWorld(m_explorer->generatorPath()))
        return;
    if (const FactorWorld *world = FactorWorld::forImages(info.channels, info.resolution))
        m_source->setCurrentIndex(
            std::max(0, m_source->findData(world->kind == WorldKind::Scenes ? ScenesSource : SpritesSource)));
}

} // namespace untangle
