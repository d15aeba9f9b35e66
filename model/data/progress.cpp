#include "progress.h"

#include "dataerror.h"

namespace untangle {

void reportProgress(const ProgressFn &progress, double fraction, const std::string &what)
{
    if (progress && !progress(fraction, what))
        throw Cancelled();
}

} // namespace untangle
