#pragma once

#include "job.h"

namespace untangle {

/** Downloads and imports MNIST-10k (mnistfetch.h) on the worker thread, with progress; Stop cancels the download. */
class FetchDataJob : public Job {
    Q_OBJECT

public:
    explicit FetchDataJob(QObject *parent = nullptr);

protected:
    void execute() override;
};

} // namespace untangle
