#include "directionexplorer.h"

#include "factors/factorlabels.h"

#include "directionmetricspanel.h"

#include "directionshift.h"
#include "directionsliderbank.h"
#include "explore/traversalgrid.h"
#include "imageconversion.h"
#include "latentrenderservice.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>
#include <exception>

namespace untangle {
namespace {
// Each grid is at least a 196 px square (3x3 of 64 px images at their own size, 2 px gaps) and grows with the window:
// at 1280x800 the ten sliders take the height they need (264 px grids cut the list at its eighth row), at 1600x1000
// the grids take the room the slider list leaves and the row's full width. A splitter between them moves the line.
constexpr int PanelSide = 196;
constexpr int MaxListedSliders = 10; // rows the slider list shows before it scrolls
constexpr int MaxSamples = 9; // a 3x3 grid, as GANSpace's batch control
// +-2 sigma: the SRE scale range (1.5 sigma) with some room beyond it; at -3 sigma the Sprites generator drew grey
// striped artefacts (issue 13), off its data.
constexpr double DefaultRange = 2.0;
constexpr double MaxRange = 10.0; // GANSpace's +-10 sigma
constexpr int MaxSeed = 2147483647;
constexpr int TileGap = 2;
// Marked for lupdate in the class's tr() context; translated where they are shown.
const char *const PanelTitles[] = {QT_TRANSLATE_NOOP("untangle::DirectionExplorer", "Original"),
    QT_TRANSLATE_NOOP("untangle::DirectionExplorer", "Edited"),
    QT_TRANSLATE_NOOP("untangle::DirectionExplorer", "Edited, after SRE")};

QString describe(const GeneratorInfo &info)
{
    // The weights' fingerprint is what direction files record and what a refusal names: shown so the two can be
    // matched by eye.
    const QString weights = info.fingerprint.empty()
        ? QString()
        : QObject::tr(" — weights %1").arg(QString::fromStdString(info.fingerprint));
    return QObject::tr("z %1, w %2%3, %4×%4×%5 — %6%7")
        .arg(info.latentSize)
        .arg(info.styleSize)
        .arg(info.hasStyleSpace ? QString() : QObject::tr(" (= z)"))
        .arg(info.resolution)
        .arg(info.channels)
        .arg(QString::fromStdString(info.description), weights);
}

std::vector<double> toStd(const QVector<double> &values)
{
    return std::vector<double>(values.begin(), values.end());
}

} // namespace

DirectionExplorer::DirectionExplorer(LatentRenderService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    m_clock.start();

    // -- generator --
    auto *generatorBox = new QGroupBox(tr("Generator"), this);
    auto *openButton = new QPushButton(tr("Open generator…"), generatorBox);
    connect(openButton, &QPushButton::clicked, this, &DirectionExplorer::browseGenerator);
    m_generatorLabel = new QLabel(tr("No generator open: open one of File > Shipped generators, a GAN run folder, a "
                                     "generator.pt or a TorchScript file (or drop one on the window)."),
        generatorBox);
    m_generatorLabel->setWordWrap(true);
    m_generatorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(generatorBox);
    m_error->setObjectName("latentError");
    m_error->setStyleSheet("color: #b00020;");
    m_error->setWordWrap(true);
    m_error->hide();
    auto *generatorLayout = new QGridLayout(generatorBox);
    generatorLayout->addWidget(openButton, 0, 0);
    generatorLayout->addWidget(m_generatorLabel, 0, 1);
    generatorLayout->addWidget(m_error, 1, 0, 1, 2);
    generatorLayout->setColumnStretch(1, 1);

    // -- directions --
    auto *directionsBox = new QGroupBox(tr("Directions"), this);
    auto *loadButton = new QPushButton(tr("Load directions…"), directionsBox);
    connect(loadButton, &QPushButton::clicked, this, [this] { browseDirections(false); });
    auto *loadAfter = new QPushButton(tr("Load after-SRE set…"), directionsBox);
    loadAfter->setToolTip(tr("A second direction file for the same generator (e.g. sre-s0/directions.json), drawn "
                             "beside the first with the same z and slider values"));
    connect(loadAfter, &QPushButton::clicked, this, [this] { browseDirections(true); });
    m_clearAfter = new QPushButton(tr("Clear"), directionsBox);
    m_clearAfter->setEnabled(false);
    connect(m_clearAfter, &QPushButton::clicked, this, [this] { loadAfterSre(QString()); });
    m_saveButton = new QPushButton(tr("Save directions…"), directionsBox);
    m_saveButton->setToolTip(tr("Saves names, notes and signs with the directions"));
    m_saveButton->setEnabled(false);
    connect(m_saveButton, &QPushButton::clicked, this, &DirectionExplorer::browseSave);
    m_directionLabel = new QLabel(tr("No directions loaded."), directionsBox);
    m_directionLabel->setWordWrap(true);
    auto *directionButtons = new QHBoxLayout;
    for (QPushButton *button : {loadButton, loadAfter, m_clearAfter, m_saveButton})
        directionButtons->addWidget(button);
    directionButtons->addStretch(1);

    // -- sampling controls --
    m_seed = new QSpinBox(directionsBox);
    m_seed->setRange(0, MaxSeed);
    m_seedLock = new QCheckBox(tr("Lock"), directionsBox);
    m_seedLock->setToolTip(tr("Keep this seed when resampling or opening another generator"));
    m_resample = new QPushButton(tr("Resample"), directionsBox);
    connect(m_seedLock, &QCheckBox::toggled, this, [this](bool locked) {
        m_resample->setEnabled(!locked);
        m_seed->setReadOnly(locked);
    });
    connect(m_resample, &QPushButton::clicked, this,
        [this] { m_seed->setValue(int(QRandomGenerator::global()->bounded(MaxSeed))); });
    m_truncation = new QDoubleSpinBox(directionsBox);
    m_truncation->setRange(0.0, 1.5);
    m_truncation->setSingleStep(0.05);
    m_truncation->setValue(1.0);
    m_truncation->setToolTip(tr("ψ: w = mean + ψ (w − mean); 1 = no truncation"));
    m_samples = new QSpinBox(directionsBox);
    m_samples->setRange(1, MaxSamples);
    m_samples->setValue(MaxSamples);
    m_range = new QDoubleSpinBox(directionsBox);
    m_range->setRange(0.1, MaxRange);
    m_range->setSingleStep(0.5);
    m_range->setValue(DefaultRange);
    m_range->setSuffix(tr(" σ"));
    m_range->setToolTip(tr("Each slider spans ± this many standard deviations of sampled w along its direction"));
    auto *resetAll = new QPushButton(tr("Reset all"), directionsBox);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Seed"), directionsBox));
    controls->addWidget(m_seed);
    controls->addWidget(m_seedLock);
    controls->addWidget(m_resample);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Truncation ψ"), directionsBox));
    controls->addWidget(m_truncation);
    controls->addWidget(new QLabel(tr("Samples"), directionsBox));
    controls->addWidget(m_samples);
    controls->addWidget(new QLabel(tr("Range ±"), directionsBox));
    controls->addWidget(m_range);
    controls->addWidget(resetAll);
    controls->addStretch(1);

    m_sliders = new DirectionSliderBank(directionsBox);
    m_sliders->setRange(DefaultRange);
    auto *scroll = new QScrollArea(directionsBox);
    m_sliderScroll = scroll;
    scroll->setWidget(m_sliders);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *directionsLayout = new QVBoxLayout(directionsBox);
    directionsLayout->addLayout(directionButtons);
    directionsLayout->addWidget(m_directionLabel);
    directionsLayout->addLayout(controls);
    directionsLayout->addWidget(scroll, 1);

    // -- panels --
    auto *panelsBox = new QWidget(this);
    auto *panelsLayout = new QGridLayout(panelsBox);
    panelsLayout->setContentsMargins(0, 0, 0, 0);
    for (int p = 0; p < 3; ++p) {
        auto *title = new QLabel(tr(PanelTitles[p]), panelsBox);
        title->setAlignment(Qt::AlignCenter);
        auto *panel = new QLabel(panelsBox);
        panel->setMinimumSize(PanelSide, PanelSide);
        // Ignored: the pixmap's size is no hint, or each frame scaled to the label would grow the label.
        panel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
        panel->setAlignment(Qt::AlignCenter);
        panel->installEventFilter(this); // rescaled to each new size
        panelsLayout->addWidget(title, 0, p);
        panelsLayout->addWidget(panel, 1, p);
        panelsLayout->setColumnStretch(p, 1);
        m_panelTitles.push_back(title);
        m_panels.push_back(panel);
        m_panelImages.push_back(QImage());
    }
    m_panels[2]->hide();
    m_panelTitles[2]->hide();
    m_frameTime = new QLabel(tr("frame: —"), panelsBox);
    m_frameTime->setToolTip(tr("Render: generator time on the render thread. Shown: from the slider move to the "
                               "new pixmaps. Skipped: slider states replaced by newer ones before rendering."));
    panelsLayout->addWidget(m_frameTime, 2, 0, 1, 3);
    panelsLayout->setRowStretch(1, 1);

    // Sliders over pictures in a splitter: ten directions do not all fit over the grids at 1280 x 800, and which
    // matters more (every slider, or large pictures) is the user's call.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(directionsBox);
    split->addWidget(panelsBox);
    split->setChildrenCollapsible(false);
    split->setStretchFactor(0, 0); // the slider list at its rows' height (rebuildSliders), the rest to the grids
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(generatorBox);
    layout->addWidget(split, 1);

    connect(m_service, &LatentRenderService::opened, this, &DirectionExplorer::onOpened);
    connect(m_service, &LatentRenderService::openFailed, this, [this](const QString &path, const QString &message) {
        // The label goes back to what is open (if anything): a failed open changes nothing else.
        m_generatorLabel->setText(m_info ? m_openedText : tr("No generator open."));
        showError(tr("Could not open %1: %2").arg(path, message));
        emit generatorFailed(path, message);
    });
    connect(m_service, &LatentRenderService::renderFailed, this,
        [this](const QString &message) { showError(tr("Rendering failed: %1").arg(message)); });
    connect(m_service, &LatentRenderService::rendered, this, &DirectionExplorer::onFrame);
    connect(m_sliders, &DirectionSliderBank::valuesChanged, this, [this] { requestRenderFor(RenderCause::Slider); });
    connect(m_sliders, &DirectionSliderBank::directionEdited, this, &DirectionExplorer::onDirectionEdited);
    connect(m_seed, &QSpinBox::valueChanged, this, &DirectionExplorer::requestRender);
    connect(m_truncation, &QDoubleSpinBox::valueChanged, this, &DirectionExplorer::requestRender);
    connect(m_samples, &QSpinBox::valueChanged, this, &DirectionExplorer::requestRender);
    connect(m_range, &QDoubleSpinBox::valueChanged, m_sliders, &DirectionSliderBank::setRange);
    connect(resetAll, &QPushButton::clicked, m_sliders, &DirectionSliderBank::resetAll);
}

quint64 DirectionExplorer::seed() const
{
    return quint64(m_seed->value());
}
void DirectionExplorer::setSeed(quint64 seed)
{
    m_seed->setValue(int(std::min<quint64>(seed, MaxSeed)));
}
double DirectionExplorer::truncation() const
{
    return m_truncation->value();
}
void DirectionExplorer::setTruncation(double psi)
{
    m_truncation->setValue(psi);
}
int DirectionExplorer::sampleCount() const
{
    return m_samples->value();
}
void DirectionExplorer::setSampleCount(int count)
{
    m_samples->setValue(count);
}
QString DirectionExplorer::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString DirectionExplorer::generatorLine() const
{
    return m_generatorLabel->text();
}

void DirectionExplorer::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void DirectionExplorer::openGenerator(const QString &path)
{
    m_generatorLabel->setText(tr("Opening %1…").arg(path));
    m_service->open(path);
}

void DirectionExplorer::onOpened(const GeneratorInfo &info, const QString &path)
{
    m_info = info;
    m_generatorPath = path;
    clearAttribution(0); // another generator: its directions move other things
    clearAttribution(1);
    m_openedText = QStringLiteral("<b>%1</b><br>%2")
                       .arg(QFileInfo(path).fileName().toHtmlEscaped(), describe(info).toHtmlEscaped());
    m_generatorLabel->setText(m_openedText);
    m_generatorLabel->setToolTip(path);
    showError(QString());
    // Directions found on another generator move other things here, or nothing: drawing them would show one set
    // under the names it earned elsewhere (the Traversal page refuses them for the same reason).
    const auto mismatch = [&info](const DirectionSet &set) -> QString {
        try {
            set.requireGenerator(info.styleSize, info.channels, info.resolution, info.description, info.fingerprint);
        } catch (const std::exception &failure) {
            return QString::fromUtf8(failure.what());
        }
        return {};
    };
    const QString setProblem = m_set.count() > 0 ? mismatch(m_set) : QString();
    const QString afterProblem = m_after ? mismatch(*m_after) : QString();
    if (!setProblem.isEmpty() || !afterProblem.isEmpty()) {
        showError(tr("Directions cleared: %1. Find directions on this generator on the Compute page, or load a set "
                     "found on it.")
                      .arg(setProblem.isEmpty() ? afterProblem : setProblem));
        if (!setProblem.isEmpty()) {
            m_set = {};
            m_setPath.clear();
        }
        m_after.reset(); // an after-SRE set refines the set before it: it goes with it
        m_afterPath.clear();
        rebuildSliders();
    }
    adoptStoredAttributions();
    if (!m_seedLock->isChecked())
        m_seed->setValue(0);
    emit generatorOpened(path);
    requestRender();
}

bool DirectionExplorer::loadDirections(const QString &path, QString *error)
{
    try {
        DirectionSet set = loadDirectionSet(path.toStdString());
        if (m_info)
            set.requireGenerator(
                m_info->styleSize, m_info->channels, m_info->resolution, m_info->description, m_info->fingerprint);
        m_set = std::move(set);
        m_setPath = path;
        clearAttribution(0);
        if (m_after && m_after->styleSize != m_set.styleSize) {
            m_after.reset();
            clearAttribution(1);
        }
    } catch (const std::exception &failure) {
        const QString message = tr("Could not load directions %1: %2").arg(path, QString::fromUtf8(failure.what()));
        showError(message);
        if (error)
            *error = message;
        return false;
    }
    showError(QString());
    adoptStoredAttributions();
    rebuildSliders();
    return true;
}

bool DirectionExplorer::loadAfterSre(const QString &path, QString *error)
{
    if (path.isEmpty()) {
        m_after.reset();
        m_afterPath.clear();
        clearAttribution(1);
    } else {
        try {
            DirectionSet set = loadDirectionSet(path.toStdString());
            if (m_info)
                set.requireGenerator(
                    m_info->styleSize, m_info->channels, m_info->resolution, m_info->description, m_info->fingerprint);
            if (m_set.count() > 0 && set.styleSize != m_set.styleSize)
                throw std::invalid_argument("its style size differs from the main set's");
            // The sliders are the main set's: signs follow them so one slider moves both the same way.
            for (int k = 0; k < std::min(set.count(), m_set.count()); ++k)
                set.directions[std::size_t(k)].sign = m_set.directions[std::size_t(k)].sign;
            m_after = std::move(set);
            m_afterPath = path;
            clearAttribution(1);
        } catch (const std::exception &failure) {
            const QString message = tr("Could not load %1: %2").arg(path, QString::fromUtf8(failure.what()));
            showError(message);
            if (error)
                *error = message;
            return false;
        }
    }
    showError(QString());
    adoptStoredAttributions();
    m_clearAfter->setEnabled(m_after.has_value());
    m_panels[2]->setVisible(m_after.has_value());
    m_panelTitles[2]->setVisible(m_after.has_value());
    m_panelTitles[1]->setText(m_after ? tr("Edited, before SRE") : tr(PanelTitles[1]));
    updateBadges();
    updateDirectionLabel();
    emit directionsChanged();
    requestRender();
    return true;
}

bool DirectionExplorer::nameAfterFactors(
    const Matrix &magnitude, const std::vector<std::string> &factorNames, const std::vector<double> &randomFloor)
{
    try {
        m_set = labelledByFactors(m_set, magnitude, factorNames, randomFloor);
    } catch (const std::exception &failure) {
        showError(tr("Could not name the directions: %1").arg(QString::fromUtf8(failure.what())));
        return false;
    }
    rebuildSliders();
    updateDirectionLabel();
    emit directionsChanged();
    return true;
}

void DirectionExplorer::adoptStoredAttributions()
{
    if (!m_info)
        return; // the fingerprint to check against comes with the generator; onOpened calls again
    const DirectionSet *sets[2] = {m_set.count() > 0 ? &m_set : nullptr, m_after ? &*m_after : nullptr};
    const QString labels[2] = {tr("before SRE (%1)"), tr("after SRE (%1)")};
    for (int i = 0; i < 2; ++i)
        if (sets[i] && !m_attribution[i])
            if (auto stored = storedAttributionOf(
                    *sets[i], labels[i].arg(QString::fromStdString(sets[i]->method)), m_info->fingerprint))
                setAttribution(i, *stored);
}

void DirectionExplorer::setAttribution(int set, const FactorAttribution &attribution)
{
    if (set < 0 || set > 1)
        return;
    m_attribution[set] = attribution;
    emit attributionChanged();
}

const FactorAttribution *DirectionExplorer::attribution(int set) const
{
    return set >= 0 && set <= 1 && m_attribution[set] ? &*m_attribution[set] : nullptr;
}

void DirectionExplorer::clearAttribution(int set)
{
    if (!m_attribution[set])
        return;
    m_attribution[set].reset();
    emit attributionChanged();
}

bool DirectionExplorer::saveDirections(const QString &path, QString *error)
{
    try {
        saveDirectionSet(m_set, path.toStdString());
        m_setPath = path;
        updateDirectionLabel();
        return true;
    } catch (const std::exception &failure) {
        const QString message = tr("Could not save %1: %2").arg(path, QString::fromUtf8(failure.what()));
        showError(message);
        if (error)
            *error = message;
        return false;
    }
}

void DirectionExplorer::rebuildSliders()
{
    QVector<SliderDirection> rows;
    for (const NamedDirection &direction : m_set.directions)
        rows.push_back({QString::fromStdString(direction.name), QString::fromStdString(direction.note), direction.sign,
            tr("score %1, σ %2").arg(direction.score, 0, 'g', 4).arg(direction.sigma, 0, 'g', 4)});
    m_sliders->setDirections(rows);
    // The list takes the height of its rows, up to ten: every slider of a usual set shows at 1280 x 800 and the grids
    // take the rest of a larger window (the splitter moves the line); more rows scroll.
    const int shown = std::min(int(rows.size()), MaxListedSliders);
    m_sliderScroll->setMinimumHeight(m_sliders->rowsHeight(shown));
    updateBadges();
    m_saveButton->setEnabled(m_set.count() > 0);
    updateDirectionLabel();
    emit directionsChanged();
    requestRender();
}

void DirectionExplorer::onDirectionEdited(int index)
{
    if (index < 0 || index >= m_set.count())
        return;
    const SliderDirection &row = m_sliders->directions()[index];
    NamedDirection &direction = m_set.directions[std::size_t(index)];
    direction.name = row.name.toStdString();
    direction.note = row.note.toStdString();
    direction.sign = row.sign;
    if (m_after && index < m_after->count())
        m_after->directions[std::size_t(index)].sign = row.sign;
    emit directionsChanged();
}

void DirectionExplorer::updateBadges()
{
    // How well SRE's estimator ranks each direction of the after-SRE set: shown beside its slider.
    QStringList badges;
    for (double accuracy : sreRankingAccuracy(m_after, m_afterPath))
        badges << tr("SRE %1").arg(accuracy, 0, 'f', 2);
    m_sliders->setBadges(badges);
}

void DirectionExplorer::updateDirectionLabel()
{
    if (m_set.count() == 0) {
        m_directionLabel->setText(tr("No directions loaded."));
        return;
    }
    QString text
        = tr("%1 directions (%2) from %3").arg(m_set.count()).arg(QString::fromStdString(m_set.method), m_setPath);
    if (m_after)
        text += tr("; after SRE: %1 (%2) from %3")
                    .arg(m_after->count())
                    .arg(QString::fromStdString(m_after->method), m_afterPath);
    m_directionLabel->setText(text);
}

void DirectionExplorer::requestRender()
{
    requestRenderFor(RenderCause::Other);
}

void DirectionExplorer::requestRenderFor(RenderCause cause)
{
    if (!m_info)
        return;
    RenderRequest request;
    for (int i = 0; i < sampleCount(); ++i)
        request.seeds.push_back(seed() + quint64(i));
    request.psi = truncation();
    const std::vector<double> amounts = toStd(m_sliders->values());
    if (m_set.count() > 0)
        request.shifts.push_back(directionShift(m_set, amounts));
    else
        request.shifts.push_back({});
    if (m_after)
        request.shifts.push_back(directionShift(*m_after, amounts));
    const quint64 id = m_service->request(std::move(request));
    m_pendingRequests[id] = {m_clock.nsecsElapsed(), cause};
}

void DirectionExplorer::showPanelImage(int panel)
{
    const QImage &image = m_panelImages[panel];
    if (!image.isNull())
        m_panels[panel]->setPixmap(QPixmap::fromImage(
            image.scaled(m_panels[panel]->size() - QSize(4, 4), Qt::KeepAspectRatio, Qt::FastTransformation)));
}

bool DirectionExplorer::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize)
        if (const int panel = m_panels.indexOf(static_cast<QLabel *>(watched)); panel >= 0)
            showPanelImage(panel);
    return QWidget::eventFilter(watched, event);
}

