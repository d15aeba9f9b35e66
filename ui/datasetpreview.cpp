#include "datasetpreview.h"

#include "cellheatmap.h"
#include "imageconversion.h"
#include "imagegrid.h"
#include "seededrandom.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace untangle {
namespace {
constexpr int PreviewAligned = 32; // enough to see the colour-digit rule
constexpr int PreviewConflicting = 16; // over-represented on purpose: at 1% a random draw would show none
constexpr std::uint64_t PreviewSeed = 7; // the same dataset always shows the same samples
constexpr int PreviewCell = 60; // image edge when the page has room; smaller so all samples show at 1280x800

/** Up to `count` indices drawn without replacement, reproducibly. */
std::vector<int> pick(std::vector<int> pool, int count, std::uint64_t seed)
{
    SeededRandom random(seed);
    random.shuffle(pool);
    pool.resize(std::min<std::size_t>(pool.size(), std::size_t(count)));
    return pool;
}
} // namespace

QColor DatasetPreview::alignedColor()
{
    return QColor(0x2f, 0x9e, 0x44);
}

QColor DatasetPreview::conflictingColor()
{
    return QColor(0xf0, 0x8c, 0x00);
}

DatasetPreview::DatasetPreview(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName("pageTitle");
    m_title->setWordWrap(true);

    auto *samplesBox = new QGroupBox(tr("Training samples"), this);
    auto *legend = new QLabel(
        tr("<span style='color:%1'>■</span> aligned (bias = target) &nbsp; <span style='color:%2'>■</span> conflicting "
           "(bias ≠ target). Caption: target · bias.")
            .arg(alignedColor().name(), conflictingColor().name()),
        samplesBox);
    legend->setWordWrap(true); // one long line would keep the samples column wide and the heat map narrow
    m_grid = new ImageGrid(samplesBox);
    m_grid->setFitToArea(PreviewCell);
    auto *samplesLayout = new QVBoxLayout(samplesBox);
    samplesLayout->addWidget(legend);
    samplesLayout->addWidget(m_grid, 1);

    auto *cellsBox = new QGroupBox(tr("Train split: samples per target × bias cell"), this);
    m_heatMap = new CellHeatMap(cellsBox);
    m_heatMap->setLogarithmic(true);
    m_heatMap->setAxisTitles(tr("target"), tr("bias"));
    // Empty axes and a colour scale would read as a dataset with no samples: until one is built, say what goes here.
    m_heatMap->hide();
    m_heatPlaceholder = new QLabel(tr("The cells of the built dataset's train split appear here."), cellsBox);
    m_heatPlaceholder->setAlignment(Qt::AlignCenter);
    m_heatPlaceholder->setWordWrap(true);
    auto *cellsLayout = new QVBoxLayout(cellsBox);
    cellsLayout->addWidget(m_heatMap);
    cellsLayout->addWidget(m_heatPlaceholder, 1);

    auto *countsBox = new QGroupBox(tr("Counts per split"), this);
    m_table = new QTableWidget(3, 5, countsBox);
    m_table->setHorizontalHeaderLabels({tr("split"), tr("total"), tr("aligned"), tr("conflicting"), tr("share %")});
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height()
        + 3 * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth());
    auto *countsLayout = new QVBoxLayout(countsBox);
    countsLayout->addWidget(m_table);

    auto *right = new QVBoxLayout;
    right->addWidget(cellsBox, 1);
    right->addWidget(countsBox);
    auto *columns = new QHBoxLayout;
    columns->addWidget(samplesBox, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(columns, 1);
}

void DatasetPreview::showDataset(const DatasetHandle &dataset)
{
    m_dataset = dataset;
    if (!dataset)
        return;
    m_title->setText(QString::fromStdString(dataset->dataset.description)
        + tr("  —  built in %1 ms").arg(dataset->buildSeconds * 1000.0, 0, 'f', 0));
    m_heatPlaceholder->hide();
    m_heatMap->show();
    showSamples();
    showCounts();
}

void DatasetPreview::showSamples()
{
    const auto &data = m_dataset->dataset;
    const auto &train = data.train;
    std::vector<int> aligned, conflicting;
    for (int i = 0; i < train.count; ++i)
        (train.isAligned(i) ? aligned : conflicting).push_back(i);
    std::vector<int> chosen = pick(aligned, PreviewAligned, PreviewSeed);
    const auto extra = pick(conflicting, PreviewConflicting, PreviewSeed + 1);
    chosen.insert(chosen.end(), extra.begin(), extra.end());
    std::sort(chosen.begin(), chosen.end(),
        [&](int a, int b) { return std::make_pair(train.targets[a], a) < std::make_pair(train.targets[b], b); });

    QVector<GridItem> items;
    m_shown.clear();
    auto name = [](const std::vector<std::string> &names, std::int64_t i) {
        return i >= 0 && i < std::int64_t(names.size()) ? QString::fromStdString(names[i]) : QString::number(i);
    };
    for (int index : chosen) {
        const bool isAligned = train.isAligned(index);
        const QString target = name(data.targetNames, train.targets[index]);
        const QString bias = name(data.biasNames, train.biases[index]);
        items.push_back(
            GridItem {toQImage(train, index), isAligned ? alignedColor() : conflictingColor(), target + " · " + bias,
                tr("train #%1: target %2, bias %3 (%4)")
                    .arg(index)
                    .arg(target, bias, isAligned ? tr("aligned") : tr("conflicting"))});
        m_shown.push_back(index);
    }
    m_grid->setItems(items);
}

void DatasetPreview::showCounts()
{
    const auto &data = m_dataset->dataset;
    QVector<QVector<double>> cells;
    for (const auto &row : m_dataset->train.cells)
        cells.push_back(QVector<double>(row.begin(), row.end()));
    QStringList targets, biases;
    for (const auto &n : data.targetNames)
        targets << QString::fromStdString(n);
    for (const auto &n : data.biasNames)
        biases << QString::fromStdString(n);
    m_heatMap->setMatrix(cells, targets, biases);

    const std::pair<QString, const SplitCounts *> splits[]
        = {{tr("train"), &m_dataset->train}, {tr("valid"), &m_dataset->valid}, {tr("test"), &m_dataset->test}};
    for (int row = 0; row < 3; ++row) {
        const SplitCounts &counts = *splits[row].second;
        const double share = counts.total > 0 ? 100.0 * counts.conflicting / counts.total : 0.0;
        const QStringList values = {splits[row].first, QString::number(counts.total), QString::number(counts.aligned),
            QString::number(counts.conflicting), QString::number(share, 'f', 2)};
        for (int column = 0; column < values.size(); ++column) {
            auto *item = new QTableWidgetItem(values[column]);
            item->setTextAlignment(column == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
    }
}

} // namespace untangle
