#include "cueconflictpanel.h"

#include "cueconflict.h"
#include "datasetpreview.h"
#include "imageconversion.h"
#include "inspectionlabels.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace untangle {
namespace {
constexpr int ImageEdge = 42; // 28-pixel digits at 1.5x: 12 columns and the saliency strip fit a 1280-wide window
constexpr int ImagePadding = 6; // air above and below the images in their row
constexpr int ColumnWidth = 58; // fits "3 (100%)"
constexpr int ScoreWidth = 82; // "100% (10/10)"
constexpr double CellFontScale = 0.9; // the numbers are many and short; the head names stay readable
constexpr int TintAlpha = 90; // light enough to keep the text readable

QColor tint(QColor colour)
{
    colour.setAlpha(TintAlpha);
    return colour;
}

} // namespace

CueConflictPanel::CueConflictPanel(QWidget *parent)
    : QWidget(parent)
{
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setWordWrap(false); // "3 (97%)" on one line; a narrow column elides rather than doubling the row
    QFont cellFont = m_table->font();
    cellFont.setPointSizeF(cellFont.pointSizeF() * CellFontScale);
    m_table->setFont(cellFont);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setDefaultSectionSize(ColumnWidth);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // As tall and wide as its rows and columns: the panel sits in a page that scrolls, never the table itself.
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setObjectName("hint");
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_legend = new QLabel(
        tr("Each cell: the head's class and confidence. <span style='color:%1'>■</span> the colour's class (follows "
           "colour) &nbsp; <span style='color:%2'>■</span> the shape's class (follows shape).")
            .arg(DatasetPreview::conflictingColor().name(), DatasetPreview::alignedColor().name()),
        this);
    m_legend->setObjectName("hint");
    m_legend->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_table);
    layout->addWidget(m_explanation);
    layout->addWidget(m_legend);
    layout->addStretch(1);
    m_table->hide();
}

void CueConflictPanel::showVerdicts(const ImageInspection &answer, const RunHeads &runHeads, const QStringList &heads,
    int colour, int target, const std::vector<std::string> &targetNames, const std::vector<std::string> &colourNames)
{
    const std::vector<ImageU8> &probes = answer.cueProbes;
    const std::vector<ImagePredictions> &predictions = answer.cuePredictions;
    m_heads = heads;
    m_recoloured = answer.recoloured;
    const int columns = scoreColumn() + 1;
    m_table->clear();
    m_table->setRowCount(1 + int(heads.size()));
    m_table->setColumnCount(columns);
    QStringList columnTitles;
    for (int k = 0; k < m_recoloured; ++k)
        columnTitles << labelName(colourNames, k);
    columnTitles << tr("colour") << tr("shape") << tr("reliance");
    m_table->setHorizontalHeaderLabels(columnTitles);
    m_table->horizontalHeaderItem(scoreColumn())
        ->setToolTip(tr("Colour reliance: the share of the %1 recolourings the head classifies as the colour's class")
                         .arg(m_recoloured));
    m_table->setVerticalHeaderLabels(QStringList {QString()} + heads);
    m_table->setColumnWidth(scoreColumn(), ScoreWidth);
    m_table->verticalHeader()->resizeSection(0, ImageEdge + ImagePadding);

    for (int c = 0; c < int(probes.size()); ++c) {
        auto *picture = new QLabel;
        picture->setAlignment(Qt::AlignCenter);
        // Nearest-neighbour so the strokes stay crisp, like every other image grid in the app.
        picture->setPixmap(QPixmap::fromImage(toQImage(probes[std::size_t(c)]).scaled(ImageEdge, ImageEdge)));
        if (c < m_recoloured)
            picture->setToolTip(tr("The shape in %1, the colour of class %2")
                                    .arg(labelName(colourNames, c), labelName(targetNames, c)));
        else if (c == m_recoloured)
            picture->setToolTip(tr("The colour alone (%1), no shape").arg(labelName(colourNames, colour)));
        else
            picture->setToolTip(tr("The shape alone, in neutral grey"));
        m_table->setCellWidget(0, c, picture);
    }

    m_reliance.clear();
    QStringList lines;
    for (int row = 0; row < heads.size(); ++row) {
        const int h = headIndex(runHeads, heads[row]);
        std::vector<int> recolouredPredictions;
        int followsShape = 0;
        for (int c = 0; c < int(probes.size()); ++c) {
            const HeadPrediction &p = predictions[std::size_t(c)][std::size_t(h)];
            auto *item = new QTableWidgetItem(predictionText(p, targetNames));
            item->setData(Qt::UserRole, p.predicted);
            item->setToolTip(probabilitiesText(p, targetNames));
            item->setTextAlignment(Qt::AlignCenter);
            const int colourClass = c < m_recoloured ? c : c == m_recoloured ? colour : -1;
            const bool byColour = p.predicted == colourClass;
            const bool byShape = c != m_recoloured && p.predicted == target; // the blob has no shape to follow
            if (byColour != byShape) // where colour and shape agree the cell says nothing about the cue
                item->setBackground(
                    tint(byColour ? DatasetPreview::conflictingColor() : DatasetPreview::alignedColor()));
            m_table->setItem(row + 1, c, item);
            if (c < m_recoloured) {
                recolouredPredictions.push_back(p.predicted);
                followsShape += p.predicted == target ? 1 : 0;
            }
        }
        const double reliance = colourReliance(recolouredPredictions);
        m_reliance.push_back(reliance);
        const int followsColour = int(std::lround(reliance * m_recoloured));
        auto *score = new QTableWidgetItem(
            QStringLiteral("%1% (%2/%3)").arg(100.0 * reliance, 0, 'f', 0).arg(followsColour).arg(m_recoloured));
        score->setData(Qt::UserRole, reliance);
        score->setTextAlignment(Qt::AlignCenter);
        m_table->setItem(row + 1, scoreColumn(), score);
        lines << tr("<b>%1</b> follows colour in %2/%4 recolourings, shape in %3/%4")
                     .arg(heads[row].toHtmlEscaped())
                     .arg(followsColour)
                     .arg(followsShape)
                     .arg(m_recoloured);
    }
    m_explanation->setText(lines.join(QStringLiteral("<br>")));
    m_explanation->show();
    m_legend->show();

    m_note->hide();
    m_table->show();
}

void CueConflictPanel::showUnavailable(const QString &reason)
{
    m_heads.clear();
    m_reliance.clear();
    m_recoloured = 0;
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_table->hide();
    m_explanation->hide();
    m_legend->hide();
    m_note->setText(reason);
    m_note->show();
}

double CueConflictPanel::reliance(const QString &head) const
{
    const int index = int(m_heads.indexOf(head));
    return index >= 0 && index < m_reliance.size() ? m_reliance[index] : -1.0;
}

int CueConflictPanel::rowOf(const QString &head) const
{
    const int index = int(m_heads.indexOf(head));
    return index >= 0 ? index + 1 : -1;
}

QString CueConflictPanel::explanation() const
{
    return m_explanation->text();
}

} // namespace untangle
