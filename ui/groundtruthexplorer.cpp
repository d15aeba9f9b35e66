#include "groundtruthexplorer.h"

#include "imageconversion.h"
#include "imagegrid.h"
#include "scenesrenderer.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace untangle {
namespace {
constexpr int Resolution = 64;
constexpr int DisplayScale = 2; // 64 px images drawn at 128 px: single pixels visible, room left for the check
constexpr int MaxTickedValues = 8; // shape's 3 or 4 and scale's 6 or 8 values are steps, not a continuum
constexpr int NearestDrawings = 6; // one row beside the render
constexpr int DrawingCell = 80; // 64 px samples a little enlarged: the strip sits beside a 128 px render
// Marked for lupdate in the class's tr() context; translated where they are shown.
const char *const SpriteShapes[SpriteShapeCount] = {QT_TRANSLATE_NOOP("untangle::GroundTruthExplorer", "square"),
    QT_TRANSLATE_NOOP("untangle::GroundTruthExplorer", "ellipse"),
    QT_TRANSLATE_NOOP("untangle::GroundTruthExplorer", "heart")};

SpriteFactors spriteFactorsOf(const int *tuple)
{
    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), tuple[f]);
    return factors;
}

/** A slider's label: the factor's name capitalised, a one-letter coordinate ("x") as "Position x". */
QString sliderLabel(const std::string &factor)
{
    QString text = QString::fromStdString(factorDisplayName(factor));
    if (text.size() == 1)
        return QObject::tr("Position %1").arg(text);
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

GroundTruthExplorer::GroundTruthExplorer(const FactorWorld &world, QWidget *parent)
    : QWidget(parent)
    , m_world(world)
{
    auto *explorer
        = new QGroupBox(tr("%1 ground truth: factors → image").arg(QString::fromStdString(world.title)), this);
    auto *form = new QFormLayout;
    for (const WorldFactor &factor : world.factors) {
        auto *slider = new QSlider(Qt::Horizontal, explorer);
        slider->setRange(0, factor.size - 1);
        slider->setValue(factor.size / 2);
        slider->setMinimumWidth(220);
        if (factor.size <= MaxTickedValues) {
            slider->setTickPosition(QSlider::TicksBelow);
            slider->setTickInterval(1);
        }
        connect(slider, &QSlider::valueChanged, this, &GroundTruthExplorer::render);
        form->addRow(sliderLabel(factor.name), slider);
        m_sliders.push_back(slider);
    }
    m_values = new QLabel(explorer);
    m_values->setWordWrap(true); // Scenes' six values are a long line: wrapped, not a wider window
    form->addRow(QString(), m_values);
    m_image = new QLabel(explorer);
    m_image->setFixedSize(Resolution * DisplayScale, Resolution * DisplayScale);
    m_image->setFrameShape(QFrame::Box);
    m_stripTitle = new QLabel(explorer);
    m_stripTitle->setWordWrap(true);
    m_strip = new ImageGrid(explorer);
    m_strip->setCellSize(DrawingCell);
    m_strip->setFixedHeight(DrawingCell + 2 * m_strip->fontMetrics().height() + 8);
    m_strip->setFixedWidth(NearestDrawings * (DrawingCell + 8));
    m_stripTitle->setFixedWidth(m_strip->width());
    auto *drawings = new QVBoxLayout;
    drawings->addWidget(m_stripTitle);
    drawings->addWidget(m_strip);
    drawings->addStretch(1);
    auto *explorerLayout = new QHBoxLayout(explorer);
    explorerLayout->addLayout(form, 1);
    explorerLayout->addWidget(m_image, 0, Qt::AlignTop);
    explorerLayout->addLayout(drawings);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(explorer);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setDrawings({}, {}, {}, {});
    render();
}

QImage GroundTruthExplorer::renderedImage() const
{
    return m_image->pixmap().toImage();
}

std::vector<int> GroundTruthExplorer::sliderTuple() const
{
    std::vector<int> tuple;
    for (const QSlider *slider : m_sliders)
        tuple.push_back(slider->value());
    return tuple;
}

QString GroundTruthExplorer::describe(const std::vector<int> &tuple) const
{
    if (m_world.kind == WorldKind::Sprites) {
        const SpriteFactors factors = spriteFactorsOf(tuple.data());
        return tr("%1, scale %2, %3°, x %4, y %5")
            .arg(tr(SpriteShapes[factors.shape]))
            .arg(spriteScale(factors.scale), 0, 'f', 2)
            .arg(spriteOrientation(factors.orientation) * 180.0 / M_PI, 0, 'f', 0)
            .arg(spritePosition(factors.x), 0, 'f', 2)
            .arg(spritePosition(factors.y), 0, 'f', 2);
    }
    static const std::vector<std::string> shapes = sceneShapeNames();
    QStringList values;
    for (int f = 0; f < m_world.factorCount(); ++f) {
        const WorldFactor &factor = m_world.factors[std::size_t(f)];
        const int value = tuple[std::size_t(f)];
        if (factor.name == "shape" && std::size_t(value) < shapes.size()) // the object by name: "sphere"
            values << QString::fromStdString(shapes[std::size_t(value)]);
        else
            values << tr("%1 %2 of %3")
                          .arg(QString::fromStdString(factorDisplayName(factor.name)))
                          .arg(value + 1)
                          .arg(factor.size);
    }
    return values.join(QStringLiteral(", "));
}

void GroundTruthExplorer::render()
{
    const std::vector<int> tuple = sliderTuple();
    ImageU8 image;
    image.width = image.height = Resolution;
    image.channels = m_world.channels;
    image.bytes.resize(m_world.imageBytes(Resolution));
    m_world.render(tuple, Resolution, image.bytes.data());
    m_image->setPixmap(
        QPixmap::fromImage(toQImage(image).scaled(m_image->size(), Qt::KeepAspectRatio, Qt::FastTransformation)));
    m_values->setText(describe(tuple));
    showNearestDrawings();
}

void GroundTruthExplorer::setDrawings(
    const QString &generator, const QVector<QImage> &images, const std::vector<int> &read, const QStringList &captions)
{
    const std::size_t factors = std::size_t(m_world.factorCount());
    const bool consistent = read.size() == std::size_t(images.size()) * factors
        && (captions.isEmpty() || captions.size() == images.size());
    m_generator = generator;
    m_images = consistent ? images : QVector<QImage>();
    m_read = consistent ? read : std::vector<int>();
    m_captions = consistent ? captions : QStringList();
    m_strip->setVisible(!m_images.isEmpty());
    showNearestDrawings();
}

void GroundTruthExplorer::showNearestDrawings()
{
    m_nearest.clear();
    const QString world = QString::fromStdString(m_world.title);
    if (m_images.isEmpty()) {
        m_stripTitle->setText(tr("Once the open %1 generator is measured (below), its samples nearest this image "
                                 "show here: how the generator draws it.")
                                  .arg(world));
        m_strip->setItems({});
        return;
    }
    const std::vector<int> wanted = sliderTuple();
    const int count = int(m_images.size());
    const std::size_t factors = std::size_t(m_world.factorCount());
    QVector<double> distance(count);
    for (int i = 0; i < count; ++i)
        distance[i] = worldReadingDistance(m_world, m_read.data() + std::size_t(i) * factors, wanted.data());
    QVector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    const int shown = std::min(NearestDrawings, count);
    std::partial_sort(
        order.begin(), order.begin() + shown, order.end(), [&](int a, int b) { return distance[a] < distance[b]; });
    QVector<GridItem> items;
    for (int k = 0; k < shown && std::isfinite(distance[order[k]]); ++k) {
        const int i = order[k];
        m_nearest << i;
        const std::vector<int> read(m_read.begin() + std::ptrdiff_t(std::size_t(i) * factors),
            m_read.begin() + std::ptrdiff_t(std::size_t(i + 1) * factors));
        items << GridItem {
            m_images[i], QColor(), m_captions.value(i), tr("Sample %1, read as %2").arg(i).arg(describe(read))};
    }
    m_strip->setItems(items);
    m_stripTitle->setText(m_nearest.isEmpty()
            ? tr("%1 draws no sample the reader reads as this %2 (of %3).")
                  .arg(m_generator, m_world.kind == WorldKind::Sprites ? tr("shape") : tr("object shape"))
                  .arg(count)
            : tr("How %1 draws it: its %2 samples nearest this image by what the reader reads (of %3):")
                  .arg(m_generator)
                  .arg(m_nearest.size())
                  .arg(count));
}

double spriteReadingDistance(const SpriteFactors &reading, const SpriteFactors &sprite)
{
    if (reading.shape != sprite.shape)
        return std::numeric_limits<double>::infinity();
    const auto span = [](SpriteFactor f) { return double(SpriteFactorSizes[int(f)] - 1); };
    const double period = 2.0 * M_PI / spriteSymmetryOrder(sprite.shape);
    double angle
        = std::fmod(std::abs(spriteOrientation(reading.orientation) - spriteOrientation(sprite.orientation)), period);
    angle = std::min(angle, period - angle) / (period / 2.0); // 0 = the same angle, 1 = as far as the symmetry allows
    return std::abs(reading.scale - sprite.scale) / span(SpriteFactor::Scale) + angle
        + std::abs(reading.x - sprite.x) / span(SpriteFactor::PositionX)
        + std::abs(reading.y - sprite.y) / span(SpriteFactor::PositionY);
}

double worldReadingDistance(const FactorWorld &world, const int *reading, const int *tuple)
{
    if (world.kind == WorldKind::Sprites)
        return spriteReadingDistance(spriteFactorsOf(reading), spriteFactorsOf(tuple));
    double distance = 0.0;
    for (int f = 0; f < world.factorCount(); ++f) {
        const WorldFactor &factor = world.factors[std::size_t(f)];
        const int gap = std::abs(reading[f] - tuple[f]);
        switch (factor.kind) {
        case FactorKind::Categorical:
            if (gap != 0)
                return std::numeric_limits<double>::infinity();
            break;
        case FactorKind::Circular:
            distance += std::min(gap, factor.size - gap) / (factor.size / 2.0);
            break;
        case FactorKind::Ordinal:
            distance += factor.size > 1 ? double(gap) / (factor.size - 1) : 0.0;
            break;
        }
    }
    return distance;
}

} // namespace untangle
