#pragma once
// ImageU8 crosses from worker jobs to the GUI thread in queued signals (GAN samples, render-back pairs).
#include "imageu8.h"

#include <QMetaType>

Q_DECLARE_METATYPE(untangle::ImageU8)
