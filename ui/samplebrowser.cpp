#include "samplebrowser.h"

#include "datasetpreview.h"
#include "imageconversion.h"
#include "imagegrid.h"
#include "inspectionlabels.h"
#include "inspectrunjob.h"
#include "samplequeries.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace untangle {
namespace {
constexpr int CaptionedCell = 96; // room for "3 (100%) · true 5" under a digit
constexpr int PlainCell = 64; // hardest samples carry only "3 · red"

QColor wrongColor()
{
    return QColor(0xd6, 0x33, 0x33); // red: distinct from the aligned green and conflicting orange frames
}

QColor alignmentFrame(const LabeledImages &split, int index)
{
    return split.isAligned(index) ? DatasetPreview::alignedColor() : DatasetPreview::conflictingColor();
}

} // namespace

SampleBrowser::SampleBrowser(QWidget *parent)
    : QTabWidget(parent)
{
    m_mistakesHead = new QComboBox;
    m_mistakesHead->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    makeTab(Mistakes, tr("Confident mistakes"), CaptionedCell, m_mistakesHead);
    makeTab(Disagree, tr("Heads disagree"), CaptionedCell);
    makeTab(Hardest, tr("Hardest training samples"), PlainCell);
    makeTab(Cell, tr("Cell"), CaptionedCell);
    connect(m_mistakesHead, &QComboBox::currentIndexChanged, this, &SampleBrowser::showMistakes);
    clear();
}

void SampleBrowser::makeTab(Browser browser, const QString &title, int cellSize, QWidget *controls)
{
    Tab &tab = m_tabs[browser];
    tab.page = new QWidget(this);
    tab.summary = new QLabel(tab.page);
    tab.summary->setWordWrap(true);
    tab.grid = new ImageGrid;
    tab.grid->setCellSize(cellSize);
    auto *scroll = new QScrollArea(tab.page);
    scroll->setWidgetResizable(true); // the grid's columns follow the width; its height follows its rows
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(tab.grid);
    auto *top = new QHBoxLayout;
    if (controls) {
        top->addWidget(new QLabel(tr("Head:"), tab.page));
        top->addWidget(controls);
    }
    top->addWidget(tab.summary, 1);
    auto *layout = new QVBoxLayout(tab.page);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
    addTab(tab.page, title);
    connect(tab.grid, &ImageGrid::itemClicked, this, [this, browser](int item) {
        const auto &indices = m_tabs[browser].indices;
        if (item < 0 || item >= int(indices.size()))
            return;
        browser == Hardest ? emit trainImageClicked(indices[std::size_t(item)])
                           : emit testImageClicked(indices[std::size_t(item)]);
    });
}

void SampleBrowser::clear()
{
    m_inspection.reset();
    m_heads.clear();
    m_pair.clear();
    for (Tab &tab : m_tabs) {
        tab.indices.clear();
        tab.grid->setItems({});
        tab.summary->setText(tr("Inspect a run to browse its images."));
    }
    m_tabs[Cell].summary->setText(tr("Click a cell of a heat map on the Train page to see its test images here."));
    const QSignalBlocker blocker(m_mistakesHead);
    m_mistakesHead->clear();
}

void SampleBrowser::setInspection(
    std::shared_ptr<const RunInspection> inspection, const QStringList &heads, DebiasMethod method)
{
    const QString previousHead = m_mistakesHead->currentText();
    clear();
    m_inspection = std::move(inspection);
    m_heads = heads;
    const QStringList pair = disagreementPair(method);
    if (pair.size() == 2 && heads.contains(pair[0]) && heads.contains(pair[1]))
        m_pair = pair;
    setTabVisible(indexOf(m_tabs[Disagree].page), !m_pair.isEmpty());
    if (!m_pair.isEmpty())
        setTabText(indexOf(m_tabs[Disagree].page), tr("%1 vs %2 disagree").arg(m_pair[0], m_pair[1]));
    {
        const QSignalBlocker blocker(m_mistakesHead);
        m_mistakesHead->addItems(heads);
        m_mistakesHead->setCurrentIndex(std::max(0, int(heads.indexOf(previousHead))));
    }
    showMistakes();
    showDisagreements();
    showHardest();
}

void SampleBrowser::setHardSamples(const HardSamples &hard)
{
    m_hard = hard;
    showHardest();
}

