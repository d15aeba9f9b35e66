#pragma once

#include "imageinspection.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

#include <string>
#include <vector>

class QLabel;
class QTableWidget;

namespace untangle {

/**
 * Which cue does each head follow? One coloured image becomes its cue-conflict set (the same shape in every palette
 * colour, the colour alone, the shape alone); a table shows the set on top and, per head, the predicted class and
 * confidence under every image, tinted by the cue it matches, with the head's colour-reliance score.
 */
class CueConflictPanel : public QWidget {
    Q_OBJECT

public:
    explicit CueConflictPanel(QWidget *parent = nullptr);

    /** Shows every head's verdict on an image's cue-conflict set (answer.cueProbes; the image's colour is
     *  palette[colour]), as the inspection thread computed it. */
    void showVerdicts(const ImageInspection &answer, const RunHeads &runHeads, const QStringList &heads, int colour,
        int target, const std::vector<std::string> &targetNames, const std::vector<std::string> &colourNames);
    /** Hides the table and says why (e.g. the dataset's bias is not a colour). */
    void showUnavailable(const QString &reason);

    QTableWidget *table() const { return m_table; }
    QStringList heads() const { return m_heads; }
    /** Number of recoloured images shown (the palette size), 0 when unavailable. */
    int recolouredCount() const { return m_recoloured; }
    /** Table columns: the recoloured images, the colour alone, the shape alone, then the score. */
    int scoreColumn() const { return m_recoloured + 2; }
    /** The head's share of recolourings it classifies as the colour's class, or -1 when not shown. */
    double reliance(const QString &head) const;
    /** Table row of head (row 0 holds the images), or -1. */
    int rowOf(const QString &head) const;
    QString explanation() const;

private:
    QTableWidget *m_table = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_legend = nullptr;
    QStringList m_heads;
    QVector<double> m_reliance;
    int m_recoloured = 0;
};

} // namespace untangle