void DirectionExplorer::onFrame(const RenderFrame &frame)
{
    const int columns = int(std::ceil(std::sqrt(double(std::max(1, sampleCount())))));
    for (int p = 0; p < m_panels.size(); ++p) {
        if (p >= int(frame.panels.size()) || frame.panels[std::size_t(p)].empty()) {
            m_panelImages[p] = QImage();
            m_panels[p]->clear();
            continue;
        }
        m_panelImages[p] = toQImage(tileImageGrid(frame.panels[std::size_t(p)], columns, TileGap));
        showPanelImage(p);
    }
    m_lastFrame = frame;
    double latencyMs = 0.0;
    bool fromSlider = false;
    const auto found = m_pendingRequests.find(frame.id);
    if (found != m_pendingRequests.end()) {
        latencyMs = double(m_clock.nsecsElapsed() - found->second.startNs) / 1e6;
        fromSlider = found->second.cause == RenderCause::Slider;
    }
    m_pendingRequests.erase(m_pendingRequests.begin(), m_pendingRequests.upper_bound(frame.id));
    // Only a slider's frame is "slider to pixels": the frames of a generator just opened wait for its first
    // forward passes (100-300 ms at launch), which is not what scrubbing costs.
    m_frameTime->setText((fromSlider ? tr("frame: render %1 ms, slider to pixels %2 ms%3")
                                     : tr("frame: render %1 ms, request to pixels %2 ms%3"))
                             .arg(frame.renderMs, 0, 'f', 1)
                             .arg(latencyMs, 0, 'f', 1)
                             .arg(frame.skipped > 0 ? tr(", %1 stale states skipped").arg(frame.skipped) : QString()));
    emit frameShown(frame.id, latencyMs);
}

void DirectionExplorer::browseGenerator()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a generator"), QString(), tr("Generators (*.pt *.pth *.ts);;All files (*)"));
    if (!path.isEmpty())
        openGenerator(path);
}

void DirectionExplorer::browseDirections(bool after)
{
    const QString start = m_setPath.isEmpty() ? QString() : QFileInfo(m_setPath).absolutePath();
    const QString path
        = QFileDialog::getOpenFileName(this, after ? tr("Load the after-SRE directions") : tr("Load directions"), start,
            tr("Directions (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    if (after)
        loadAfterSre(path);
    else
        loadDirections(path);
}

void DirectionExplorer::browseSave()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save directions"), m_setPath, tr("Directions (*.json)"));
    if (!path.isEmpty())
        saveDirections(path);
}

} // namespace untangle