QString SampleBrowser::summary(Browser browser) const
{
    return m_tabs[browser].summary->text();
}

QString SampleBrowser::testToolTip(int index) const
{
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const LabeledImages &test = data.test;
    QStringList lines {
        tr("test #%1: target %2, bias %3 (%4)")
            .arg(index)
            .arg(labelName(data.targetNames, test.targets[index]), labelName(data.biasNames, test.biases[index]),
                test.isAligned(index) ? tr("aligned") : tr("conflicting"))};
    for (const QString &head : m_heads)
        lines << probabilitiesText(
            m_inspection->test[std::size_t(index)][std::size_t(headIndex(m_inspection->heads, head))],
            data.targetNames);
    return lines.join('\n');
}

void SampleBrowser::showMistakes()
{
    Tab &tab = m_tabs[Mistakes];
    const QString head = m_mistakesHead->currentText();
    if (!m_inspection || head.isEmpty())
        return;
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const int h = headIndex(m_inspection->heads, head);
    int total = 0;
    tab.indices = confidentMistakes(m_inspection->test, data.test, h, MistakeLimit, &total);
    QVector<GridItem> items;
    for (int index : tab.indices) {
        const HeadPrediction &p = m_inspection->test[std::size_t(index)][std::size_t(h)];
        items.push_back(GridItem {toQImage(data.test, index), alignmentFrame(data.test, index),
            tr("%1 · true %2")
                .arg(predictionText(p, data.targetNames), labelName(data.targetNames, data.test.targets[index])),
            testToolTip(index)});
    }
    tab.grid->setItems(items);
    tab.summary->setText(
        tr("%1 is wrong on %2 of %3 test images (%4%); the %5 it is surest about. Caption: predicted (confidence) · "
           "true class. Frame: <span style='color:%6'>■</span> conflicting, <span style='color:%7'>■</span> aligned.")
            .arg(tr("%1 at %2").arg(head, weightsText(m_inspection->heads.weightsOf(head.toStdString()))))
            .arg(total)
            .arg(data.test.count)
            .arg(100.0 * total / std::max(1, data.test.count), 0, 'f', 1)
            .arg(tab.indices.size())
            .arg(DatasetPreview::conflictingColor().name(), DatasetPreview::alignedColor().name()));
}

void SampleBrowser::showDisagreements()
{
    Tab &tab = m_tabs[Disagree];
    if (!m_inspection || m_pair.isEmpty())
        return;
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const int a = headIndex(m_inspection->heads, m_pair[0]), b = headIndex(m_inspection->heads, m_pair[1]);
    int total = 0;
    tab.indices = disagreements(m_inspection->test, a, b, DisagreeLimit, &total);
    QVector<GridItem> items;
    for (int index : tab.indices) {
        const ImagePredictions &p = m_inspection->test[std::size_t(index)];
        items.push_back(GridItem {toQImage(data.test, index), alignmentFrame(data.test, index),
            QStringLiteral("%1 · %2").arg(labelName(data.targetNames, p[std::size_t(a)].predicted),
                labelName(data.targetNames, p[std::size_t(b)].predicted)),
            testToolTip(index)});
    }
    tab.grid->setItems(items);
    tab.summary->setText(tr("%1 and %2 predict different classes for %3 of %4 test images (%5%); the %6 where both "
                            "are surest. Caption: %1 · %2. Frame: <span style='color:%7'>■</span> conflicting, "
                            "<span style='color:%8'>■</span> aligned. Models: %9.")
                             .arg(m_pair[0], m_pair[1])
                             .arg(total)
                             .arg(data.test.count)
                             .arg(100.0 * total / std::max(1, data.test.count), 0, 'f', 1)
                             .arg(tab.indices.size())
                             .arg(DatasetPreview::conflictingColor().name(), DatasetPreview::alignedColor().name(),
                                 headWeightsText(m_inspection->heads, m_pair).toHtmlEscaped()));
}

