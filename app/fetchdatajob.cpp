#include "fetchdatajob.h"

#include "dataerror.h"
#include "mnistfetch.h"

#include <stdexcept>

namespace untangle {

FetchDataJob::FetchDataJob(QObject *parent)
    : Job(tr("Fetching MNIST-10k"), parent)
{
}

void FetchDataJob::execute()
{
    bool cancelled = false;
    const QString problem
        = fetchMnist10k([&](double fraction, const QString &status) { emit progress(fraction, status); },
            [&] { return cancelled = cancelled || !shouldContinue(); });
    if (cancelled)
        throw Cancelled();
    if (!problem.isEmpty())
        throw DataError(problem.toStdString());
}

} // namespace untangle
