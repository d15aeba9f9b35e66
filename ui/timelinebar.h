#pragma once

#include <QWidget>

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace untangle {

/**
 * Moves every view to an earlier evaluation: a slider over the evaluations so far and a play button that steps
 * through them. While at the newest evaluation it follows new ones as they arrive (live).
 */
class TimelineBar : public QWidget {
    Q_OBJECT

public:
    explicit TimelineBar(QWidget *parent = nullptr);

    void setCount(int count);
    int count() const;
    int position() const;
    void setPosition(int index);
    void setLabel(const QString &text);
    QSlider *slider() const { return m_slider; }
    QToolButton *playButton() const { return m_play; }
    bool isFollowing() const { return m_following; }

signals:
    void positionChanged(int index);

private:
    void togglePlay();

    QSlider *m_slider = nullptr;
    QToolButton *m_play = nullptr;
    QLabel *m_label = nullptr;
    QTimer *m_timer = nullptr;
    bool m_following = true;
};

} // namespace untangle
