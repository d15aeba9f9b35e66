#pragma once

#include "debiasconfig.h"

namespace untangle {

/** Analytic training FLOPs per sample of the MLP branches (2 per multiply-add), for benchmark bounds. */
struct DebiasFlops {
    double stage1 = 0.0; // forward + backward of deep + shallow + head
    double stage2 = 0.0; // forward + backward of target + head (frozen parts are cached once per stage)
    double evaluation = 0.0; // forward of every stage-1 head (deep and shallow features once)
};

/** For config's MLP widths and depths on inputs of inputSize features and numClasses classes. */
DebiasFlops mlpDebiasFlops(const DebiasConfig &config, long long inputSize, int numClasses);

} // namespace untangle