void SampleBrowser::showHardest()
{
    Tab &tab = m_tabs[Hardest];
    tab.indices.clear();
    tab.grid->setItems({});
    if (!m_inspection)
        return;
    if (m_hard.indices.empty()) {
        tab.summary->setText(tr("This run has no hardest-sample ranking (DeNetDM and LfF write hardest.json when "
                                "their biased branch has trained)."));
        return;
    }
    const BiasedDataset &data = m_inspection->dataset->dataset;
    QVector<GridItem> items;
    for (std::size_t i = 0; i < m_hard.indices.size() && int(i) < HardestLimit; ++i) {
        const int index = m_hard.indices[i];
        if (index < 0 || index >= data.train.count)
            continue; // a ranking from another build of the data: show what still fits
        const QString target = labelName(data.targetNames, data.train.targets[index]);
        const QString bias = labelName(data.biasNames, data.train.biases[index]);
        const QString loss = i < m_hard.losses.size() ? tr(", loss %1").arg(m_hard.losses[i], 0, 'f', 2) : QString();
        tab.indices.push_back(index);
        items.push_back(GridItem {toQImage(data.train, index), alignmentFrame(data.train, index), target + " · " + bias,
            tr("train #%1 (rank %2): target %3, bias %4 (%5)%6")
                .arg(index)
                .arg(i + 1)
                .arg(target, bias, data.train.isAligned(index) ? tr("aligned") : tr("conflicting"), loss)});
    }
    tab.grid->setItems(items);
    tab.summary->setText(tr("The training samples the %1 branch finds hardest (ranked once, by stage 1's selected "
                            "model): precision %2% of the top %3 (base rate "
                            "%4%). <span style='color:%5'>■</span> truly conflicting, "
                            "<span style='color:%6'>■</span> aligned.%7")
                             .arg(QString::fromStdString(m_hard.branch))
                             .arg(100.0 * m_hard.precision, 0, 'f', 1)
                             .arg(m_hard.k)
                             .arg(100.0 * m_hard.baseRate, 0, 'f', 1)
                             .arg(DatasetPreview::conflictingColor().name(), DatasetPreview::alignedColor().name())
                             .arg(int(m_hard.indices.size()) > HardestLimit
                                     ? tr(" Showing the first %1 of %2.").arg(HardestLimit).arg(m_hard.indices.size())
                                     : QString()));
}

void SampleBrowser::showCell(const QString &head, int target, int bias, const QString &note)
{
    Tab &tab = m_tabs[Cell];
    setCurrentWidget(tab.page);
    if (!m_inspection)
        return;
    const BiasedDataset &data = m_inspection->dataset->dataset;
    const int framed = headIndex(m_inspection->heads, head);
    tab.indices = cellMembers(data.test, target, bias);
    QVector<GridItem> items;
    int right = 0;
    for (int index : tab.indices) {
        const ImagePredictions &p = m_inspection->test[std::size_t(index)];
        QStringList predicted;
        for (const QString &shown : m_heads)
            predicted << labelName(data.targetNames, p[std::size_t(headIndex(m_inspection->heads, shown))].predicted);
        const bool wrong = framed >= 0 && p[std::size_t(framed)].predicted != target;
        right += wrong ? 0 : 1;
        items.push_back(GridItem {toQImage(data.test, index), wrong ? wrongColor() : QColor(),
            predicted.join(QStringLiteral(" · ")), testToolTip(index)});
    }
    tab.grid->setItems(items);
    QString text = tr("Test images of target %1 × bias %2 (%3): %4. Captions: %5.")
                       .arg(labelName(data.targetNames, target), labelName(data.biasNames, bias),
                           target == bias ? tr("aligned") : tr("conflicting"))
                       .arg(tab.indices.size())
                       .arg(m_heads.join(QStringLiteral(" · ")));
    if (framed >= 0 && !tab.indices.empty())
        text += tr(" <b>%1 at %2 is right on %3 (%4%)</b>; <span style='color:%5'>■</span> where it is wrong.")
                    .arg(head, weightsText(m_inspection->heads.weightsOf(head.toStdString())))
                    .arg(right)
                    .arg(100.0 * right / double(tab.indices.size()), 0, 'f', 1)
                    .arg(wrongColor().name());
    // The verdicts come from the selected models, whatever epoch the Train page's timeline shows: say so.
    text += tr("<br>Verdicts of the selected models: %1.")
                .arg(headWeightsText(m_inspection->heads, m_heads).toHtmlEscaped());
    if (!note.isEmpty())
        text += ' ' + note;
    tab.summary->setText(text);
}

} // namespace untangle
