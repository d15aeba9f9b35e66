#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

class QGridLayout;
class QLabel;
class QLineEdit;
class QSlider;
class QToolButton;

namespace untangle {

/** What a slider row shows about one direction; the bank edits name, note and sign in place. */
struct SliderDirection {
    QString name;
    QString note;
    int sign = 1;
    QString toolTip; // e.g. the method's score and sigma
    QString badge; // a short read-out after the note, e.g. "SRE 0.87" (empty: none)
};

/**
 * One slider per direction, each spanning -range..+range (in the caller's unit, e.g. sigma of the direction), with
 * a reset button, a sign flip and editable name and note. Values change by dragging; valuesChanged fires for every
 * move (the receiver coalesces), directionEdited when a name, note or sign changed.
 */
class DirectionSliderBank : public QWidget {
    Q_OBJECT

public:
    explicit DirectionSliderBank(QWidget *parent = nullptr);

    void setDirections(const QVector<SliderDirection> &directions);
    const QVector<SliderDirection> &directions() const { return m_directions; }
    int count() const { return int(m_directions.size()); }

    void setRange(double range);
    double range() const { return m_range; }
    QVector<double> values() const;
    double value(int index) const;
    /** Moves slider index to value (clamped to the range, rounded to the slider's step). */
    void setValue(int index, double value);
    void resetAll();
    void flipSign(int index);

    QSlider *slider(int index) const { return m_rows.value(index).slider; }
    QLineEdit *nameEdit(int index) const { return m_rows.value(index).name; }
    QLineEdit *noteEdit(int index) const { return m_rows.value(index).note; }
    QToolButton *flipButton(int index) const { return m_rows.value(index).flip; }
    QLabel *badgeLabel(int index) const { return m_rows.value(index).badge; }
    /** Replaces the read-outs (one per direction; missing entries clear theirs) without rebuilding the rows. */
    /** The height `rows` rows take, spacing included (0 without rows). */
    int rowsHeight(int rows) const;
    void setBadges(const QStringList &badges);

    /** Slider steps on each side of zero. */
    static constexpr int StepsPerSide = 100;

signals:
    void valuesChanged();
    void directionEdited(int index);

private:
    struct Row {
        QLineEdit *name = nullptr;
        QSlider *slider = nullptr;
        QLabel *value = nullptr;
        QToolButton *flip = nullptr;
        QToolButton *reset = nullptr;
        QLineEdit *note = nullptr;
        QLabel *badge = nullptr;
    };
    void updateLabel(int index);
    void updateFlip(int index);

    QGridLayout *m_layout = nullptr;
    QVector<SliderDirection> m_directions;
    QVector<Row> m_rows;
    double m_range = 2.0; // sigma either way (the explorer sets it)
};

} // namespace untangle
