#include "inspectrunjob.h"

#include "computeruntime.h"
#include "inspectionservice.h"

#include <QFileInfo>

#include <algorithm>
#include <iterator>
#include <numeric>

namespace untangle {
namespace {
constexpr int PredictChunk = 1000; // images per forward pass: bounded memory, and stop is honoured between
constexpr double DatasetShare = 0.4; // of the progress bar: building the data takes about as long as predicting
constexpr double LoadShare = 0.1;
} // namespace

InspectRunJob::InspectRunJob(
    const QString &runDir, const DebiasConfig &config, std::shared_ptr<InspectorHandOver> handOver, QObject *parent)
    : Job(tr("Inspecting %1").arg(QFileInfo(runDir).fileName()), parent)
    , m_runDir(runDir)
    , m_config(config)
    , m_handOver(std::move(handOver))
{
    qRegisterMetaType<RunInspection>();
}

void InspectRunJob::execute()
{
    configureComputeThread(m_config.threads);
    RunInspection inspection;
    inspection.runDir = m_runDir;
    inspection.dataset = buildDatasetHandle(m_config.dataset, [this](double fraction, const std::string &what) {
        emit progress(DatasetShare * fraction, QString::fromStdString(what));
        return shouldContinue();
    });
    if (!shouldContinue())
        return;
    emit progress(DatasetShare, tr("Loading the run's models"));
    auto inspector = std::make_shared<RunInspector>(m_runDir.toStdString(), inspection.dataset->dataset);
    inspection.config = inspector->config();
    inspection.heads = RunHeads::of(*inspector);

    const LabeledImages &test = inspection.dataset->dataset.test;
    inspection.test.reserve(std::size_t(test.count));
    for (int first = 0; first < test.count; first += PredictChunk) {
        if (!shouldContinue())
            return;
        std::vector<int> indices(std::size_t(std::min(PredictChunk, test.count - first)));
        std::iota(indices.begin(), indices.end(), first);
        auto part = inspector->predict(test, indices);
        std::move(part.begin(), part.end(), std::back_inserter(inspection.test));
        const double done = double(first + int(indices.size())) / test.count;
        emit progress(DatasetShare + LoadShare + (1.0 - DatasetShare - LoadShare) * done,
            tr("Predicting the test split (%1 of %2)").arg(first + int(indices.size())).arg(test.count));
    }
    m_handOver->put(std::move(inspector)); // before inspected: the page's first request must find the models
    emit inspected(inspection);
}

} // namespace untangle
