#pragma once
// The debias records as Qt metatypes, declared once for every job that sends them across threads in signals.

#include "debiasrecords.h"
#include "debiasseeds.h"

#include <QMetaType>

Q_DECLARE_METATYPE(untangle::EvaluationRecord)
Q_DECLARE_METATYPE(untangle::ProbeRecord)
Q_DECLARE_METATYPE(untangle::HardSamples)
Q_DECLARE_METATYPE(untangle::DebiasResult)
Q_DECLARE_METATYPE(untangle::SeedsOutcome)

namespace untangle {
/** Registers the types above for queued signals (once is enough; again is harmless). */
inline void registerDebiasMetaTypes()
{
    qRegisterMetaType<EvaluationRecord>();
    qRegisterMetaType<ProbeRecord>();
    qRegisterMetaType<HardSamples>();
    qRegisterMetaType<DebiasResult>();
    qRegisterMetaType<SeedsOutcome>();
}
} // namespace untangle
