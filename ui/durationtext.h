#pragma once

#include <QString>

namespace untangle {

/** "4 s", "4 min 05 s", "1 h 12 min": how long a job took or has left. */
inline QString durationText(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return QStringLiteral("%1 s").arg(s); // not "0 min 04 s"
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/**
 * "about 3 min 10 s left" for a job that has done `fraction` of its work in `workingMs` (pauses excluded), if the
 * pace is steady; empty until at least 2 % and 10 s are behind it (earlier guesses swing wildly) and once it is done.
 */
inline QString timeLeftText(double fraction, qint64 workingMs)
{
    constexpr double MinFraction = 0.02;
    constexpr qint64 MinMs = 10000;
    if (!(fraction >= MinFraction && fraction < 1.0) || workingMs < MinMs)
        return {};
    return QStringLiteral("about %1 left").arg(durationText(double(workingMs) / 1000.0 * (1.0 - fraction) / fraction));
}

} // namespace untangle
