#include "directionsliderbank.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSlider>
#include <QStringList>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace untangle {
namespace {
// "weak (object hue 0.7x)", the longest name `label` gives, fits at the default font; longer names scroll.
constexpr const char *WidestName = "weak (object hue 0.7x)";
constexpr int SliderWidth = 180; // 200 steps: one step per pixel or so
} // namespace

DirectionSliderBank::DirectionSliderBank(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QGridLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setHorizontalSpacing(4);
    m_layout->setVerticalSpacing(2);
}

void DirectionSliderBank::setDirections(const QVector<SliderDirection> &directions)
{
    for (const Row &row : std::as_const(m_rows))
        for (QWidget *widget : {static_cast<QWidget *>(row.name), static_cast<QWidget *>(row.slider),
                 static_cast<QWidget *>(row.value), static_cast<QWidget *>(row.flip), static_cast<QWidget *>(row.reset),
                 static_cast<QWidget *>(row.note), static_cast<QWidget *>(row.badge)})
            delete widget;
    m_rows.clear();
    m_directions = directions;
    for (int k = 0; k < m_directions.size(); ++k) {
        Row row;
        row.flip = new QToolButton(this);
        row.flip->setToolTip(tr("Flip the sign: which end of the slider is \"more\""));
        connect(row.flip, &QToolButton::clicked, this, [this, k] { flipSign(k); });
        row.name = new QLineEdit(m_directions[k].name, this);
        row.name->setFixedWidth(row.name->fontMetrics().horizontalAdvance(QLatin1String(WidestName)) + 12);
        row.name->setToolTip(m_directions[k].toolTip);
        connect(row.name, &QLineEdit::editingFinished, this, [this, k] {
            if (m_directions[k].name != m_rows[k].name->text()) {
                m_directions[k].name = m_rows[k].name->text();
                emit directionEdited(k);
            }
        });
        row.slider = new QSlider(Qt::Horizontal, this);
        row.slider->setRange(-StepsPerSide, StepsPerSide);
        row.slider->setMinimumWidth(SliderWidth);
        row.slider->setToolTip(m_directions[k].toolTip);
        connect(row.slider, &QSlider::valueChanged, this, [this, k] {
            updateLabel(k);
            emit valuesChanged();
        });
        row.value = new QLabel(this);
        row.value->setMinimumWidth(fontMetrics().horizontalAdvance("-10.00σ"));
        row.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row.reset = new QToolButton(this);
        row.reset->setText(QStringLiteral("0"));
        row.reset->setToolTip(tr("Reset to the unedited image"));
        connect(row.reset, &QToolButton::clicked, this, [this, k] { setValue(k, 0.0); });
        row.note = new QLineEdit(m_directions[k].note, this);
        row.note->setPlaceholderText(tr("note"));
        connect(row.note, &QLineEdit::editingFinished, this, [this, k] {
            if (m_directions[k].note != m_rows[k].note->text()) {
                m_directions[k].note = m_rows[k].note->text();
                emit directionEdited(k);
            }
        });
        m_layout->addWidget(row.flip, k, 0);
        m_layout->addWidget(row.name, k, 1);
        m_layout->addWidget(row.slider, k, 2);
        m_layout->addWidget(row.value, k, 3);
        m_layout->addWidget(row.reset, k, 4);
        m_layout->addWidget(row.note, k, 5);
        row.badge = new QLabel(m_directions[k].badge, this);
        row.badge->setToolTip(tr("SRE's held-out ranking accuracy for this direction (0.5 = chance)"));
        m_layout->addWidget(row.badge, k, 6);
        m_rows.push_back(row);
        updateLabel(k);
        updateFlip(k);
    }
    m_layout->setColumnStretch(2, 2);
    m_layout->setColumnStretch(5, 1);
}

int DirectionSliderBank::rowsHeight(int rows) const
{
    if (m_rows.isEmpty() || rows < 1)
        return 0;
    // From the widgets' own hints: rows added to a visible bank are not laid out yet, so its size hint lags.
    const Row &row = m_rows.front();
    int height = 0;
    for (const QWidget *widget : {static_cast<const QWidget *>(row.name), static_cast<const QWidget *>(row.slider),
             static_cast<const QWidget *>(row.flip), static_cast<const QWidget *>(row.note)})
        height = std::max(height, widget->sizeHint().height());
    return rows * height + (rows - 1) * m_layout->verticalSpacing();
}

void DirectionSliderBank::setBadges(const QStringList &badges)
{
    for (int k = 0; k < m_rows.size(); ++k) {
        m_directions[k].badge = badges.value(k);
        m_rows[k].badge->setText(m_directions[k].badge);
    }
}

void DirectionSliderBank::setRange(double range)
{
    m_range = std::max(0.01, range);
    for (int k = 0; k < m_rows.size(); ++k)
        updateLabel(k);
    emit valuesChanged();
}

double DirectionSliderBank::value(int index) const
{
    if (index < 0 || index >= m_rows.size())
        return 0.0;
    return m_rows[index].slider->value() * m_range / StepsPerSide;
}

QVector<double> DirectionSliderBank::values() const
{
    QVector<double> out;
    for (int k = 0; k < m_rows.size(); ++k)
        out.push_back(value(k));
    return out;
}

void DirectionSliderBank::setValue(int index, double value)
{
    if (index < 0 || index >= m_rows.size())
        return;
    m_rows[index].slider->setValue(int(std::lround(std::clamp(value / m_range, -1.0, 1.0) * StepsPerSide)));
}

void DirectionSliderBank::resetAll()
{
    for (int k = 0; k < m_rows.size(); ++k) {
        const QSignalBlocker block(m_rows[k].slider);
        m_rows[k].slider->setValue(0);
        updateLabel(k);
    }
    emit valuesChanged();
}

void DirectionSliderBank::flipSign(int index)
{
    if (index < 0 || index >= m_rows.size())
        return;
    m_directions[index].sign = -m_directions[index].sign;
    updateFlip(index);
    emit directionEdited(index);
    emit valuesChanged();
}

void DirectionSliderBank::updateLabel(int index)
{
    m_rows[index].value->setText(QString::asprintf("%+.2fσ", value(index)));
}

void DirectionSliderBank::updateFlip(int index)
{
    m_rows[index].flip->setText(m_directions[index].sign > 0 ? QStringLiteral("+") : QStringLiteral("−"));
}

} // namespace untangle
