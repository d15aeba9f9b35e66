#include "timelinebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace untangle {
namespace {
constexpr int PlayStepMs = 120; // ~8 evaluations a second: 100 epochs replay in about 12 s
}

TimelineBar::TimelineBar(QWidget *parent)
    : QWidget(parent)
{
    m_play = new QToolButton(this);
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setToolTip(tr("Replay the run from the first evaluation"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, 0);
    m_slider->setToolTip(tr("Move every view to an earlier evaluation"));
    m_label = new QLabel(tr("no evaluations yet"), this);
    m_label->setMinimumWidth(220);
    m_timer = new QTimer(this);
    m_timer->setInterval(PlayStepMs);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_play);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_label);

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        m_following = value == m_slider->maximum();
        emit positionChanged(value);
    });
    connect(m_play, &QToolButton::clicked, this, &TimelineBar::togglePlay);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_slider->value() >= m_slider->maximum()) {
            togglePlay();
            return;
        }
        m_slider->setValue(m_slider->value() + 1);
    });
}

void TimelineBar::setCount(int count)
{
    // An emptied timeline (a new run) follows again, even if the user had moved back in the previous run.
    const bool follow = m_following || count == 0;
    m_following = follow;
    m_slider->setRange(0, std::max(0, count - 1));
    setEnabled(count > 0);
    if (follow && count > 0) {
        // The first evaluation lands on the index the slider already shows: setValue would not announce it.
        if (m_slider->value() == count - 1)
            emit positionChanged(count - 1);
        else
            m_slider->setValue(count - 1);
    }
}

int TimelineBar::count() const
{
    return isEnabled() ? m_slider->maximum() + 1 : 0;
}

int TimelineBar::position() const
{
    return m_slider->value();
}

void TimelineBar::setPosition(int index)
{
    m_slider->setValue(index);
}

void TimelineBar::setLabel(const QString &text)
{
    m_label->setText(text);
}

void TimelineBar::togglePlay()
{
    if (m_timer->isActive()) {
        m_timer->stop();
        m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
        return;
    }
    if (m_slider->value() >= m_slider->maximum())
        m_slider->setValue(0);
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_timer->start();
}

} // namespace untangle
